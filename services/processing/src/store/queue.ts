import type { DossierState } from "@tthc/contracts";
import type { Db } from "./dossiers.js";

export interface QueueFilter {
  unit?: string;
  status?: DossierState;
  overdue?: boolean;
  dueBefore?: Date;
  cursor?: string;
  limit: number;
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
  dueAt: string;
  extendedDueAt: string | null;
  overdue: boolean;
}

/** Cursor: the sort key (due_at) and the id of the last item, base64url JSON. */
export function encodeCursor(dueAt: string, id: string): string {
  return Buffer.from(JSON.stringify([dueAt, id])).toString("base64url");
}

export function decodeCursor(cursor: string): [string, string] | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === "string" &&
      !Number.isNaN(Date.parse(v[0])) &&
      typeof v[1] === "string" &&
      /^[0-9a-f-]{36}$/i.test(v[1])
    ) {
      return [v[0], v[1]];
    }
  } catch {
    // not a cursor of ours
  }
  return undefined;
}

const RUNNING = "state IN ('received', 'processing')";

/**
 * One page of a work queue, most urgent first: keyset on (due_at, id), so every page is an index
 * range scan whatever its depth (no OFFSET).
 */
export async function queuePage(
  db: Db,
  f: QueueFilter,
  after?: [string, string],
): Promise<{ items: QueueItem[]; nextCursor: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.unit) where.push(`current_unit_code = ${p(f.unit)}`);
  if (f.status) where.push(`state = ${p(f.status)}`);
  if (f.overdue === true) where.push(`${RUNNING} AND due_at < ${p(f.now)}`);
  if (f.overdue === false) where.push(`NOT (${RUNNING} AND due_at < ${p(f.now)})`);
  if (f.dueBefore) where.push(`due_at < ${p(f.dueBefore)}`);
  if (after) where.push(`(due_at, id) > (${p(after[0])}::timestamptz, ${p(after[1])}::uuid)`);
  const sql = `SELECT id, code, procedure_code, procedure_name, state, version, current_unit_code,
      receiving_unit_code, assignee_staff_id, steps->step_index->>'id' AS step_id, received_at, due_at,
      extended_due_at
    FROM dossiers ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY due_at, id LIMIT ${p(f.limit + 1)}`;
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
    due_at: Date;
    extended_due_at: Date | null;
  }>(sql, params);
  const page = rows.slice(0, f.limit);
  const items = page.map((r) => ({
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
    dueAt: r.due_at.toISOString(),
    extendedDueAt: r.extended_due_at?.toISOString() ?? null,
    overdue: (r.state === "received" || r.state === "processing") && r.due_at.getTime() < f.now.getTime(),
  }));
  const last = page[page.length - 1];
  return {
    items,
    nextCursor: rows.length > f.limit && last ? encodeCursor(last.due_at.toISOString(), last.id) : null,
  };
}
