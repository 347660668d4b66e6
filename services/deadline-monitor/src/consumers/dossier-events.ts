import type { Delivery } from "@tthc/bus";
import { enqueue, eventRecord } from "@tthc/bus";
import { type AnyEvent, createEvent } from "@tthc/contracts";
import type { PoolClient } from "@tthc/service-kit";
import type { CatalogCache } from "../catalog-cache.js";
import { applyEvent, type DueSoonRule } from "../domain/dossier-clock.js";
import { monthOf, onTimeRate } from "../domain/rates.js";
import { raiseAlert } from "../store/alerts.js";
import { loadDossier, recordVerdict, replaceTimers, saveDossier } from "../store/dossiers.js";
import { monthCounts } from "../store/live.js";

export interface DossierHandlerOptions {
  catalog: CatalogCache;
  rule: DueSoonRule;
  /** On-time rate of the month under which a unit gets a threshold alert; null for none. */
  rateThreshold: number | null;
  onTimersChanged: () => void;
}

/**
 * Folds each lifecycle event into its dossier's clock, in the consumer's transaction: the clock, the
 * timers, the SLA events in the outbox and the verdict commit together, once per event.
 */
export function dossierEventsHandler(o: DossierHandlerOptions) {
  return async (deliveries: Delivery<AnyEvent>[], tx: PoolClient): Promise<void> => {
    const calendars = await o.catalog.refresh();
    let timersChanged = false;
    for (const { value: event, message } of deliveries) {
      const current = await loadDossier(tx, event.dossierId, true);
      const applied = applyEvent(current, event, message.partition, calendars, o.rule);
      if (!applied) continue;
      const d = applied.dossier;
      await saveDossier(tx, d);
      await replaceTimers(tx, d);
      timersChanged = true;
      const envelope = {
        dossierId: d.id,
        unitCode: d.unitCode,
        correlationId: event.correlationId,
        causationId: event.id,
      };
      if (applied.deadlineSet) {
        const e = createEvent("sla.deadline-set", {
          ...envelope,
          occurredAt: event.occurredAt,
          payload: applied.deadlineSet,
        });
        await enqueue(tx, [eventRecord(e)]);
      }
      if (applied.verdict) {
        const v = applied.verdict;
        const e = createEvent("sla.verdict", { ...envelope, occurredAt: v.endedAt, payload: v });
        await enqueue(tx, [eventRecord(e)]);
        await recordVerdict(tx, d.id, d.unitCode, v.verdict, v.endedAt);
        if (o.rateThreshold !== null) await checkThreshold(tx, d.unitCode, v.endedAt, o.rateThreshold);
      }
    }
    if (timersChanged) setTimeout(o.onTimersChanged, 10).unref();
  };
}

/** Raises a unit's rate alert the first time in a month its on-time rate falls below the threshold. */
async function checkThreshold(tx: PoolClient, unitCode: string, endedAt: string, threshold: number) {
  const month = monthOf(Date.parse(endedAt));
  const counts = await monthCounts(tx, unitCode, month);
  const rate = onTimeRate(counts);
  if (rate === null || rate >= threshold) return;
  await raiseAlert(tx, {
    key: `on-time-rate-below|${unitCode}|${month.label}`,
    kind: "on-time-rate-below",
    dossierId: null,
    dossierCode: null,
    unitCode,
    dueAt: null,
    lagMs: null,
    event: null,
    body: { unitCode, month: month.label, onTimeRate: rate, threshold, ...counts },
  });
}
