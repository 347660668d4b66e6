import { ManualClock, shiftedClock } from "@tthc/service-kit";
import { describe, expect, it } from "vitest";
import { Agenda, runAgenda, runningTimeline, steppedTimeline } from "../src/index.js";

const T0 = Date.parse("2026-10-16T08:00:00+07:00");
const min = (n: number) => T0 + n * 60_000;

/** A dossier's story as bare instants: the engine needs nothing else to order it. */
interface Story {
  at: number;
  seq: number;
  instants: number[];
  next: number;
}
const story = (seq: number, instants: number[]): Story => ({
  at: instants[0] as number,
  seq,
  instants,
  next: 1,
});

describe("the driver's agenda", () => {
  it("gives entries by instant, the lower dossier number first at the same instant", () => {
    const agenda = new Agenda<{ at: number; seq: number }>();
    for (const [at, seq] of [
      [5, 2],
      [1, 9],
      [5, 1],
      [3, 4],
      [9, 3],
      [1, 2],
    ] as const)
      agenda.push({ at, seq });
    expect(agenda.takeDue(5).map((e) => [e.at, e.seq])).toEqual([
      [1, 2],
      [1, 9],
      [3, 4],
      [5, 1],
      [5, 2],
    ]);
    expect(agenda.size).toBe(1);
    expect(agenda.takeDue(8)).toEqual([]);
  });
});

describe("acting an agenda out on a manual clock", () => {
  it("sets the clock to each instant in turn, acts every dossier due then before moving on, and keeps one dossier's actions in order", async () => {
    const clock = new ManualClock(T0);
    const stories = [
      story(1, [min(0), min(0), min(30)]),
      story(2, [min(10), min(30), min(90)]),
      story(3, [min(30)]),
    ];
    const agenda = new Agenda<Story>();
    for (const s of stories) agenda.push(s);
    const log: string[] = [];
    let inflight = 0;
    let together = 0;
    const left = await runAgenda(agenda, {
      timeline: steppedTimeline(clock),
      until: Number.POSITIVE_INFINITY,
      concurrency: 8,
      async step(s) {
        const planned = s.instants[s.next - 1] as number;
        expect(clock.nowMs()).toBe(planned);
        inflight++;
        together = Math.max(together, inflight);
        // An answer takes real time; the clock must not move meanwhile.
        await new Promise((r) => setTimeout(r, 5));
        expect(clock.nowMs()).toBe(planned);
        inflight--;
        log.push(`${(clock.nowMs() - T0) / 60_000}:${s.seq}`);
        return s.next < s.instants.length ? (s.instants[s.next++] as number) : null;
      },
    });
    expect(left).toEqual([]);
    expect([...log].sort(byInstant)).toEqual(["0:1", "0:1", "10:2", "30:1", "30:2", "30:3", "90:2"]);
    // The clock only moved forward: the log is in the order of the instants.
    expect(log.map((l) => Number(l.split(":")[0]))).toEqual(
      log.map((l) => Number(l.split(":")[0])).sort((a, b) => a - b),
    );
    expect(log.filter((l) => l.endsWith(":1"))).toEqual(["0:1", "0:1", "30:1"]);
    // Dossiers 1, 2 and 3 were all due at minute 30: they went at once.
    expect(together).toBeGreaterThanOrEqual(2);
  });

  it("acts nothing after the end of the run and gives back what is left", async () => {
    const clock = new ManualClock(T0);
    const agenda = new Agenda<Story>();
    agenda.push(story(1, [min(0), min(60), min(600)]));
    agenda.push(story(2, [min(700)]));
    const acted: number[] = [];
    const left = await runAgenda(agenda, {
      timeline: steppedTimeline(clock),
      until: min(120),
      concurrency: 4,
      async step(s) {
        acted.push(clock.nowMs());
        return s.next < s.instants.length ? (s.instants[s.next++] as number) : null;
      },
    });
    expect(acted).toEqual([min(0), min(60)]);
    expect(left.map((s) => [s.seq, s.at])).toEqual([
      [1, min(600)],
      [2, min(700)],
    ]);
    expect(clock.nowMs()).toBe(min(60));
  });
});

describe("acting an agenda out on a clock that runs by itself", () => {
  it("acts each action once the clock reads its instant, in order", async () => {
    // A minute of the simulated day in a real millisecond.
    const clock = shiftedClock({ startMs: T0, speed: 60_000 });
    const agenda = new Agenda<Story>();
    agenda.push(story(1, [min(5), min(20), min(40)]));
    agenda.push(story(2, [min(10), min(15)]));
    const seen: { seq: number; planned: number; read: number }[] = [];
    await runAgenda(agenda, {
      timeline: runningTimeline(clock),
      until: Number.POSITIVE_INFINITY,
      concurrency: 4,
      async step(s) {
        seen.push({ seq: s.seq, planned: s.instants[s.next - 1] as number, read: clock.nowMs() });
        return s.next < s.instants.length ? (s.instants[s.next++] as number) : null;
      },
    });
    // Every action once, each dossier's in its own order, none before the clock reads its instant.
    // (Which of two dossiers goes first when the machine lags behind the fast clock is not fixed.)
    expect(seen).toHaveLength(5);
    for (const seq of [1, 2]) {
      const planned = seen.filter((x) => x.seq === seq).map((x) => x.planned);
      expect(planned).toEqual([...planned].sort((a, b) => a - b));
    }
    expect(seen.filter((x) => x.seq === 1).map((x) => x.planned)).toEqual([min(5), min(20), min(40)]);
    for (const x of seen) expect(x.read).toBeGreaterThanOrEqual(x.planned);
  });
});

function byInstant(a: string, b: string): number {
  const [ta, sa] = a.split(":").map(Number) as [number, number];
  const [tb, sb] = b.split(":").map(Number) as [number, number];
  return ta - tb || sa - sb;
}
