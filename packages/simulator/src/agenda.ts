/**
 * The driver's agenda: each dossier's next action, by instant. At most one entry per dossier is in
 * it at a time (the next one is put in only once the one before it was answered), so one dossier's
 * actions keep their order while different dossiers due at the same instant go together.
 */
export interface AgendaEntry {
  /** Epoch milliseconds. */
  at: number;
  /** Breaks ties: the lower dossier number first. */
  seq: number;
}

const before = (a: AgendaEntry, b: AgendaEntry) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A binary min-heap on (at, seq). */
export class Agenda<E extends AgendaEntry> {
  private readonly heap: E[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(entry: E): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i] as E, h[parent] as E)) break;
      [h[i], h[parent]] = [h[parent] as E, h[i] as E];
      i = parent;
    }
  }

  peek(): E | undefined {
    return this.heap[0];
  }

  pop(): E | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l] as E, h[m] as E)) m = l;
        if (r < h.length && before(h[r] as E, h[m] as E)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as E, h[i] as E];
        i = m;
      }
    }
    return top;
  }

  /** Every entry due at or before `now`, earliest first: what the driver acts on next. */
  takeDue(now: number): E[] {
    const out: E[] = [];
    while (this.heap.length > 0 && (this.heap[0] as E).at <= now) out.push(this.pop() as E);
    return out;
  }

  /** Every entry left, earliest first (the agenda is emptied). */
  drain(): E[] {
    const out: E[] = [];
    while (this.heap.length > 0) out.push(this.pop() as E);
    return out;
  }
}
