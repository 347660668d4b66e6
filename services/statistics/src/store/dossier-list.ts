import { type Period, periodEnd } from "@tthc/calendar";
import { formatInstant } from "@tthc/contracts";
import type { Pool } from "@tthc/service-kit";
import type { Attribution } from "../domain/attribution.js";
import { unitColumn } from "../domain/daily-sums.js";
import { type DossierFigure, figurePredicate } from "../domain/dossier-figures.js";
import { deadlineFlags } from "../domain/dossier-view.js";
import { instantsOf } from "./figures.js";
import { bindInstants, dossierSql } from "./predicate-sql.js";
import { liveTables as t } from "./tables.js";

/** A step run as the latest sla event of the dossier gives it. */
export interface StepRunView {
  runNo: number;
  stepId: string;
  unitCode: string;
  staffId: string | null;
  startedAt: string;
  endedAt: string | null;
  dueAt: string | null;
  late: boolean;
}

/** One dossier behind a figure: the fields every view of a dossier shares (docs/domain.md). */
export interface DossierRow {
  dossierId: string;
  dossierCode: string | null;
  receivingUnitCode: string | null;
  competentUnitCode: string | null;
  currentUnitCode: string | null;
  procedureCode: string | null;
  procedureName: string | null;
  field: string | null;
  channel: string | null;
  state: string | null;
  receivedAt: string | null;
  /** The due instant in force: the monitor's latest, else the receipt's; null while paused. */
  dueAt: string | null;
  dueSoonAt: string | null;
  /** At the period's reference instant: its end, or now for a period not over. */
  overdue: boolean;
  dueSoon: boolean;
  lateSince: string | null;
  paused: boolean | null;
  extendedDueAt: string | null;
  finishedAt: string | null;
  endKind: string | null;
  stopReason: string | null;
  verdict: string | null;
  verdictReason: string | null;
  unitAtFaultCode: string | null;
  usedMinutes: number | null;
  transfers: number;
  /** The highest sequence of the monitor's events shown here; null before the first one. */
  slaSequence: number | null;
  steps: StepRunView[];
}

export interface DossierListQuery {
  period: Period;
  now: Date;
  figure: DossierFigure;
  attribution: Attribution;
  units?: string[];
  /** Only the dossiers of this procedure. */
  procedure?: string;
  limit: number;
  offset: number;
}

interface Raw {
  dossier_id: string;
  dossier_code: string | null;
  receiving_unit_code: string | null;
  competent_unit_code: string | null;
  current_unit_code: string | null;
  procedure_code: string | null;
  procedure_name: string | null;
  field: string | null;
  channel: string | null;
  state: string | null;
  received_at: Date | null;
  due_at: Date | null;
  due_soon_at: Date | null;
  late_since: Date | null;
  paused: boolean | null;
  extended_due_at: Date | null;
  finished_at: Date | null;
  end_kind: string | null;
  stop_reason: string | null;
  verdict: string | null;
  verdict_reason: string | null;
  unit_at_fault_code: string | null;
  used_minutes: number | null;
  transfers: number;
  sla_sequence: number | null;
}

const iso = (d: Date | null) => (d === null ? null : formatInstant(d));
const ms = (d: Date | null) => (d === null ? null : d.getTime());

/** The dossiers behind a figure of a period, in order of reception, with their step runs. */
export async function listDossiers(pool: Pool, q: DossierListQuery): Promise<DossierRow[]> {
  const instants = instantsOf(q.period, q.now);
  const values: unknown[] = [q.limit, q.offset];
  let where: string;
  if (q.figure === "late_steps") {
    values.push(instants.start, instants.end);
    const units = q.units ? ` AND r.unit_code = ANY($${values.push(q.units)}::text[])` : "";
    where = `EXISTS (SELECT 1 FROM ${t.runs} r WHERE r.dossier_id = x.dossier_id AND r.late
               AND r.ended_at >= $3::timestamptz AND r.ended_at < $4::timestamptz${units})`;
  } else {
    const predicate = figurePredicate[q.figure];
    const bound = bindInstants(predicate, instants, 3);
    values.push(...bound.values);
    where = dossierSql(predicate, bound.params);
    // One unit by equality, which PostgreSQL reads in order from the unit's index (migration 005);
    // an array it would read in order of reception over the whole province.
    const column = `x.${unitColumn[q.attribution]}`;
    if (q.units?.length === 1) where += ` AND ${column} = $${values.push(q.units[0])}`;
    else if (q.units) where += ` AND ${column} = ANY($${values.push(q.units)}::text[])`;
  }
  if (q.procedure) where += ` AND x.procedure_code = $${values.push(q.procedure)}`;
  const { rows } = await pool.query<Raw>(
    `SELECT x.dossier_id, x.dossier_code, x.receiving_unit_code, x.competent_unit_code, x.current_unit_code,
            x.procedure_code, x.procedure_name, x.field, x.channel, x.state, x.received_at, x.due_at, x.due_soon_at,
            x.late_since, x.paused, x.extended_due_at, x.finished_at, x.end_kind, x.stop_reason, x.verdict,
            x.verdict_reason, x.unit_at_fault_code, x.used_minutes, x.transfers, x.sla_sequence
       FROM ${t.dossiers} x
      WHERE x.received_at IS NOT NULL AND ${where}
      ORDER BY x.received_at, x.dossier_code, x.dossier_id
      LIMIT $1 OFFSET $2`,
    values,
  );
  const steps = await stepsOf(
    pool,
    rows.map((r) => r.dossier_id),
  );
  // periodRef's choice: the period's end once it is over, else now.
  const ref = { at: Date.parse(instants.at), isNow: !(periodEnd(q.period).getTime() < q.now.getTime()) };
  return rows.map((r) => ({
    dossierId: r.dossier_id,
    dossierCode: r.dossier_code,
    receivingUnitCode: r.receiving_unit_code,
    competentUnitCode: r.competent_unit_code,
    currentUnitCode: r.current_unit_code,
    procedureCode: r.procedure_code,
    procedureName: r.procedure_name,
    field: r.field,
    channel: r.channel,
    state: r.state,
    receivedAt: iso(r.received_at),
    dueAt: iso(r.due_at),
    dueSoonAt: iso(r.due_soon_at),
    ...deadlineFlags(
      { state: r.state, dueAt: ms(r.due_at), dueSoonAt: ms(r.due_soon_at), finishedAt: ms(r.finished_at) },
      ref,
    ),
    lateSince: iso(r.late_since),
    paused: r.paused,
    extendedDueAt: iso(r.extended_due_at),
    finishedAt: iso(r.finished_at),
    endKind: r.end_kind,
    stopReason: r.stop_reason,
    verdict: r.verdict,
    verdictReason: r.verdict_reason,
    unitAtFaultCode: r.unit_at_fault_code,
    usedMinutes: r.used_minutes,
    transfers: r.transfers,
    slaSequence: r.sla_sequence,
    steps: steps.get(r.dossier_id) ?? [],
  }));
}

async function stepsOf(pool: Pool, ids: string[]): Promise<Map<string, StepRunView[]>> {
  const out = new Map<string, StepRunView[]>();
  if (ids.length === 0) return out;
  const { rows } = await pool.query<{
    dossier_id: string;
    run_no: number;
    step_id: string;
    unit_code: string;
    staff_id: string | null;
    started_at: Date;
    ended_at: Date | null;
    due_at: Date | null;
    late: boolean;
  }>(
    `SELECT dossier_id, run_no, step_id, unit_code, staff_id, started_at, ended_at, due_at, late
       FROM ${t.runs} WHERE dossier_id = ANY($1::uuid[]) ORDER BY dossier_id, run_no`,
    [ids],
  );
  for (const r of rows) {
    const list = out.get(r.dossier_id) ?? [];
    list.push({
      runNo: r.run_no,
      stepId: r.step_id,
      unitCode: r.unit_code,
      staffId: r.staff_id,
      startedAt: formatInstant(r.started_at),
      endedAt: iso(r.ended_at),
      dueAt: iso(r.due_at),
      late: r.late,
    });
    out.set(r.dossier_id, list);
  }
  return out;
}
