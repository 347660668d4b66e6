import { overduePredicate, toSql } from "@tthc/calendar";
import { type DossierState, openStates } from "@tthc/contracts";
import { isDueSoonDossier, isOverdueDossier } from "../domain/deadline-facts.js";
import type { Db } from "./dossiers.js";

export interface QueueFilter {
  unit?: string;
  status?: DossierState;
  overdue?: boolean;
  dueBefore?: Date;
  limit: number;
  /** The service clock's instant the overdue filter and flags are judged at. */
  now: Date;
}

export interface QueueItem {
  id: string;
  code: string;
  procedureCode: string;
  procedureName: string;
  state: DossierState;
  version: number;
  currentUnitCode: string;
  receivingUnitCode: string;
  assigneeStaffId: string | null;
  stepId: string;
  receivedAt: string;
  dueAt: string | null;
  dueSoonAt: string | null;
  extendedDueAt: string | null;
  overdue: boolean;
  dueSoon: boolean;
}

/** Cursor: the sort key (the latest known due instant) and the id of the last item, base64url JSON. */
export function encodeCursor(knownDueAt: string, id: string): string {
  return Buffer.from(JSON.stringify([knownDueAt, id])).toString("base64url");
}

// PostgreSQL's timestamptz ends in the year 294276; a cursor of ours never reaches past 9999.
const LAST_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");

export function decodeCursor(cursor: string): [Date, string] | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string") {
      const at = Date.parse(v[0]);
      // Only instants a page could have given: a Date PostgreSQL takes, never the text as sent.
      if (at >= 0 && at <= LAST_INSTANT && /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(v[1])) {
        return [new Date(at), v[1]];
      }
    }
  } catch {
    // not a cursor of ours
  }
  return undefined;
}

/** Open states, written from contracts' openStates: the same list the partial indexes name. */
const OPEN = `state IN (${openStates.map((s) => `'${s}'`).join(", ")})`;

/**
 * Overdue at the instant in `$n`: open and past the due instant, the calendar's overdue predicate
 * rendered for SQL. A due instant hidden by a pause (null) is not past, as the predicate says.
 */
function overdueSql(at: string): string {
  const past = (column: string) =>
    toSql(overduePredicate, (name) => {
      if (name === "at") return at;
      if (name === "dueAt") return column;
      throw new Error(`the overdue predicate reads no field ${name}`);
    });
  // The same predicate on the queue's sort key, which equals due_at whenever it is known, bounds the
  // index range scan at `at`: it removes no row, it only lets the scan stop there.
  return `(${OPEN} AND ${past("due_at")} AND ${past("known_due_at")})`;
}

/**
 * One page of a work queue, most urgent first: keyset on (known_due_at, id), so every page is an
 * index range scan whatever its depth (no OFFSET). A dossier whose due instant a pause hides keeps
 * its place by the last one known.
 */
export async function queuePage(
  db: Db,
  f: QueueFilter,
  after?: [Date, string],
): Promise<{ items: QueueItem[]; nextCursor: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.unit) where.push(`current_unit_code = ${p(f.unit)}`);
  if (f.status) where.push(`state = ${p(f.status)}`);
  if (f.overdue === true) where.push(overdueSql(`${p(f.now)}::timestamptz`));
  if (f.overdue === false) where.push(`${overdueSql(`${p(f.now)}::timestamptz`)} IS NOT TRUE`);
  if (f.dueBefore) where.push(`due_at < ${p(f.dueBefore)}`);
  if (after) where.push(`(known_due_at, id) > (${p(after[0])}::timestamptz, ${p(after[1])}::uuid)`);
  const sql = `SELECT id, code, procedure_code, procedure_name, state, version, current_unit_code,
      receiving_unit_code, assignee_staff_id, steps->step_index->>'id' AS step_id, received_at, due_at,
      due_soon_at, known_due_at, extended_due_at
    FROM dossiers ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY known_due_at, id LIMIT ${p(f.limit + 1)}`;
  const { rows } = await db.query<{
    id: string;
    code: string;
    procedure_code: string;
    procedure_name: string;
    state: DossierState;
    version: number;
    current_unit_code: string;
    receiving_unit_code: string;
    assignee_staff_id: string | null;
    step_id: string;
    received_at: Date;
    due_at: Date | null;
    due_soon_at: Date | null;
    known_due_at: Date;
    extended_due_at: Date | null;
  }>(sql, params);
  const page = rows.slice(0, f.limit);
  const items = page.map((r): QueueItem => {
    const dueAt = r.due_at?.toISOString() ?? null;
    const dueSoonAt = r.due_soon_at?.toISOString() ?? null;
    return {
      id: r.id,
      code: r.code,
      procedureCode: r.procedure_code,
      procedureName: r.procedure_name,
      state: r.state,
      version: r.version,
      currentUnitCode: r.current_unit_code,
      receivingUnitCode: r.receiving_unit_code,
      assigneeStaffId: r.assignee_staff_id,
      stepId: r.step_id,
      receivedAt: r.received_at.toISOString(),
      dueAt,
      dueSoonAt,
      extendedDueAt: r.extended_due_at?.toISOString() ?? null,
      overdue: isOverdueDossier(r.state, dueAt, f.now),
      dueSoon: isDueSoonDossier(r.state, dueSoonAt, dueAt, f.now),
    };
  });
  const last = page[page.length - 1];
  return {
    items,
    nextCursor: rows.length > f.limit && last ? encodeCursor(last.known_due_at.toISOString(), last.id) : null,
  };
}
