import type { PoolClient } from "@tthc/service-kit";
import type { Dossier, StepVisit, TimelineEntry } from "../domain/dossier.js";
import {
  type Db,
  fromRow,
  insertedColumns,
  mutable,
  type Row,
  StaleVersion,
  type VisitRow,
  visitOf,
} from "./dossiers.js";
import { applyKeptSla } from "./sla.js";

/*
 * The consumer's set-based reads and writes of dossiers: a run's rows in one statement per table,
 * whatever its length (docs/decisions.md, "Set-based, duplicate-proof consumers").
 */

/** These dossiers (those received), locked until the transaction ends, by id: two queries whatever the count. */
export async function loadDossiers(tx: PoolClient, ids: readonly string[]): Promise<Map<string, Dossier>> {
  if (ids.length === 0) return new Map();
  const { rows } = await tx.query<Row>(
    "SELECT * FROM dossiers WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE",
    [ids],
  );
  const visits = await tx.query<VisitRow & { dossier_id: string }>(
    "SELECT * FROM step_visits WHERE dossier_id = ANY($1::uuid[]) ORDER BY dossier_id, run_no",
    [ids],
  );
  const byDossier = new Map<string, StepVisit[]>();
  for (const v of visits.rows)
    byDossier.set(v.dossier_id, [...(byDossier.get(v.dossier_id) ?? []), visitOf(v)]);
  return new Map(rows.map((r) => [r.id, fromRow(r, byDossier.get(r.id) ?? [])]));
}

/** The dossier as a row of `dossiers`, its keys the columns' names. */
function rowOf(d: Dossier): Record<string, unknown> {
  return {
    id: d.id,
    code: d.code,
    procedure_code: d.procedureCode,
    procedure_name: d.procedureName,
    receiving_unit_code: d.receivingUnitCode,
    competent_unit_code: d.competentUnitCode,
    supplement_rule: d.supplementRule,
    max_supplement_requests: d.maxSupplementRequests,
    received_at: d.receivedAt,
    due_at: d.dueAt,
    due_soon_at: d.dueSoonAt,
    known_due_at: d.knownDueAt,
    current_unit_code: d.currentUnitCode,
    assignee_staff_id: d.assigneeStaffId,
    assignee_name: d.assigneeName,
    state: d.state,
    version: d.version,
    steps: d.steps,
    step_index: d.stepIndex,
    extended_due_at: d.extendedDueAt,
    extension_previous_due_at: d.extensionPreviousDueAt,
    extended_at: d.extendedAt,
    extension_reason: d.extensionReason,
    supplement_requests: d.supplementRequests,
    paused_at: d.pausedAt,
    withdrawal_from_state: d.withdrawalFromState,
    outcome: d.outcome,
    resolved_at: d.resolvedAt,
    return_channel: d.returnChannel,
    returned_at: d.returnedAt,
    stop_reason: d.stopReason,
    stopped_at: d.stoppedAt,
    updated_at: d.updatedAt,
  };
}

/** One dossier's folds: as read (null when new), after its events, and their timeline lines in order. */
export interface Fold {
  before: Dossier | null;
  dossier: Dossier;
  entries: TimelineEntry[];
}

/**
 * Writes what `apply` gave for many dossiers with four statements whatever the count: the new rows
 * inserted, the others updated only if still at the version they were read at, the changed step
 * visits, and the timeline lines. Throws `StaleVersion` when another transaction moved a dossier first.
 */
export async function saveFolds(tx: PoolClient, folds: readonly Fold[]): Promise<void> {
  if (folds.length === 0) return;
  const fresh = folds.filter((f) => f.before === null);
  const moved = folds.filter((f) => f.before !== null);
  if (fresh.length > 0) {
    const cols = insertedColumns.join(", ");
    await tx.query(
      `INSERT INTO dossiers (${cols}) SELECT ${cols} FROM jsonb_populate_recordset(NULL::dossiers, $1::jsonb)`,
      [JSON.stringify(fresh.map((f) => rowOf(f.dossier)))],
    );
    // The monitor's deadlines may have arrived first.
    await applyKeptSla(
      tx,
      fresh.map((f) => f.dossier.id),
    );
  }
  if (moved.length > 0) {
    const res = await tx.query(
      `UPDATE dossiers d SET ${mutable.map((c) => `${c} = x.${c}`).join(", ")}
       FROM jsonb_populate_recordset(NULL::dossiers, $1::jsonb) AS x, unnest($2::uuid[], $3::int[]) AS b(id, version)
       WHERE d.id = x.id AND b.id = x.id AND d.version = b.version`,
      [
        JSON.stringify(moved.map((f) => rowOf(f.dossier))),
        moved.map((f) => f.dossier.id),
        moved.map((f) => f.before?.version),
      ],
    );
    if (res.rowCount !== moved.length) {
      const first = moved[0] as Fold;
      throw new StaleVersion(first.dossier.id, first.before?.version ?? 0);
    }
  }
  const visits = folds.flatMap((f) => {
    const old = new Map((f.before?.visits ?? []).map((v) => [v.runNo, JSON.stringify(v)]));
    return f.dossier.visits
      .filter((v) => old.get(v.runNo) !== JSON.stringify(v))
      .map((v) => ({
        dossier_id: f.dossier.id,
        run_no: v.runNo,
        step_id: v.stepId,
        unit_code: v.unitCode,
        staff_id: v.staffId,
        started_at: v.startedAt,
        ended_at: v.endedAt,
      }));
  });
  if (visits.length > 0)
    await tx.query(
      `INSERT INTO step_visits (dossier_id, run_no, step_id, unit_code, staff_id, started_at, ended_at)
       SELECT dossier_id, run_no, step_id, unit_code, staff_id, started_at, ended_at
       FROM jsonb_populate_recordset(NULL::step_visits, $1::jsonb)
       ON CONFLICT (dossier_id, run_no) DO UPDATE SET step_id = EXCLUDED.step_id, unit_code = EXCLUDED.unit_code,
         staff_id = EXCLUDED.staff_id, started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at`,
      [JSON.stringify(visits)],
    );
  const entries = folds.flatMap((f) =>
    f.entries.map((e) => ({
      event_id: e.eventId,
      dossier_id: e.dossierId,
      seq: e.seq,
      type: e.type,
      occurred_at: e.occurredAt,
      staff_id: e.staffId,
      unit_code: e.unitCode,
      state_after: e.stateAfter,
      note: e.note,
      details: e.details,
    })),
  );
  await tx.query(
    `INSERT INTO timeline (event_id, dossier_id, seq, type, occurred_at, staff_id, unit_code, state_after, note, details)
     SELECT event_id, dossier_id, seq, type, occurred_at, staff_id, unit_code, state_after, note, details
     FROM jsonb_populate_recordset(NULL::timeline, $1::jsonb)`,
    [JSON.stringify(entries)],
  );
}

/** Which of these events are already in a timeline: applied by the action that wrote them, or before. */
export async function eventsInTimeline(db: Db, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const { rows } = await db.query<{ event_id: string }>(
    "SELECT event_id::text FROM timeline WHERE event_id = ANY($1::uuid[])",
    [eventIds],
  );
  return new Set(rows.map((r) => r.event_id));
}
