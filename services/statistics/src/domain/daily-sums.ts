import { and, equals, field, holds, type Predicate, present } from "@tthc/calendar";
import { type Attribution, attributions } from "./attribution.js";
import type { Row } from "./row-fold.js";

/**
 * What each dossier adds to the daily sums (docs/domain.md, "Figures"), written once and read two
 * ways: rendered as SQL to sum a whole table (after a rebuild, store/dossiers.ts), and evaluated here
 * on one row to add the change a run makes to a dossier's part (the live path). A dossier counts
 * under each attribution for the unit it names: on the day of its reception (received) and on the
 * day of its end (finished and its verdicts); each late step run counts on the day it ended for the
 * unit that held it. The sums are additive, so a change is the new part less the old one.
 */

/** The additive columns of the daily sums (stat_daily), in their table order. */
export const sumColumns = [
  "received",
  "finished",
  "resolved",
  "stopped",
  "withdrawn",
  "early",
  "on_time",
  "late",
  "resolved_early",
  "resolved_on_time",
  "resolved_late",
  "resolved_online_electronic",
  "used_minutes_sum",
  "used_count",
  "late_steps",
] as const;
export type SumColumn = (typeof sumColumns)[number];

/** One sum's share of a row: 1 where a predicate on the row holds, or a column's value, or a constant. */
export type Share =
  | { kind: "count"; when: Predicate }
  | { kind: "value"; column: string }
  | { kind: "constant"; n: 0 | 1 };

const count = (when: Predicate): Share => ({ kind: "count", when });
const is = (column: string, value: string | boolean) => equals(field(column), value);
const zero: Share = { kind: "constant", n: 0 };
const one: Share = { kind: "constant", n: 1 };

/** What a finished dossier adds on the day of its end. */
export const finishedShares: Record<SumColumn, Share> = {
  received: zero,
  finished: one,
  resolved: count(is("end_kind", "resolved")),
  stopped: count(is("end_kind", "stopped")),
  withdrawn: count(is("stop_reason", "withdrawn")),
  early: count(is("verdict", "early")),
  on_time: count(is("verdict", "on_time")),
  late: count(is("verdict", "late")),
  resolved_early: count(and(is("end_kind", "resolved"), is("verdict", "early"))),
  resolved_on_time: count(and(is("end_kind", "resolved"), is("verdict", "on_time"))),
  resolved_late: count(and(is("end_kind", "resolved"), is("verdict", "late"))),
  resolved_online_electronic: count(
    and(is("end_kind", "resolved"), is("channel", "online"), is("electronic_result", true)),
  ),
  used_minutes_sum: { kind: "value", column: "used_minutes" },
  used_count: count(present(field("used_minutes"))),
  late_steps: zero,
};

/** A share that is 1 for one column and 0 for the others (a reception, a late step). */
export const onlyShare = (col: SumColumn): Record<SumColumn, Share> =>
  Object.fromEntries(sumColumns.map((c) => [c, c === col ? one : zero])) as Record<SumColumn, Share>;

/** The column of a dossier row naming the unit it counts for under each attribution. */
export const unitColumn: Record<Attribution, string> = {
  competent: "competent_unit_code",
  receiving: "receiving_unit_code",
};

/** A late step run of a dossier, as the step-runs table holds it. */
export interface LateRun {
  unit_code: string;
  ended_day: string | null;
}

/** The key of a daily sum and its values. */
export interface DailyPart {
  attribution: Attribution;
  unit_code: string;
  day: string;
  procedure_code: string;
  field: string;
  channel: string;
  sums: number[];
}

function shareOf(share: Share, row: Row): number {
  if (share.kind === "constant") return share.n;
  if (share.kind === "value") return Number(row[share.column] ?? 0);
  return holds(share.when, row as Record<string, string | number | boolean | null>) ? 1 : 0;
}

/** What one dossier (with its late step runs) adds to the daily sums; none before its reception. */
export function dailyParts(row: Row | undefined, lateRuns: readonly LateRun[]): DailyPart[] {
  if (!row || row.received_at === null || row.received_at === undefined) return [];
  const parts: DailyPart[] = [];
  const part = (a: Attribution, unit: string, day: string, shares: Record<SumColumn, Share>) =>
    parts.push({
      attribution: a,
      unit_code: unit,
      day,
      procedure_code: String(row.procedure_code),
      field: String(row.field),
      channel: String(row.channel),
      sums: sumColumns.map((c) => shareOf(shares[c], row)),
    });
  for (const a of attributions) {
    const unit = row[unitColumn[a]];
    if (typeof unit === "string") {
      part(a, unit, String(row.received_day), onlyShare("received"));
      if (typeof row.finished_day === "string") part(a, unit, row.finished_day, finishedShares);
    }
    for (const r of lateRuns) if (r.ended_day) part(a, r.unit_code, r.ended_day, onlyShare("late_steps"));
  }
  return parts;
}

const keyOf = (p: DailyPart) =>
  [p.attribution, p.unit_code, p.day, p.procedure_code, p.field, p.channel].join("\u0000");

/**
 * The change to the daily sums: each dossier's new parts less its old ones, summed per key; keys
 * whose change is zero are left out.
 */
export function dailyDelta(changes: Iterable<{ before: DailyPart[]; after: DailyPart[] }>): DailyPart[] {
  const byKey = new Map<string, DailyPart>();
  const add = (p: DailyPart, sign: 1 | -1) => {
    const k = keyOf(p);
    let d = byKey.get(k);
    if (!d) {
      d = { ...p, sums: sumColumns.map(() => 0) };
      byKey.set(k, d);
    }
    for (let i = 0; i < p.sums.length; i++) d.sums[i] = (d.sums[i] as number) + sign * (p.sums[i] as number);
  };
  for (const c of changes) {
    for (const p of c.before) add(p, -1);
    for (const p of c.after) add(p, 1);
  }
  return [...byKey.values()].filter((d) => d.sums.some((n) => n !== 0));
}

/** The channels the per-unit sums split receptions by. */
export const receivedChannels = ["direct", "online", "postal"] as const;

/** The units a change feeds: those whose figures a client of the live stream would see move. */
export function unitsOf(parts: Iterable<DailyPart>): Set<string> {
  const units = new Set<string>();
  for (const p of parts) units.add(p.unit_code);
  return units;
}
