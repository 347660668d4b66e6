import type { Delivery, OutgoingRecord } from "@tthc/bus";
import { enqueue, eventRecord } from "@tthc/bus";
import { type DueSoonRule, monthOf } from "@tthc/calendar";
import { type CurrentEvent, createEvent } from "@tthc/contracts";
import { emptyCounts, onTimeFinished, ratio } from "@tthc/rates";
import type { Clock, PoolClient } from "@tthc/service-kit";
import type { CatalogCache } from "../catalog-cache.js";
import { applySubmissionEvent, type SubmissionClock } from "../domain/acceptance-clock.js";
import { applyEvent, type DossierClock } from "../domain/dossier-clock.js";
import { ESCALATION_KINDS } from "../domain/escalation.js";
import { raiseAlert } from "../store/alerts.js";
import {
  dossierTimers,
  loadDossiers,
  recordVerdicts,
  replaceTimers,
  saveDossiers,
  type TimerRow,
  type VerdictRow,
} from "../store/dossiers.js";
import { monthCounts } from "../store/live.js";
import { acceptanceTimers, loadSubmissions, saveSubmissions } from "../store/submissions.js";

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

/** A dossier's timers, every one cleared when its clock moves (the escalation's too: see firing). */
const DOSSIER_TIMERS = ["due-soon", "overdue", ...ESCALATION_KINDS] as const;
const ACCEPTANCE_TIMERS = ["acceptance-due-soon", "acceptance-overdue"] as const;

/**
 * Folds a run of lifecycle events into their dossiers' clocks (and online submissions' acceptance
 * clocks), in the consumer's transaction, set-based: every clock the run touches is read and locked
 * in one query, the events are folded in memory in order by the pure functions, and the clocks, the
 * timers, the SLA events in the outbox and the verdicts are written with a few statements whatever
 * the run's length. A copy of an event already folded in changes nothing (`appliedEvents`).
 */
export function dossierEventsHandler(o: DossierHandlerOptions) {
  return async (deliveries: Delivery<CurrentEvent>[], tx: PoolClient): Promise<void> => {
    const calendars = await o.catalog.refresh();
    const now = () => ({ now: () => o.clock.now() });
    const acceptanceIds = new Set<string>();
    const dossierIds = new Set<string>();
    for (const { value: e } of deliveries) {
      if (ACCEPTANCE_EVENTS.has(e.type)) acceptanceIds.add(e.dossierId);
      if (e.type === "dossier.received" || !ACCEPTANCE_EVENTS.has(e.type)) dossierIds.add(e.dossierId);
    }
    const submissions = await loadSubmissions(tx, [...acceptanceIds]);
    const dossiers = await loadDossiers(tx, [...dossierIds]);
    const movedSubmissions = new Set<string>();
    const movedDossiers = new Set<string>();
    const records: OutgoingRecord[] = [];
    const verdicts: VerdictRow[] = [];
    const rateChecks = new Map<string, { unitCode: string; endedAt: string }>();

    for (const { value: event, message } of deliveries) {
      const envelope = {
        dossierId: event.dossierId,
        correlationId: event.correlationId,
        causationId: event.id,
      };
      if (ACCEPTANCE_EVENTS.has(event.type)) {
        const current = submissions.get(event.dossierId) ?? null;
        const applied = applySubmissionEvent(current, event, message.partition, calendars, o.rule);
        if (applied) {
          const s = applied.submission;
          submissions.set(s.id, s);
          movedSubmissions.add(s.id);
          const unit = { ...envelope, unitCode: s.receivingUnitCode };
          if (applied.deadlineSet)
            records.push(
              eventRecord(
                createEvent(
                  "sla.acceptance-deadline-set",
                  { ...unit, occurredAt: event.occurredAt, payload: applied.deadlineSet },
                  now(),
                ),
              ),
            );
          if (applied.verdict)
            records.push(
              eventRecord(
                createEvent(
                  "sla.acceptance-verdict",
                  { ...unit, occurredAt: applied.verdict.decidedAt, payload: applied.verdict },
                  now(),
                ),
              ),
            );
        }
        if (event.type !== "dossier.received") continue;
      }
      const current = dossiers.get(event.dossierId) ?? null;
      const applied = applyEvent(current, event, message.partition, { calendars, rule: o.rule });
      if (!applied) continue;
      const d = applied.dossier;
      dossiers.set(d.id, d);
      movedDossiers.add(d.id);
      const unit = { ...envelope, unitCode: d.holdingUnitCode };
      if (applied.deadlineSet)
        records.push(
          eventRecord(
            createEvent(
              "sla.deadline-set",
              { ...unit, occurredAt: event.occurredAt, payload: applied.deadlineSet },
              now(),
            ),
          ),
        );
      if (applied.verdict) {
        const v = applied.verdict;
        records.push(
          eventRecord(createEvent("sla.verdict", { ...unit, occurredAt: v.endedAt, payload: v }, now())),
        );
        verdicts.push({
          dossierId: d.id,
          unitCode: d.holdingUnitCode,
          competentUnitCode: d.competentUnitCode,
          verdict: v.verdict,
          endKind: v.endKind,
          endedAt: v.endedAt,
        });
        if (v.endKind === "resolved") {
          const month = monthOf(new Date(v.endedAt)).label;
          rateChecks.set(`${d.competentUnitCode}|${month}`, {
            unitCode: d.competentUnitCode,
            endedAt: v.endedAt,
          });
        }
      }
    }

    const savedSubmissions = [...movedSubmissions].map((id) => submissions.get(id) as SubmissionClock);
    const savedDossiers = [...movedDossiers].map((id) => dossiers.get(id) as DossierClock);
    await saveSubmissions(tx, savedSubmissions);
    await saveDossiers(tx, savedDossiers, o.clock.now());
    const cleared: Pick<TimerRow, "dossierId" | "kind">[] = [];
    for (const s of savedSubmissions)
      for (const kind of ACCEPTANCE_TIMERS) cleared.push({ dossierId: s.id, kind });
    for (const d of savedDossiers) for (const kind of DOSSIER_TIMERS) cleared.push({ dossierId: d.id, kind });
    await replaceTimers(tx, cleared, [
      ...savedSubmissions.flatMap(acceptanceTimers),
      ...savedDossiers.flatMap(dossierTimers),
    ]);
    await enqueue(tx, records);
    await recordVerdicts(tx, verdicts);
    if (o.rateThreshold !== null)
      for (const c of rateChecks.values())
        await checkThreshold(tx, c.unitCode, c.endedAt, o.rateThreshold, o.clock);
    if (cleared.length > 0) setTimeout(o.onTimersChanged, 10).unref();
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
