import { formatIsoLocal } from "@tthc/calendar";
import { alertKey, createEvent, type DeadlineRef } from "@tthc/contracts";
import type { Pool } from "@tthc/service-kit";
import type { MonitorCalendars } from "../domain/calendars.js";
import { raiseAlert, uuidFromKey } from "../store/alerts.js";

interface DueTimer {
  dossier_id: string;
  kind: "due-soon" | "overdue";
  fire_at: Date;
  deadline: Date;
  status: string | null;
  due_at: Date | null;
  due_soon_at: Date | null;
  code: string;
  unit_code: string;
  assignee: string | null;
  calendar_unit: string;
  received_at: Date;
}

export interface Fired {
  /** Timers taken from the index (fired, or dropped as stale). */
  taken: number;
  alerts: { kind: string; lagMs: number }[];
}

/**
 * Fires up to `limit` due timers of the given partitions in one transaction. Each timer is re-checked
 * against the dossier's clock (still open, same deadline) and raises its alert once per key; then it
 * leaves the index. SKIP LOCKED lets two instances that both think they own a partition during a
 * rebalance share the work instead of waiting on each other; the alert key makes the rest once.
 */
export async function fireDue(
  pool: Pool,
  partitions: readonly number[],
  calendars: () => MonitorCalendars,
  limit: number,
  now: () => number = Date.now,
): Promise<Fired> {
  if (partitions.length === 0) return { taken: 0, alerts: [] };
  const tx = await pool.connect();
  try {
    await tx.query("BEGIN");
    const { rows } = await tx.query<DueTimer>(
      `WITH due AS (
         SELECT dossier_id, kind, fire_at, deadline FROM timers
         WHERE partition = ANY($1::int[]) AND fire_at <= now()
         ORDER BY fire_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       SELECT due.*, d.status, d.due_at, d.due_soon_at, d.code, d.unit_code, d.assignee, d.calendar_unit, d.received_at
       FROM due LEFT JOIN dossiers d ON d.id = due.dossier_id`,
      [partitions, limit],
    );
    const alerts: Fired["alerts"] = [];
    for (const t of rows) {
      const at = now();
      const due = t.due_at?.getTime();
      const live =
        t.status === "open" &&
        due === t.deadline.getTime() &&
        (t.kind === "overdue" || (t.due_soon_at?.getTime() === t.fire_at.getTime() && at <= due));
      if (!live) continue;
      const deadline: DeadlineRef = {
        kind: "dossier",
        stepId: null,
        unitCode: t.unit_code,
        dueAt: formatIsoLocal(t.deadline.getTime()),
      };
      const key = `${t.kind}|${alertKey(t.dossier_id, deadline)}`;
      const event = alertEvent(t, deadline, key, calendars, at);
      if (!event) continue;
      const lagMs = Math.max(0, at - t.fire_at.getTime());
      const raised = await raiseAlert(tx, {
        key,
        kind: t.kind,
        dossierId: t.dossier_id,
        dossierCode: t.code,
        unitCode: t.unit_code,
        dueAt: t.deadline.toISOString(),
        lagMs,
        event,
        body: event,
      });
      if (raised) alerts.push({ kind: t.kind, lagMs });
    }
    if (rows.length > 0) {
      await tx.query(
        "DELETE FROM timers t USING unnest($1::uuid[], $2::text[]) AS x(id, kind) WHERE t.dossier_id = x.id AND t.kind = x.kind",
        [rows.map((r) => r.dossier_id), rows.map((r) => r.kind)],
      );
    }
    await tx.query("COMMIT");
    return { taken: rows.length, alerts };
  } catch (err) {
    await tx.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    tx.release();
  }
}

/** The alert's event; null (the timer is dropped) when the stored dossier cannot make a valid one. */
function alertEvent(
  t: DueTimer,
  deadline: DeadlineRef,
  key: string,
  calendars: () => MonitorCalendars,
  at: number,
) {
  try {
    const common = {
      id: uuidFromKey(key),
      dossierId: t.dossier_id,
      unitCode: t.unit_code,
      correlationId: key,
    };
    const base = { dossierCode: t.code, deadline, assigneeStaffId: t.assignee };
    return t.kind === "overdue"
      ? createEvent("sla.overdue", { ...common, occurredAt: deadline.dueAt, payload: base })
      : createEvent("sla.due-soon", {
          ...common,
          occurredAt: formatIsoLocal(t.fire_at.getTime()),
          payload: {
            ...base,
            remainingMinutes: Math.max(
              0,
              Math.round(
                calendars()
                  .at(t.received_at, t.calendar_unit)
                  .workingMinutesBetween(at, t.deadline.getTime()),
              ),
            ),
          },
        });
  } catch {
    return null;
  }
}

/** The earliest pending instant among the partitions (one index probe per partition). */
export async function earliestTimer(pool: Pool, partitions: readonly number[]): Promise<number | null> {
  if (partitions.length === 0) return null;
  const { rows } = await pool.query<{ at: Date | null }>(
    "SELECT min(m) AS at FROM unnest($1::int[]) p, LATERAL (SELECT min(fire_at) AS m FROM timers WHERE partition = p) x",
    [partitions],
  );
  return rows[0]?.at?.getTime() ?? null;
}
