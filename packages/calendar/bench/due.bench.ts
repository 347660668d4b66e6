import { type BenchResult, runIfMain } from "@tthc/testkit";
import { CalendarSet } from "../src/calendar-set.js";
import { startClock } from "../src/clock.js";
import { type Cutoff, computeDueAt, type Statutory } from "../src/statutory.js";
import { DAY_MS, dayStartMs, localDayNumber, MINUTE_MS, parseClockTime, toEpochMs } from "../src/time.js";
import type { WorkingCalendar } from "../src/working-time.js";

interface Input {
  receivedAt: number;
  statutory: Statutory;
  cutoff: Cutoff;
}

/** mulberry32: a small seeded generator, so every run measures the same inputs. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FROM = toEpochMs("2025-01-01T00:00:00+07:00");
const TO = toEpochMs("2027-12-31T23:59:00+07:00");
const CUTOFFS: Cutoff[] = [null, null, "15:00", "17:00"];

function makeInputs(n: number, seed: number): Input[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const inputs: Input[] = [];
  for (let i = 0; i < n; i++) {
    const minute = Math.floor((FROM + random() * (TO - FROM)) / MINUTE_MS);
    const kind = random();
    const statutory: Statutory =
      kind < 0.7
        ? { amount: 1 + Math.floor(random() * 30), unit: "days" }
        : kind < 0.85
          ? { amount: 1 + Math.floor(random() * 16), unit: "hours" }
          : { amount: 1 + Math.floor(random() * 10), unit: "half-days" };
    inputs.push({ receivedAt: minute * MINUTE_MS, statutory, cutoff: pick(CUTOFFS) });
  }
  return inputs;
}

/**
 * The baseline: step one minute at a time, asking of each minute whether it lies in a session of its day.
 * It reads the same calendar data (sessions per date) but none of the precomputed intervals.
 */
function naiveDueAt(sessionsByDay: Map<number, number[]>, dayMinutes: number, input: Input): number {
  const minutes = (s: Statutory): number =>
    s.unit === "days"
      ? s.amount * dayMinutes
      : s.unit === "half-days"
        ? (s.amount * dayMinutes) / 2
        : s.amount * 60;
  let t = input.receivedAt;
  if (input.cutoff !== null) {
    const day = localDayNumber(t);
    if (t - dayStartMs(day) > parseClockTime(input.cutoff) * MINUTE_MS) t = dayStartMs(day + 1);
  }
  const isWorking = (instant: number): boolean => {
    const day = localDayNumber(instant);
    const sessions = sessionsByDay.get(day) ?? [];
    const minute = (instant - dayStartMs(day)) / MINUTE_MS;
    for (let i = 0; i + 1 < sessions.length; i += 2) {
      if (minute >= (sessions[i] as number) && minute < (sessions[i + 1] as number)) return true;
    }
    return false;
  };
  while (!isWorking(t)) t += MINUTE_MS;
  let left = minutes(input.statutory);
  while (left > 0) {
    if (isWorking(t)) left--;
    t += MINUTE_MS;
  }
  return t;
}

function sessionsTable(calendar: WorkingCalendar): Map<number, number[]> {
  const table = new Map<number, number[]>();
  for (let d = localDayNumber(FROM) - 1; d <= localDayNumber(TO) + 400; d++) {
    const sessions = calendar
      .day(d)
      .sessions.flatMap((s) => [parseClockTime(s.start), parseClockTime(s.end)]);
    table.set(d, sessions);
  }
  return table;
}

function timeOps(ops: number, body: () => number): { perSecond: number; checksum: number } {
  const started = process.hrtime.bigint();
  const checksum = body();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: ops / seconds, checksum };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

export default async function run(): Promise<BenchResult[]> {
  const calendar = new CalendarSet().latest();
  const inputs = makeInputs(200_000, 20260217);
  // Warm-up: builds the year tables and lets the JIT settle; not measured.
  for (const x of inputs.slice(0, 20_000)) computeDueAt(calendar, x.receivedAt, x.statutory, x.cutoff);

  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const { perSecond } = timeOps(inputs.length, () => {
      let sum = 0;
      for (const x of inputs) sum += computeDueAt(calendar, x.receivedAt, x.statutory, x.cutoff);
      return sum;
    });
    rounds.push(perSecond);
  }
  const fast = median(rounds);

  const naiveInputs = inputs.slice(0, 300);
  const table = sessionsTable(calendar);
  let mismatches = 0;
  const naive = timeOps(naiveInputs.length, () => {
    let sum = 0;
    for (const x of naiveInputs) sum += naiveDueAt(table, calendar.workingDayMinutes, x);
    return sum;
  });
  for (const x of naiveInputs) {
    if (
      naiveDueAt(table, calendar.workingDayMinutes, x) !==
      computeDueAt(calendar, x.receivedAt, x.statutory, x.cutoff)
    ) {
      mismatches++;
    }
  }

  const clockInputs = inputs.slice(0, 50_000).filter((x) => x.statutory.unit === "days");
  const clock = timeOps(clockInputs.length, () => {
    let sum = 0;
    for (const x of clockInputs) {
      const c = startClock({ receivedAt: x.receivedAt, statutory: x.statutory, cutoff: x.cutoff, calendar })
        .pause(x.receivedAt + DAY_MS, "supplement")
        .resume(x.receivedAt + 3 * DAY_MS);
      sum += c.verdict(x.receivedAt + 20 * DAY_MS).usedMinutes;
    }
    return sum;
  });

  return [
    {
      name: "calendar: due-instant computations (precomputed working intervals, binary search)",
      value: Math.round(fast),
      unit: "ops/s",
      baseline: {
        name: "calendar: naive minute-stepping due instant",
        value: Math.round(naive.perSecond),
        unit: "ops/s",
      },
      ratio: Math.round((fast / naive.perSecond) * 10) / 10,
      notes:
        `${inputs.length} random receptions in 2025–2027 (seed 20260217; 70% 1–30 days, 15% 1–16 hours, 15% 1–10 half-days; ` +
        `cut-off none/15:00/17:00), median of 5 rounds: ${rounds.map((r) => Math.round(r)).join(", ")} ops/s. ` +
        `Baseline on the first ${naiveInputs.length} inputs; results differing from the fast path: ${mismatches}.`,
    },
    {
      name: "calendar: SLA clock start + pause + resume + verdict with reason",
      value: Math.round(clock.perSecond),
      unit: "ops/s",
      notes: `${clockInputs.length} clocks of 1–30 working days from the same inputs.`,
    },
  ];
}

runIfMain(import.meta.url, run);
