import type { Delivery } from "@tthc/bus";
import { enqueue, eventRecord } from "@tthc/bus";
import { type DueSoonRule, monthOf } from "@tthc/calendar";
import { type CurrentEvent, createEvent } from "@tthc/contracts";
import { emptyCounts, onTimeFinished, ratio } from "@tthc/rates";
import type { Clock, PoolClient } from "@tthc/service-kit";
import type { CatalogCache } from "../catalog-cache.js";
import { applySubmissionEvent } from "../domain/acceptance-clock.js";
import { applyEvent } from "../domain/dossier-clock.js";
import { raiseAlert } from "../store/alerts.js";
import { loadDossier, recordVerdict, replaceTimers, saveDossier } from "../store/dossiers.js";
import { monthCounts } from "../store/live.js";
import { loadSubmission, replaceAcceptanceTimers, saveSubmission } from "../store/submissions.js";

export interface DossierHandlerOptions {
  catalog: CatalogCache;
  clock: Clock;
  rule: DueSoonRule;
  /** Finished-only on-time rate of the month under which a unit gets a threshold alert; null for none. */
  rateThreshold: number | null;
  onTimersChanged: () => void;
}

/** Submission events (before acceptance) and the reception that ends them: the acceptance clock's. */
const ACCEPTANCE_EVENTS = new Set<CurrentEvent["type"]>([
  "dossier.submitted",
  "dossier.submission-supplement-requested",
  "dossier.submission-supplement-received",
  "dossier.submission-refused",
  "dossier.submission-stopped",
  "dossier.received",
]);

/**
 * Folds each lifecycle event into its dossier's clock (and an online submission's acceptance
 * clock), in the consumer's transaction: the clock, the timers, the SLA events in the outbox and
 * the verdict commit together, once per event.
 */
export function dossierEventsHandler(o: DossierHandlerOptions) {
  return async (deliveries: Delivery<CurrentEvent>[], tx: PoolClient): Promise<void> => {
    const calendars = await o.catalog.refresh();
    const now = () => ({ now: () => o.clock.now() });
    let timersChanged = false;
    for (const { value: event, message } of deliveries) {
      const envelope = {
        dossierId: event.dossierId,
        correlationId: event.correlationId,
        causationId: event.id,
      };
      if (ACCEPTANCE_EVENTS.has(event.type)) {
        const current = await loadSubmission(tx, event.dossierId, true);
        const applied = applySubmissionEvent(current, event, message.partition, calendars, o.rule);
        if (applied) {
          const s = applied.submission;
          await saveSubmission(tx, s);
          await replaceAcceptanceTimers(tx, s);
          timersChanged = true;
          const unit = { ...envelope, unitCode: s.receivingUnitCode };
          if (applied.deadlineSet) {
            const e = createEvent(
              "sla.acceptance-deadline-set",
              { ...unit, occurredAt: event.occurredAt, payload: applied.deadlineSet },
              now(),
            );
            await enqueue(tx, [eventRecord(e)]);
          }
          if (applied.verdict) {
            const e = createEvent(
              "sla.acceptance-verdict",
              { ...unit, occurredAt: applied.verdict.decidedAt, payload: applied.verdict },
              now(),
            );
            await enqueue(tx, [eventRecord(e)]);
          }
        }
        if (event.type !== "dossier.received") continue;
      }
      const current = await loadDossier(tx, event.dossierId, true);
      const applied = applyEvent(current, event, message.partition, { calendars, rule: o.rule });
      if (!applied) continue;
      const d = applied.dossier;
      await saveDossier(tx, d, o.clock.now());
      await replaceTimers(tx, d);
      timersChanged = true;
      const unit = { ...envelope, unitCode: d.holdingUnitCode };
      if (applied.deadlineSet) {
        const e = createEvent(
          "sla.deadline-set",
          { ...unit, occurredAt: event.occurredAt, payload: applied.deadlineSet },
          now(),
        );
        await enqueue(tx, [eventRecord(e)]);
      }
      if (applied.verdict) {
        const v = applied.verdict;
        const e = createEvent("sla.verdict", { ...unit, occurredAt: v.endedAt, payload: v }, now());
        await enqueue(tx, [eventRecord(e)]);
        await recordVerdict(tx, d, v);
        if (o.rateThreshold !== null && v.endKind === "resolved")
          await checkThreshold(tx, d.competentUnitCode, v.endedAt, o.rateThreshold, o.clock);
      }
    }
    if (timersChanged) setTimeout(o.onTimersChanged, 10).unref();
  };
}

/**
 * Raises a unit's rate alert the first time in a month its finished-only on-time rate (resolved
 * dossiers, by competent unit) falls below the threshold.
 */
async function checkThreshold(
  tx: PoolClient,
  unitCode: string,
  endedAt: string,
  threshold: number,
  clock: Clock,
) {
  const month = monthOf(new Date(endedAt));
  const counts = await monthCounts(tx, unitCode, month);
  const { n, resolved } = onTimeFinished({
    ...emptyCounts(),
    resolved: counts.early + counts.onTime + counts.late,
    resolvedEarly: counts.early,
    resolvedOnTime: counts.onTime,
    resolvedLate: counts.late,
  });
  const rate = ratio(n, resolved);
  if (rate === null || rate >= threshold) return;
  await raiseAlert(tx, {
    key: `on-time-rate-below|${unitCode}|${month.label}`,
    kind: "on-time-rate-below",
    dossierId: null,
    dossierCode: null,
    unitCode,
    dueAt: null,
    lagMs: null,
    raisedAt: clock.now(),
    event: null,
    body: { unitCode, month: month.label, onTimeRate: rate, threshold, ...counts },
  });
}
