/**
 * What the fault tests claim about alerts, counted from what left the system rather than from a
 * table with a unique key: every raw `sla.overdue` and `sla.due-soon` record on `sla.events`, and
 * every delivery the harness's webhook receiver got.
 *
 * - Each alert (kind, dossier, deadline) is on the topic under one event id: a record republished
 *   by the outbox after a crash keeps its id, so raw records may outnumber alerts, ids may not.
 * - Every open dossier past its due instant, and every online submission still waiting past its
 *   acceptance deadline, has its overdue alert on the topic, and so do the short dossiers whose
 *   deadlines fell after the fault and before the catch-up (timers that had to fire across it).
 *   "Past" is in the shared clock's time, the time of the monitor's `due_at`: one instant, read from
 *   the clock when the check starts, never PostgreSQL's `now()`.
 * - The receiver got every alert of the topic, answered 2xx at least once, and every delivery of
 *   one alert carried the one delivery id; it got nothing that is not on the topic; every delivery
 *   was signed.
 */
import { waitUntil } from "@tthc/testkit";
import { expect } from "vitest";
import type { Sandbox } from "../../infra/stack/sandbox.js";
import type { AlertReceiver } from "./alert-receiver.js";

interface TopicAlert {
  key: string;
  kind: string;
  dossierId: string;
  ids: Set<string>;
  records: number;
}

const deadlineKey = (dossierId: string, dueAt: string | Date) =>
  `${dossierId}|${new Date(dueAt).toISOString()}`;

async function topicAlerts(sandbox: Sandbox): Promise<Map<string, TopicAlert>> {
  const alerts = new Map<string, TopicAlert>();
  for (const r of await sandbox.readTopic("sla.events")) {
    if (r.type !== "sla.overdue" && r.type !== "sla.due-soon") continue;
    const deadline = r.payload.deadline as { dueAt: string };
    const key = `${r.type}|${deadlineKey(r.dossierId, deadline.dueAt)}`;
    const a = alerts.get(key) ?? { key, kind: r.type, dossierId: r.dossierId, ids: new Set(), records: 0 };
    a.ids.add(r.id);
    a.records++;
    alerts.set(key, a);
  }
  return alerts;
}

export interface AlertCheckOptions {
  /** The short dossiers' ids. */
  short: string[];
  /** When the fault began, on the shared clock. */
  faultAt: number;
  /** When the shared clock caught up with the machine's: the load's end. */
  untilMs: number;
  /** The shared clock. */
  clock: { nowMs(): number };
}

export async function checkAlerts(
  sandbox: Sandbox,
  receiver: AlertReceiver,
  o: AlertCheckOptions,
): Promise<void> {
  // Every deadline before this instant of the shared clock must have fired by the end of the check.
  const at = o.clock.nowMs();
  const db = await sandbox.sql();
  try {
    // The short dossiers' deadlines fell after the fault began and before the clock caught up.
    const { rows: planted } = await db.query<{ id: string; due_at: Date }>(
      "SELECT id, due_at FROM monitor.dossiers WHERE id = ANY($1::uuid[])",
      [o.short],
    );
    expect(planted.map((p) => p.id).sort()).toEqual([...o.short].sort());
    const outside = (p: { due_at: Date }) =>
      !(p.due_at.getTime() > o.faultAt && p.due_at.getTime() < o.untilMs);
    expect(planted.filter(outside)).toEqual([]);

    const openLate = async () =>
      (
        await db.query<{ id: string; due_at: Date }>(
          `SELECT id, due_at FROM monitor.dossiers WHERE status = 'open' AND due_at < $1
           UNION ALL
           SELECT id, due_at FROM monitor.submissions WHERE status = 'waiting' AND due_at < $1`,
          [new Date(at)],
        )
      ).rows;
    const missing = async (alerts: Map<string, TopicAlert>) => {
      const overdue = new Set(
        [...alerts.values()].filter((a) => a.kind === "sla.overdue").map((a) => a.dossierId),
      );
      const overdueKeys = new Set([...alerts.keys()]);
      const delivered = new Set(receiver.deliveries.filter((d) => d.status < 300).map((d) => d.eventId));
      return [
        ...o.short.filter((id) => !overdue.has(id)).map((id) => `short dossier ${id}: no overdue alert`),
        ...(await openLate())
          .filter((d) => !overdueKeys.has(`sla.overdue|${deadlineKey(d.id, d.due_at)}`))
          .map(
            (d) =>
              `${d.id} open (or waiting for acceptance) past ${d.due_at.toISOString()}: no overdue alert`,
          ),
        ...[...alerts.values()]
          .filter((a) => ![...a.ids].some((id) => delivered.has(id)))
          .map((a) => `${a.key}: not delivered`),
      ];
    };
    let alerts = new Map<string, TopicAlert>();
    // Every deadline checked is past already: wait for the monitor's timers and the deliveries.
    await waitUntil(
      "every alert on sla.events and delivered, the short dossiers' included",
      async () => {
        alerts = await topicAlerts(sandbox);
        return (await missing(alerts)).length === 0;
      },
      120_000,
      2_000,
    ).catch(() => {}); // the assertions below name what is missing
    alerts = await topicAlerts(sandbox);
    expect(await missing(alerts)).toEqual([]);

    // One event id per alert on the topic, however many raw records.
    expect([...alerts.values()].filter((a) => a.ids.size !== 1).map((a) => a.key)).toEqual([]);
    const eventIds = new Set([...alerts.values()].flatMap((a) => [...a.ids]));

    // One delivery id per alert at the receiver; nothing delivered that is not on the topic; all signed.
    const byEvent = new Map<string, Set<string>>();
    for (const d of receiver.deliveries)
      byEvent.set(d.eventId, (byEvent.get(d.eventId) ?? new Set()).add(d.deliveryId));
    expect([...byEvent].filter(([, ids]) => ids.size !== 1).map(([e]) => e)).toEqual([]);
    expect([...byEvent.keys()].filter((e) => !eventIds.has(e))).toEqual([]);
    expect(receiver.deliveries.filter((d) => !d.signed)).toEqual([]);

    const records = [...alerts.values()].reduce((n, a) => n + a.records, 0);
    const late = await openLate();
    console.info(
      `alerts: ${alerts.size} on sla.events in ${records} raw records (${late.length} open dossiers or waiting submissions past due); ${receiver.deliveries.length} deliveries ` +
        `(${receiver.deliveries.filter((d) => d.status >= 300).length} answered with a failure, then retried)`,
    );
    expect(alerts.size).toBeGreaterThanOrEqual(o.short.length);
  } finally {
    await db.end();
  }
}
