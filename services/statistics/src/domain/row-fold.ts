import { localDay } from "@tthc/calendar";
import type { RowPatch, Value } from "./patch.js";

/**
 * The fold of a run's patches onto the rows they touch, in memory: the rows are read once, every
 * patch of the run is applied here in delivery order, and the store writes each changed row once.
 * Applying the patches one by one gives the same row as applying them one upsert at a time did.
 */

/** A row of a table keyed by `dossier_id`, as JSON: instants as ISO strings, days as YYYY-MM-DD. */
export type Row = Record<string, Value | string[]>;

/** The ids of the events whose `set`/`add` a row has taken, sorted (the same after any interleaving). */
export const APPLIED = "applied_event_ids";

const nonEmpty = (o: object | undefined) => o !== undefined && Object.keys(o).length > 0;

/**
 * Whether a guarded group's `(sequence, at)` is at least the row's, compared as PostgreSQL compares
 * the pair: a row without the group takes it, an equal pair writes again (the same values).
 */
function atLeast(row: Row, group: string, sequence: number, at: string): boolean {
  const current = row[`${group}_sequence`];
  if (current === null || current === undefined) return true;
  if (sequence !== Number(current)) return sequence > Number(current);
  return Date.parse(at) >= Date.parse(String(row[`${group}_set_at`]));
}

function withId(ids: string[], id: string): string[] {
  const next = [...ids, id];
  return next.sort();
}

export interface Applied<G extends string> {
  /** The row after the patch; undefined when there was none and the patch creates none. */
  row: Row | undefined;
  /** The guarded groups the patch wrote (its `(sequence, at)` was at least the row's). */
  groups: G[];
}

/**
 * One patch on one row: `set` overwrites, `fill` writes where empty, `add` adds, each guarded group
 * writes only if it is at least the row's. A patch with `set` or `add` applies once per event id:
 * a redelivered copy, in the same run or a later one, finds its id on the row and changes nothing.
 * The other parts are idempotent as they stand (a fill is a no-op the second time; a guarded group
 * writes the same values again or nothing).
 */
export function applyRowPatch<G extends string, C extends string>(
  row: Row | undefined,
  patch: RowPatch<G, C>,
  eventId: string,
  empty: (dossierId: string) => Row,
): Applied<G> {
  if (row === undefined && patch.onlyIfExists) return { row, groups: [] };
  const once = nonEmpty(patch.set) || nonEmpty(patch.add);
  const applied = (row?.[APPLIED] as string[] | undefined) ?? [];
  if (once && applied.includes(eventId)) return { row, groups: [] };
  const next: Row = { ...(row ?? empty(patch.dossierId)) };
  for (const [col, value] of Object.entries(patch.set) as [string, Value | undefined][])
    next[col] = value ?? null;
  for (const [col, value] of Object.entries(patch.fill) as [string, Value | undefined][]) {
    if (col in patch.set) continue;
    if (next[col] === null || next[col] === undefined) next[col] = value ?? null;
  }
  for (const [col, n] of Object.entries(patch.add ?? {}) as [string, number][])
    next[col] = Number(next[col] ?? 0) + n;
  const groups: G[] = [];
  for (const g of patch.guarded) {
    if (!atLeast(next, g.group, g.sequence, g.at)) continue;
    for (const [col, value] of Object.entries(g.set) as [string, Value | undefined][])
      next[col] = value ?? null;
    next[`${g.group}_sequence`] = g.sequence;
    next[`${g.group}_set_at`] = g.at;
    groups.push(g.group);
  }
  if (once) next[APPLIED] = withId(applied, eventId);
  return { row: next, groups };
}

const day = (at: Value | string[] | undefined): string | null =>
  typeof at === "string" ? localDay(new Date(at)) : null;

/**
 * The columns of a dossier row that depend on several events: the end (the verdict's, else the
 * lifecycle's) and its Vietnam day, the day of reception, the due instant in force (the monitor's
 * once it has published one, else the receipt's), the competent unit (the monitor's, else the
 * reception's) and the highest sla sequence shown.
 */
export function withDerived(row: Row): Row {
  const finishedAt = row.verdict_end_at ?? row.end_at ?? null;
  const sequences = [row.deadline_sequence, row.verdict_sequence].filter(
    (s): s is number => s !== null && s !== undefined,
  );
  return {
    ...row,
    finished_at: finishedAt,
    finished_day: day(finishedAt),
    received_day: day(row.received_at),
    due_at:
      (row.deadline_sequence ?? null) === null ? (row.receipt_due_at ?? null) : (row.sla_due_at ?? null),
    competent_unit_code: row.sla_competent_unit_code ?? row.received_competent_unit_code ?? null,
    sla_sequence: sequences.length ? Math.max(...sequences.map(Number)) : null,
  };
}

/** Whether two rows hold the same values (a row the run did not change is not written). */
export function sameRow(a: Row | undefined, b: Row | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const x = a[k] ?? null;
    const y = b[k] ?? null;
    if (Array.isArray(x) || Array.isArray(y)) {
      if (JSON.stringify(x) !== JSON.stringify(y)) return false;
    } else if (x !== y && !sameInstant(x, y)) return false;
  }
  return true;
}

const isInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A row read back from PostgreSQL spells an instant in the session's zone, an event in its own. */
function sameInstant(x: Value, y: Value): boolean {
  if (typeof x !== "string" || typeof y !== "string" || !isInstant.test(x) || !isInstant.test(y))
    return false;
  const a = Date.parse(x);
  return !Number.isNaN(a) && a === Date.parse(y);
}
