import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clockFromConfig, FileClockWriter, fileClock, ManualClock, shiftedClock } from "../src/clock.js";

describe("the clock of a service", () => {
  it("a manual clock moves only when told, never back, and says so to whoever listens", () => {
    const clock = new ManualClock("2026-05-04T07:29:00+07:00");
    let jumps = 0;
    const stop = clock.onJump(() => jumps++);
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe("2026-05-04T00:30:00.000Z");
    expect(() => clock.set("2026-05-04T07:00:00+07:00")).toThrow(RangeError);
    expect(clock.realDelayUntil(clock.nowMs() + 1)).toBe(Number.POSITIVE_INFINITY);
    expect(clock.realDelayUntil(clock.nowMs())).toBe(0);
    stop();
    clock.advance(1);
    expect(jumps).toBe(1);
  });

  it("a shifted clock reads its start at its origin and runs at its speed", () => {
    let machine = 1_000_000;
    const clock = shiftedClock({ startMs: 5_000_000, originMs: 1_000_000, speed: 1, machine: () => machine });
    machine += 250;
    expect(clock.nowMs()).toBe(5_000_250);
    expect(clock.realDelayUntil(5_001_250)).toBe(1_000);
  });

  it("a fast clock started in the past catches up with the machine's and then reads it", () => {
    let machine = 10_000_000;
    // a day behind, 1,440 times as fast: a minute of the machine is a day of the clock
    const clock = shiftedClock({
      startMs: machine - 86_400_000,
      originMs: machine,
      speed: 1_440,
      machine: () => machine,
    });
    machine += 30_000;
    expect(clock.nowMs()).toBe(10_000_000 - 86_400_000 + 30_000 * 1_440);
    expect(clock.realDelayUntil(clock.nowMs() + 1_440_000)).toBeCloseTo(1_000, 0);
    machine += 40_000;
    expect(clock.nowMs()).toBe(machine);
    expect(clock.realDelayUntil(machine + 5_000)).toBe(5_000);
  });

  it("a clock whose origin is still ahead waits at its start, never reading an instant before it", () => {
    let machine = 1_000_000;
    const clock = shiftedClock({
      startMs: 5_000_000,
      originMs: 1_010_000,
      speed: 100,
      machine: () => machine,
    });
    expect(clock.nowMs()).toBe(5_000_000);
    machine += 9_999;
    expect(clock.nowMs()).toBe(5_000_000);
    expect(clock.realDelayUntil(5_000_000)).toBe(0);
    // 100 ms of the clock after its start: 1 ms of the machine after the origin
    expect(clock.realDelayUntil(5_000_100)).toBe(2);
    machine += 11;
    expect(clock.nowMs()).toBe(5_001_000);
  });

  it("two processes given the same start, origin and speed read the same instant", () => {
    const config = { CLOCK: "2026-05-04T07:29:00+07:00", CLOCK_ORIGIN: Date.now() - 1_000, CLOCK_SPEED: 60 };
    const a = clockFromConfig(config);
    const b = clockFromConfig(config);
    expect(Math.abs(a.nowMs() - b.nowMs())).toBeLessThan(60 * 50);
    expect(a.nowMs()).toBeGreaterThanOrEqual(Date.parse(config.CLOCK) + 60_000);
  });

  it("a file clock reads each step of its writer at once, never goes back, and wakes its listeners", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clock-"));
    try {
      const path = join(dir, "clock");
      const writer = new FileClockWriter(path, "2025-07-01T07:00:00+07:00");
      const clock = clockFromConfig({ CLOCK: "system", CLOCK_SPEED: 1, CLOCK_FILE: path });
      expect(clock.now().toISOString()).toBe("2025-07-01T00:00:00.000Z");
      const woken = new Promise<number>((resolve) => clock.onJump(() => resolve(clock.nowMs())));
      writer.set("2025-07-01T07:01:00+07:00");
      // Read at once, before the watcher has said anything: a request after a step sees it.
      expect(clock.now().toISOString()).toBe("2025-07-01T00:01:00.000Z");
      expect(await woken).toBe(Date.parse("2025-07-01T00:01:00Z"));
      expect(() => writer.set("2025-07-01T07:00:30+07:00")).toThrow(RangeError);
      expect(clock.realDelayUntil(clock.nowMs())).toBe(0);
      expect(clock.realDelayUntil(clock.nowMs() + 1)).toBe(Number.POSITIVE_INFINITY);
      // Another process reads the same instant from the same file.
      writer.set("2025-07-02T08:00:00+07:00");
      const script = `import("${join(import.meta.dirname, "../src/clock.ts")}").then((m) => console.log(m.fileClock(process.argv[1]).now().toISOString()))`;
      const other = execFileSync(process.execPath, ["--import", "tsx", "-e", script, path], {
        encoding: "utf8",
      });
      expect(other.trim()).toBe("2025-07-02T01:00:00.000Z");
      expect(() => fileClock(join(dir, "none"))).toThrow(/no such file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
