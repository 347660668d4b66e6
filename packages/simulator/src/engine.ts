import type { Agenda, AgendaEntry } from "./agenda.js";
import type { Timeline } from "./timeline.js";

export interface EngineOptions<E extends AgendaEntry> {
  timeline: Timeline;
  /** No entry due after this instant is acted on; they stay in the agenda. */
  until: number;
  /** Entries acted on at once. */
  concurrency: number;
  /**
   * Acts on an entry (one dossier's next action, answered before it returns) and gives the instant
   * of that dossier's next action, or null when its story is over. Never throws.
   */
  step(entry: E): Promise<number | null>;
  /**
   * Called on a stepped clock before it moves to the next instant, with that instant: a test can
   * stop the world there (look at every service at an instant of its choosing) before it goes on.
   */
  beforeReach?: (at: number) => Promise<void>;
}

/**
 * Acts the agenda out in time order. On a stepped clock: set the clock to the earliest instant,
 * act on every entry due then (different dossiers at once, one dossier's actions in order), wait
 * for all of them, move on; the clock never moves while a request is in flight, so every service
 * stamps what it does with the planned instant. On a running clock: sleep until the earliest
 * instant, start what is due, and keep going while earlier entries are still answered.
 * Returns the entries left (due after `until`).
 */
export async function runAgenda<E extends AgendaEntry>(agenda: Agenda<E>, o: EngineOptions<E>): Promise<E[]> {
  const { timeline, until } = o;
  /** One dossier as far as it goes now: its actions due already follow at once, in order. */
  const chain = async (entry: E) => {
    for (;;) {
      const next = await o.step(entry);
      if (next === null) return;
      entry.at = next;
      if (next > timeline.nowMs() || next > until) {
        agenda.push(entry);
        return;
      }
    }
  };

  if (timeline.stepped) {
    while (agenda.size > 0) {
      const head = agenda.peek() as E;
      if (head.at > until) break;
      if (head.at > timeline.nowMs()) await o.beforeReach?.(head.at);
      await timeline.reach(head.at);
      await pool(agenda.takeDue(timeline.nowMs()), o.concurrency, chain);
    }
    return agenda.drain();
  }

  const inflight = new Set<Promise<void>>();
  let wake = () => {};
  let woken = new Promise<void>((r) => {
    wake = r;
  });
  const finished = () => {
    const w = wake;
    woken = new Promise<void>((r) => {
      wake = r;
    });
    w();
  };
  for (;;) {
    const head = agenda.peek();
    if (head === undefined || head.at > until) {
      if (inflight.size === 0) break;
      await woken;
      continue;
    }
    if (inflight.size >= o.concurrency) {
      await woken;
      continue;
    }
    if (head.at > timeline.nowMs()) {
      await timeline.reach(head.at, woken);
      continue;
    }
    const entry = agenda.pop() as E;
    const p: Promise<void> = chain(entry).finally(() => {
      inflight.delete(p);
      finished();
    });
    inflight.add(p);
  }
  return agenda.drain();
}

/** Runs `fn` over the items with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
