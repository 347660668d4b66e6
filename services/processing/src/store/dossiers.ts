import {
  competentUnitOf,
  type DossierState,
  type DossierStep,
  type ReturnChannel,
  type SupplementRule,
} from "@tthc/contracts";
import type { Pool, PoolClient } from "@tthc/service-kit";
import type { Applied } from "../domain/apply.js";
import type { Dossier, StepVisit, TimelineEntry } from "../domain/dossier.js";
import { applyKeptSla } from "./sla.js";

export type Db = Pool | PoolClient;

/** Thrown when `UPDATE ... WHERE version = $expected` found another version: someone acted first. */
export class StaleVersion extends Error {
  constructor(
    readonly dossierId: string,
    readonly expected: number,
  ) {
    super(`dossier ${dossierId} is no longer at version ${expected}`);
    this.name = "StaleVersion";
  }
}

const ts = (v: Date | null): string | null => (v === null ? null : v.toISOString());

export interface Row {
  id: string;
  code: string;
  procedure_code: string;
  procedure_name: string;
  receiving_unit_code: string;
  competent_unit_code: string | null;
  current_unit_code: string;
  assignee_staff_id: string | null;
  assignee_name: string | null;
  state: DossierState;
  version: number;
  steps: DossierStep[];
  step_index: number;
  supplement_rule: SupplementRule;
  max_supplement_requests: number | null;
  received_at: Date;
  due_at: Date | null;
  due_soon_at: Date | null;
  known_due_at: Date;
  extended_due_at: Date | null;
  extension_previous_due_at: Date | null;
  extended_at: Date | null;
  extension_reason: string | null;
  supplement_requests: number;
  paused_at: Date | null;
  withdrawal_from_state: DossierState | null;
  outcome: "approved" | "refused" | null;
  resolved_at: Date | null;
  return_channel: ReturnChannel | null;
  returned_at: Date | null;
  stop_reason: string | null;
  stopped_at: Date | null;
  updated_at: Date;
}

export function fromRow(r: Row, visits: StepVisit[]): Dossier {
  return {
    id: r.id,
    code: r.code,
    procedureCode: r.procedure_code,
    procedureName: r.procedure_name,
    receivingUnitCode: r.receiving_unit_code,
    competentUnitCode: r.competent_unit_code ?? competentUnitOf(r.steps, r.receiving_unit_code),
    currentUnitCode: r.current_unit_code,
    assigneeStaffId: r.assignee_staff_id,
    assigneeName: r.assignee_name,
    state: r.state,
    version: r.version,
    steps: r.steps,
    stepIndex: r.step_index,
    supplementRule: r.supplement_rule,
    maxSupplementRequests: r.max_supplement_requests,
    receivedAt: r.received_at.toISOString(),
    dueAt: ts(r.due_at),
    dueSoonAt: ts(r.due_soon_at),
    knownDueAt: r.known_due_at.toISOString(),
    extendedDueAt: ts(r.extended_due_at),
    extensionPreviousDueAt: ts(r.extension_previous_due_at),
    extendedAt: ts(r.extended_at),
    extensionReason: r.extension_reason,
    supplementRequests: r.supplement_requests,
    pausedAt: ts(r.paused_at),
    withdrawalFromState: r.withdrawal_from_state,
    outcome: r.outcome,
    resolvedAt: ts(r.resolved_at),
    returnChannel: r.return_channel,
    returnedAt: ts(r.returned_at),
    stopReason: r.stop_reason,
    stoppedAt: ts(r.stopped_at),
    updatedAt: r.updated_at.toISOString(),
    visits,
  };
}

export interface VisitRow {
  run_no: number;
  step_id: string;
  unit_code: string;
  staff_id: string | null;
  started_at: Date;
  ended_at: Date | null;
}

export const visitOf = (r: VisitRow): StepVisit => ({
  runNo: r.run_no,
  stepId: r.step_id,
  unitCode: r.unit_code,
  staffId: r.staff_id,
  startedAt: r.started_at.toISOString(),
  endedAt: ts(r.ended_at),
});

export async function loadDossier(db: Db, id: string): Promise<Dossier | undefined> {
  const { rows } = await db.query<Row>("SELECT * FROM dossiers WHERE id = $1", [id]);
  const row = rows[0];
  if (!row) return undefined;
  const visits = await db.query<VisitRow>("SELECT * FROM step_visits WHERE dossier_id = $1 ORDER BY run_no", [
    id,
  ]);
  return fromRow(row, visits.rows.map(visitOf));
}

// Every column a fold may change; the due instants are written at insert only, since the monitor moves them.
export const mutable = [
  "current_unit_code",
  "assignee_staff_id",
  "assignee_name",
  "state",
  "version",
  "steps",
  "step_index",
  "extended_due_at",
  "extension_previous_due_at",
  "extended_at",
  "extension_reason",
  "supplement_requests",
  "paused_at",
  "withdrawal_from_state",
  "outcome",
  "resolved_at",
  "return_channel",
  "returned_at",
  "stop_reason",
  "stopped_at",
  "updated_at",
] as const;

/** Every column a new dossier's row is written with: what never changes, then `mutable`. */
export const insertedColumns = [
  "id",
  "code",
  "procedure_code",
  "procedure_name",
  "receiving_unit_code",
  "competent_unit_code",
  "supplement_rule",
  "max_supplement_requests",
  "received_at",
  "due_at",
  "due_soon_at",
  "known_due_at",
  ...mutable,
];

function mutableValues(d: Dossier): unknown[] {
  return [
    d.currentUnitCode,
    d.assigneeStaffId,
    d.assigneeName,
    d.state,
    d.version,
    JSON.stringify(d.steps),
    d.stepIndex,
    d.extendedDueAt,
    d.extensionPreviousDueAt,
    d.extendedAt,
    d.extensionReason,
    d.supplementRequests,
    d.pausedAt,
    d.withdrawalFromState,
    d.outcome,
    d.resolvedAt,
    d.returnChannel,
    d.returnedAt,
    d.stopReason,
    d.stoppedAt,
    d.updatedAt,
  ];
}

/**
 * Writes what `apply` gave for one dossier (an action's): the row (inserted, or updated only if
 * still at the version it was read at), its changed step runs and its timeline line, with plain
 * parameters: a one-row statement plans faster than `saveFolds`'s, and an action is one dossier.
 * Throws `StaleVersion` when another transaction moved the dossier first.
 */
export async function saveApplied(tx: PoolClient, before: Dossier | null, applied: Applied): Promise<void> {
  const d = applied.dossier;
  if (before === null) {
    const fixed = [
      d.id,
      d.code,
      d.procedureCode,
      d.procedureName,
      d.receivingUnitCode,
      d.competentUnitCode,
      d.supplementRule,
      d.maxSupplementRequests,
      d.receivedAt,
      d.dueAt,
      d.dueSoonAt,
      d.knownDueAt,
    ];
    const values = [...fixed, ...mutableValues(d)];
    await tx.query(
      `INSERT INTO dossiers (${insertedColumns.join(", ")}) VALUES (${values.map((_, i) => `$${i + 1}`).join(", ")})`,
      values,
    );
    // The monitor's deadlines may have arrived first.
    await applyKeptSla(tx, [d.id]);
  } else {
    const values = mutableValues(d);
    const set = mutable.map((c, i) => `${c} = $${i + 3}`).join(", ");
    const res = await tx.query(`UPDATE dossiers SET ${set} WHERE id = $1 AND version = $2`, [
      d.id,
      before.version,
      ...values,
    ]);
    if (res.rowCount !== 1) throw new StaleVersion(d.id, before.version);
  }
  const old = new Map((before?.visits ?? []).map((v) => [v.runNo, JSON.stringify(v)]));
  for (const v of d.visits) {
    if (old.get(v.runNo) === JSON.stringify(v)) continue;
    await tx.query(
      `INSERT INTO step_visits (dossier_id, run_no, step_id, unit_code, staff_id, started_at, ended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (dossier_id, run_no) DO UPDATE SET step_id = $3, unit_code = $4, staff_id = $5,
         started_at = $6, ended_at = $7`,
      [d.id, v.runNo, v.stepId, v.unitCode, v.staffId, v.startedAt, v.endedAt],
    );
  }
  const e = applied.entry;
  await tx.query(
    `INSERT INTO timeline (event_id, dossier_id, seq, type, occurred_at, staff_id, unit_code, state_after, note, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      e.eventId,
      e.dossierId,
      e.seq,
      e.type,
      e.occurredAt,
      e.staffId,
      e.unitCode,
      e.stateAfter,
      e.note,
      JSON.stringify(e.details),
    ],
  );
}

export async function loadTimeline(db: Db, dossierId: string): Promise<TimelineEntry[]> {
  const { rows } = await db.query<{
    event_id: string;
    dossier_id: string;
    seq: number;
    type: string;
    occurred_at: Date;
    staff_id: string | null;
    unit_code: string;
    state_after: DossierState;
    note: string | null;
    details: Record<string, unknown>;
  }>("SELECT * FROM timeline WHERE dossier_id = $1 ORDER BY seq", [dossierId]);
  return rows.map((r) => ({
    eventId: r.event_id,
    dossierId: r.dossier_id,
    seq: r.seq,
    type: r.type,
    occurredAt: r.occurred_at.toISOString(),
    staffId: r.staff_id,
    unitCode: r.unit_code,
    stateAfter: r.state_after,
    note: r.note,
    details: r.details,
  }));
}

/** The units a dossier belongs to, for the access check: holding now, receiving, and every step's. */
export interface DossierUnits {
  current: string;
  receiving: string;
  steps: string[];
}

export async function dossierUnits(db: Db, id: string): Promise<DossierUnits | undefined> {
  const { rows } = await db.query<DossierUnits>(
    `SELECT current_unit_code AS current, receiving_unit_code AS receiving,
       ARRAY(SELECT DISTINCT unit_code FROM step_visits WHERE dossier_id = d.id) AS steps
     FROM dossiers d WHERE id = $1`,
    [id],
  );
  return rows[0];
}
