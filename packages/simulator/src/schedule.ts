import type { DriveReport } from "./driver.js";
import { type DossierScript, planDay } from "./plan.js";
import type { Province } from "./province.js";

export interface RunPlan {
  seed: number;
  /** The first simulated local day, `YYYY-MM-DD`. */
  firstDate: string;
  days: number;
  /** Dossiers in each simulated day: the rate of the run. */
  dossiersPerDay: number;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Several consecutive days, each reproducible from the seed and its index, numbered across the run. */
export function planDays(province: Province, plan: RunPlan): DossierScript[] {
  const out: DossierScript[] = [];
  for (let d = 0; d < plan.days; d++) {
    const day = planDay(province, {
      seed: plan.seed * 1_000 + d,
      date: addDays(plan.firstDate, d),
      dossiers: plan.dossiersPerDay,
    });
    for (const s of day) out.push({ ...s, seq: out.length + 1 });
  }
  return out;
}

/**
 * When to act out each dossier, in milliseconds from the start of the run, to replay the days'
 * rhythm `speed` times faster than real time (1440: a day a minute). Late dossiers, submitted
 * weeks before their day, are acted out at the start of their day.
 */
export function releaseOffsets(
  scripts: readonly DossierScript[],
  firstDate: string,
  speed: number,
): number[] {
  const start = Date.parse(`${firstDate}T00:00:00+07:00`);
  return scripts.map((s) => Math.max(0, (Date.parse(s.submittedAt) - start) / speed));
}

/** Groups scripts into windows of `windowMs` by their release offset, in order. */
export function releaseWindows(
  scripts: readonly DossierScript[],
  offsets: readonly number[],
  windowMs: number,
): { at: number; scripts: DossierScript[] }[] {
  const byWindow = new Map<number, DossierScript[]>();
  scripts.forEach((s, i) => {
    const at = Math.floor(offsets[i]! / windowMs) * windowMs;
    const list = byWindow.get(at) ?? [];
    list.push(s);
    byWindow.set(at, list);
  });
  return [...byWindow.entries()].sort(([a], [b]) => a - b).map(([at, list]) => ({ at, scripts: list }));
}

/** One report from the reports of several driver runs of the same simulation. */
export function mergeReports(runId: string, reports: readonly DriveReport[]): DriveReport {
  const merged: DriveReport = { runId, units: {}, dossiers: [], failures: [], retries: 0 };
  for (const r of reports) {
    merged.retries += r.retries;
    merged.dossiers.push(...r.dossiers);
    merged.failures.push(...r.failures);
    for (const [code, u] of Object.entries(r.units)) {
      const m = merged.units[code];
      if (!m) {
        merged.units[code] = structuredClone(u);
        continue;
      }
      for (const key of Object.keys(u) as (keyof typeof u)[]) {
        if (key === "received") {
          m.received.online += u.received.online;
          m.received.direct += u.received.direct;
          m.received.postal += u.received.postal;
        } else m[key] += u[key];
      }
    }
  }
  merged.dossiers.sort((a, b) => a.seq - b.seq);
  return merged;
}
