import { dueSoonReachedPredicate, formatIsoLocal, isDueSoon, isOverdue, toSql } from "@tthc/calendar";
import { alertKey, createEvent, type DeadlineRef } from "@tthc/contracts";
import type { Pool, PoolClient } from "@tthc/service-kit";
import type { MonitorCalendars } from "../domain/calendars.js";
import {
  ESCALATION_KINDS,
  type EscalationKind,
  escalationChain,
  escalationKey,
  levelOf,
  nextStep,
  stepOverdueMinutes,
} from "../domain/escalation.js";
import { announceAlerts, raiseAlert, uuidFromKey } from "../store/alerts.js";

type TimerKind = "due-soon" | "overdue" | "acceptance-due-soon" | "acceptance-overdue" | EscalationKind;

interface DueTimer {
  dossier_id: string;
  kind: TimerKind;
  partition: number;
  fire_at: Date;
  deadline: Date;
  /** The deadline's holder as it is now (dossier or submission), to re-check the timer against. */
  status: string | null;
  due_at: Date | null;
  due_soon_at: Date | null;
  /** The dossier's promised date, the escalation's deadline. */
  promised_at: Date | null;
  code: string | null;
  unit_code: string | null;
  assignee: string | null;
  calendar_unit: string | null;
  calendar_at: Date | null;
}

export interface Fired {
  /** Timers taken from the index (fired, or dropped as stale). */
  taken: number;
  /** The due-soon and overdue alerts raised, with their lag. */
  alerts: { kind: string; lagMs: number }[];
  /** The escalation steps raised. */
  escalations: number;
}

export interface FireOptions {
  calendars: () => MonitorCalendars;
  /** Working hours overdue after which the escalation goes up a step. */
  escalateAfterHours: number;
}

const isAcceptance = (kind: TimerKind) => kind.startsWith("acceptance-");

/**
 * Timers whose instant has come (a warning's; an overdue timer's is its deadline, which it passes a
 * moment later): the calendar's boundary, rendered for the index on (partition, fire_at).
 */
const WARNING_CAME = toSql(dueSoonReachedPredicate, (f) => (f === "at" ? "$3::timestamptz" : "fire_at"));
const isOverdueKind = (kind: TimerKind) => kind.endsWith("overdue");
const isEscalation = (kind: TimerKind): kind is EscalationKind =>
  (ESCALATION_KINDS as readonly string[]).includes(kind);
/** Timers that fire only once their deadline has passed (at the instant itself it is within time). */
const firesPastDeadline = (kind: TimerKind) => isOverdueKind(kind) || kind === "escalation-unit";

/**
 * Fires up to `limit` due timers of the given partitions in one transaction, at the clock's `now`.
 * Each timer is re-checked against the clock it belongs to (still running, same deadline) and
 * raises its alert once per key; then it leaves the index. An overdue timer fires only once its
 * deadline has passed (the boundary of docs/domain.md: at the due instant itself it is within).
 * SKIP LOCKED lets two instances that both think they own a partition during a rebalance share the
 * work instead of waiting on each other; the alert key makes the rest once. The live streams are
 * woken once the transaction has committed.
 */
export async function fireDue(
  pool: Pool,
  partitions: readonly number[],
  o: FireOptions,
  limit: number,
  now: () => number,
): Promise<Fired> {
  if (partitions.length === 0) return { taken: 0, alerts: [], escalations: 0 };
  const { calendars } = o;
  const at = now();
  const tx = await pool.connect();
  try {
    await tx.query("BEGIN");
    const { rows } = await tx.query<DueTimer>(
      `WITH due AS (
         SELECT dossier_id, kind, partition, fire_at, deadline FROM timers
         WHERE partition = ANY($1::int[]) AND ${WARNING_CAME}
         ORDER BY fire_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       SELECT due.*,
         COALESCE(d.status, s.status) AS status,
         CASE WHEN due.kind LIKE 'acceptance-%' THEN s.due_at ELSE d.due_at END AS due_at,
         CASE WHEN due.kind LIKE 'acceptance-%' THEN s.due_soon_at ELSE d.due_soon_at END AS due_soon_at,
         d.promised_at, d.code, CASE WHEN due.kind LIKE 'acceptance-%' THEN s.receiving_unit_code ELSE d.holding_unit_code END AS unit_code,
         d.assignee,
         CASE WHEN due.kind LIKE 'acceptance-%' THEN s.receiving_unit_code ELSE d.receiving_unit_code END AS calendar_unit,
         CASE WHEN due.kind LIKE 'acceptance-%' THEN s.submitted_at ELSE d.received_at END AS calendar_at
       FROM due
       LEFT JOIN dossiers d ON d.id = due.dossier_id AND due.kind NOT LIKE 'acceptance-%'
       LEFT JOIN submissions s ON s.id = due.dossier_id AND due.kind LIKE 'acceptance-%'`,
      [partitions, limit, new Date(at)],
    );
    const alerts: Fired["alerts"] = [];
    let escalations = 0;
    const taken: DueTimer[] = [];
    for (const t of rows) {
      // Not yet past its deadline: stays in the index for a later look.
      if (firesPastDeadline(t.kind) && !isOverdue(t.deadline.getTime(), at)) continue;
      taken.push(t);
      const running = isAcceptance(t.kind) ? t.status === "waiting" : t.status === "open";
      if (isEscalation(t.kind)) {
        // Still open, still the same promised date: not resolved, paused or extended since.
        if (running && t.promised_at?.getTime() === t.deadline.getTime() && t.unit_code !== null)
          escalations += await escalate(tx, t, t.kind, o, at);
        continue;
      }
      const live =
        running &&
        t.due_at?.getTime() === t.deadline.getTime() &&
        (isOverdueKind(t.kind) ||
          (t.due_soon_at?.getTime() === t.fire_at.getTime() &&
            isDueSoon(t.fire_at.getTime(), t.deadline.getTime(), at)));
      if (!live || t.unit_code === null) continue;
      const deadline: DeadlineRef = {
        kind: isAcceptance(t.kind) ? "acceptance" : "dossier",
        stepId: null,
        unitCode: t.unit_code,
        dueAt: formatIsoLocal(t.deadline.getTime()),
      };
      const kind = isOverdueKind(t.kind) ? "overdue" : "due-soon";
      const key = `${kind}|${alertKey(t.dossier_id, deadline)}`;
      const event = alertEvent(t, kind, deadline, key, calendars, at);
      if (!event) continue;
      const lagMs = Math.max(0, at - t.fire_at.getTime());
      const raised = await raiseAlert(tx, {
        key,
        kind,
        dossierId: t.dossier_id,
        dossierCode: t.code,
        unitCode: t.unit_code,
        dueAt: t.deadline.toISOString(),
        lagMs,
        raisedAt: new Date(at),
        event,
        body: event,
      });
      if (raised) alerts.push({ kind, lagMs });
    }
    if (taken.length > 0) {
      await tx.query(
        "DELETE FROM timers t USING unnest($1::uuid[], $2::text[]) AS x(id, kind) WHERE t.dossier_id = x.id AND t.kind = x.kind",
        [taken.map((r) => r.dossier_id), taken.map((r) => r.kind)],
      );
    }
    await tx.query("COMMIT");
    // After the commit, outside it; a lost wake-up is caught by the streams' poll.
    if (alerts.length > 0 || escalations > 0) await announceAlerts(tx).catch(() => {});
    return { taken: taken.length, alerts, escalations };
  } catch (err) {
    await tx.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    tx.release();
  }
}

/**
 * Raises one step of an overdue dossier's escalation (once per dossier, step and promised date) to
 * the unit the chain names for it, and puts the next step's timer in the index at its instant: the
 * promised date plus its working hours overdue, in the dossier's calendar. A step fired again (the
 * first step's timer comes back after a change that kept the promised date) raises nothing and
 * puts the same next timer back, so the chain goes on where it was. Returns the alerts raised.
 */
async function escalate(
  tx: PoolClient,
  t: DueTimer,
  kind: EscalationKind,
  o: FireOptions,
  at: number,
): Promise<number> {
  const holding = t.unit_code as string;
  const calendars = o.calendars();
  const unitCode = escalationChain(holding, calendars)[kind];
  let raised = 0;
  if (unitCode !== null) {
    const level = levelOf(kind);
    const overdueMinutes = stepOverdueMinutes(kind, o.escalateAfterHours);
    const body = {
      type: kind,
      level,
      dossierId: t.dossier_id,
      dossierCode: t.code,
      unitCode,
      holdingUnitCode: holding,
      promisedAt: formatIsoLocal(t.deadline.getTime()),
      overdueWorkingMinutes: overdueMinutes,
      // Who the step is for: the assignee and the holding unit's leader, then one leader a step.
      recipients:
        level === 1
          ? [
              ...(t.assignee === null ? [] : [{ role: "assignee", staffId: t.assignee, unitCode }]),
              { role: "leader", staffId: null, unitCode },
            ]
          : [{ role: "leader", staffId: null, unitCode }],
    };
    const row = await raiseAlert(tx, {
      key: escalationKey(t.dossier_id, kind, t.deadline),
      kind,
      dossierId: t.dossier_id,
      dossierCode: t.code,
      unitCode,
      dueAt: t.deadline.toISOString(),
      lagMs: Math.max(0, at - t.fire_at.getTime()),
      raisedAt: new Date(at),
      event: null,
      body,
    });
    if (row) raised = 1;
  }
  const next = nextStep(kind);
  if (next !== null) {
    const calendar = calendars.at(t.calendar_at ?? t.deadline, t.calendar_unit ?? holding);
    const fireAt = calendar.addWorkingMinutes(
      t.deadline.getTime(),
      stepOverdueMinutes(next, o.escalateAfterHours),
    );
    await tx.query(
      `INSERT INTO timers (dossier_id, kind, partition, fire_at, deadline) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (dossier_id, kind) DO UPDATE SET partition = EXCLUDED.partition, fire_at = EXCLUDED.fire_at,
         deadline = EXCLUDED.deadline`,
      [t.dossier_id, next, t.partition, new Date(fireAt), t.deadline],
    );
  }
  return raised;
}

/** The alert's event; null (the timer is dropped) when the stored record cannot make a valid one. */
function alertEvent(
  t: DueTimer,
  kind: "due-soon" | "overdue",
  deadline: DeadlineRef,
  key: string,
  calendars: () => MonitorCalendars,
  at: number,
) {
  try {
    const common = {
      id: uuidFromKey(key),
      dossierId: t.dossier_id,
      unitCode: deadline.unitCode,
      correlationId: key,
    };
    const base = { dossierCode: t.code, deadline, assigneeStaffId: t.assignee };
    const recordedAt = { now: () => new Date(at) };
    if (kind === "overdue")
      return createEvent("sla.overdue", { ...common, occurredAt: deadline.dueAt, payload: base }, recordedAt);
    const calendar = calendars().at(t.calendar_at ?? t.deadline, t.calendar_unit ?? deadline.unitCode);
    return createEvent(
      "sla.due-soon",
      {
        ...common,
        occurredAt: formatIsoLocal(t.fire_at.getTime()),
        payload: {
          ...base,
          remainingMinutes: Math.max(0, Math.round(calendar.workingMinutesBetween(at, t.deadline.getTime()))),
        },
      },
      recordedAt,
    );
  } catch {
    return null;
  }
}

/**
 * The earliest pending instant among the partitions (one index probe per partition). An overdue
 * timer already looked at but not yet past its deadline is due again just after it.
 */
export async function earliestTimer(pool: Pool, partitions: readonly number[]): Promise<number | null> {
  if (partitions.length === 0) return null;
  const { rows } = await pool.query<{ at: Date | null }>(
    "SELECT min(m) AS at FROM unnest($1::int[]) p, LATERAL (SELECT min(fire_at) AS m FROM timers WHERE partition = p) x",
    [partitions],
  );
  return rows[0]?.at?.getTime() ?? null;
}
