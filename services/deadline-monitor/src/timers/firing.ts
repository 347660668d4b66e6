import { dueSoonReachedPredicate, formatIsoLocal, isDueSoon, isOverdue, toSql } from "@tthc/calendar";
import { alertKey, createEvent, type DeadlineRef } from "@tthc/contracts";
import type { Pool } from "@tthc/service-kit";
import type { MonitorCalendars } from "../domain/calendars.js";
import { announceAlerts, raiseAlert, uuidFromKey } from "../store/alerts.js";

type TimerKind = "due-soon" | "overdue" | "acceptance-due-soon" | "acceptance-overdue";

interface DueTimer {
  dossier_id: string;
  kind: TimerKind;
  fire_at: Date;
  deadline: Date;
  /** The deadline's holder as it is now (dossier or submission), to re-check the timer against. */
  status: string | null;
  due_at: Date | null;
  due_soon_at: Date | null;
  code: string | null;
  unit_code: string | null;
  assignee: string | null;
  calendar_unit: string | null;
  calendar_at: Date | null;
}

export interface Fired {
  /** Timers taken from the index (fired, or dropped as stale). */
  taken: number;
  alerts: { kind: string; lagMs: number }[];
}

const isAcceptance = (kind: TimerKind) => kind.startsWith("acceptance-");

/**
 * Timers whose instant has come (a warning's; an overdue timer's is its deadline, which it passes a
 * moment later): the calendar's boundary, rendered for the index on (partition, fire_at).
 */
const WARNING_CAME = toSql(dueSoonReachedPredicate, (f) => (f === "at" ? "$3::timestamptz" : "fire_at"));
const isOverdueKind = (kind: TimerKind) => kind.endsWith("overdue");

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
  calendars: () => MonitorCalendars,
  limit: number,
  now: () => number,
): Promise<Fired> {
  if (partitions.length === 0) return { taken: 0, alerts: [] };
  const at = now();
  const tx = await pool.connect();
  try {
    await tx.query("BEGIN");
    const { rows } = await tx.query<DueTimer>(
      `WITH due AS (
         SELECT dossier_id, kind, fire_at, deadline FROM timers
         WHERE partition = ANY($1::int[]) AND ${WARNING_CAME}
         ORDER BY fire_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       SELECT due.*,
         COALESCE(d.status, s.status) AS status,
         CASE WHEN due.kind LIKE 'acceptance-%' THEN s.due_at ELSE d.due_at END AS due_at,
         CASE WHEN due.kind LIKE 'acceptance-%' THEN s.due_soon_at ELSE d.due_soon_at END AS due_soon_at,
         d.code, CASE WHEN due.kind LIKE 'acceptance-%' THEN s.receiving_unit_code ELSE d.holding_unit_code END AS unit_code,
         d.assignee,
         CASE WHEN due.kind LIKE 'acceptance-%' THEN s.receiving_unit_code ELSE d.receiving_unit_code END AS calendar_unit,
         CASE WHEN due.kind LIKE 'acceptance-%' THEN s.submitted_at ELSE d.received_at END AS calendar_at
       FROM due
       LEFT JOIN dossiers d ON d.id = due.dossier_id AND due.kind NOT LIKE 'acceptance-%'
       LEFT JOIN submissions s ON s.id = due.dossier_id AND due.kind LIKE 'acceptance-%'`,
      [partitions, limit, new Date(at)],
    );
    const alerts: Fired["alerts"] = [];
    const taken: DueTimer[] = [];
    for (const t of rows) {
      // Not yet past its deadline: stays in the index for a later look.
      if (isOverdueKind(t.kind) && !isOverdue(t.deadline.getTime(), at)) continue;
      taken.push(t);
      const running = isAcceptance(t.kind) ? t.status === "waiting" : t.status === "open";
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
    if (alerts.length > 0) await announceAlerts(tx).catch(() => {});
    return { taken: taken.length, alerts };
  } catch (err) {
    await tx.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    tx.release();
  }
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
