import { type CurrentEvent, competentUnitOf, type StepRunDeadline, stateAfterEvent } from "@tthc/contracts";

/**
 * What one event changes in the statistics' rows. Pure: a run's patches are folded per row
 * (domain/row-fold.ts) and the store writes the folded rows set-based.
 * Every patch is a function of its event alone; what depends on several events (which deadline is
 * the latest, the derived columns) is decided by sequence or recomputed from the row, so a row does
 * not depend on how the topics interleave and a rebuild gives the same rows.
 */

export type Value = string | number | boolean | null;

/**
 * Columns written only by the event with the highest `(sequence, at)` seen for that group: the
 * monitor's per-dossier sequence (docs/domain.md, "One owner of the clock"), with the event's instant
 * breaking ties among upcast version 1 events (all sequence 0). The row keeps `<group>_sequence` and
 * `<group>_set_at`; a duplicate or an older event changes nothing.
 */
export interface Guarded<G extends string, C extends string> {
  group: G;
  sequence: number;
  at: string;
  set: Partial<Record<C, Value>>;
}

export interface RowPatch<G extends string, C extends string> {
  dossierId: string;
  /** Overwrite. */
  set: Partial<Record<C, Value>>;
  /** Only where still empty. */
  fill: Partial<Record<C, Value>>;
  guarded: Guarded<G, C>[];
  /**
   * Adds to a counter. A patch with `set` or `add` applies once per row: the row keeps the ids of
   * the events that did (docs/decisions.md, "Statistics: idempotent by construction").
   */
  add?: Partial<Record<C, number>>;
  /** Changes an existing row only: never creates one. */
  onlyIfExists?: boolean;
}

export const dossierColumns = [
  "dossier_code",
  "receiving_unit_code",
  "received_competent_unit_code",
  "sla_competent_unit_code",
  "current_unit_code",
  "procedure_code",
  "procedure_name",
  "field",
  "channel",
  "received_at",
  "receipt_due_at",
  "sla_due_at",
  "due_soon_at",
  "late_since",
  "paused",
  "extended_due_at",
  "state",
  "end_at",
  "end_kind",
  "stop_reason",
  "outcome",
  "electronic_result",
  "verdict",
  "verdict_end_at",
  "verdict_due_at",
  "effective_end_at",
  "used_minutes",
  "verdict_reason",
  "unit_at_fault_code",
  "second_supplement",
  "transfers",
] as const;
export type DossierColumn = (typeof dossierColumns)[number];
export const dossierGroups = ["deadline", "verdict", "runs", "competent"] as const;
export type DossierGroup = (typeof dossierGroups)[number];

export const submissionColumns = [
  "receiving_unit_code",
  "procedure_code",
  "submitted_at",
  "due_at",
  "due_soon_at",
  "waiting_since",
  "outcome",
  "decided_at",
  "verdict",
  "verdict_due_at",
  "used_minutes",
  "verdict_reason",
] as const;
export type SubmissionColumn = (typeof submissionColumns)[number];
export const submissionGroups = ["deadline", "verdict"] as const;
export type SubmissionGroup = (typeof submissionGroups)[number];

export type DossierPatch = RowPatch<DossierGroup, DossierColumn>;
export type SubmissionPatch = RowPatch<SubmissionGroup, SubmissionColumn>;

/**
 * The step runs of an sla event: they replace the dossier's runs if the event is the latest, which
 * its dossier patch's `runs` group decides.
 */
export interface RunsPatch {
  dossierId: string;
  sequence: number;
  at: string;
  runs: StepRunDeadline[];
}

export interface StatsPatch {
  /** The event's id: a redelivered copy carries the same. */
  eventId: string;
  dossier?: DossierPatch;
  submission?: SubmissionPatch;
  runs?: RunsPatch;
}

const row = <G extends string, C extends string>(
  dossierId: string,
  p: Partial<RowPatch<G, C>>,
): RowPatch<G, C> => ({ dossierId, set: {}, fill: {}, guarded: [], ...p });

/**
 * The sla events' competent unit replaces the reception's, by sequence: a transfer may change the
 * unit of the deciding step. Upcast version 1 events (sequence 0) name only the envelope's unit,
 * which is not the competent one, so they leave it alone.
 */
function competentFrom(sequence: number, at: string, code: string): Guarded<DossierGroup, DossierColumn>[] {
  return sequence > 0 ? [{ group: "competent", sequence, at, set: { sla_competent_unit_code: code } }] : [];
}

/** The patches of an event; null when it changes no figure (alerts). */
export function patchOf(event: CurrentEvent): StatsPatch | null {
  const patch = rowsOf(event);
  return patch ? { eventId: event.id, ...patch } : null;
}

function rowsOf(event: CurrentEvent): Omit<StatsPatch, "eventId"> | null {
  const id = event.dossierId;
  const state = stateAfterEvent[event.type];
  const code = "dossierCode" in event.payload && event.payload.dossierCode ? event.payload.dossierCode : null;
  const fillCode = code ? { dossier_code: code } : {};
  switch (event.type) {
    case "dossier.submitted":
      return {
        submission: row(id, {
          set: {
            receiving_unit_code: event.unitCode,
            procedure_code: event.payload.procedureCode,
            submitted_at: event.payload.submittedAt,
          },
        }),
      };
    case "dossier.submission-refused":
      return {
        submission: row(id, {
          fill: {
            receiving_unit_code: event.unitCode,
            procedure_code: event.payload.procedureCode,
            submitted_at: event.payload.submittedAt,
            outcome: "refused",
            decided_at: event.payload.refusedAt,
          },
        }),
      };
    case "dossier.submission-stopped":
      return {
        submission: row(id, {
          fill: { outcome: "stopped", decided_at: event.occurredAt },
          onlyIfExists: true,
        }),
      };
    case "dossier.submission-supplement-requested":
    case "dossier.submission-supplement-received":
      // The centre's acceptance deadline moves with these; the monitor publishes it.
      return null;
    case "dossier.received": {
      const p = event.payload;
      return {
        dossier: row(id, {
          set: {
            dossier_code: p.dossierCode,
            receiving_unit_code: p.receivingUnitCode,
            received_competent_unit_code:
              p.competentUnitCode ?? competentUnitOf(p.steps, p.receivingUnitCode),
            procedure_code: p.procedureCode,
            procedure_name: p.procedureName,
            field: p.field,
            channel: p.channel,
            received_at: p.receivedAt,
            receipt_due_at: p.dueAt,
          },
          fill: { state: "received", current_unit_code: p.receivingUnitCode },
        }),
        // The acceptance of an online submission: a row exists only if it was submitted online.
        ...(p.channel === "online"
          ? {
              submission: row(id, {
                fill: { outcome: "accepted", decided_at: p.receivedAt },
                onlyIfExists: true,
              }),
            }
          : {}),
      };
    }
    case "dossier.transferred":
      return {
        dossier: row(id, {
          set: { state, current_unit_code: event.payload.toUnitCode },
          fill: fillCode,
          add: { transfers: 1 },
        }),
      };
    case "dossier.stopped":
      return {
        dossier: row(id, {
          set: { state, end_at: event.occurredAt, end_kind: "stopped", stop_reason: event.payload.reason },
          fill: fillCode,
        }),
      };
    case "dossier.resolved": {
      const p = event.payload;
      return {
        dossier: row(id, {
          set: {
            state,
            end_at: p.resolvedAt,
            end_kind: "resolved",
            outcome: p.outcome,
            electronic_result: p.electronicResult,
          },
          fill: fillCode,
        }),
      };
    }
    case "dossier.extended":
      return { dossier: row(id, { set: { extended_due_at: event.payload.newDueAt }, fill: fillCode }) };
    case "sla.deadline-set": {
      const p = event.payload;
      const at = event.occurredAt;
      return {
        dossier: row(id, {
          fill: fillCode,
          guarded: [
            {
              group: "deadline",
              sequence: p.sequence,
              at,
              set: {
                sla_due_at: p.dueAt,
                due_soon_at: p.dueSoonAt,
                late_since: p.lateSince,
                paused: p.paused,
              },
            },
            { group: "runs", sequence: p.sequence, at, set: {} },
            ...competentFrom(p.sequence, at, p.competentUnitCode),
          ],
        }),
        runs: { dossierId: id, sequence: p.sequence, at, runs: p.steps },
      };
    }
    case "sla.verdict": {
      const p = event.payload;
      const at = event.occurredAt;
      return {
        dossier: row(id, {
          fill: { ...fillCode, end_kind: p.endKind },
          guarded: [
            {
              group: "verdict",
              sequence: p.sequence,
              at,
              set: {
                verdict: p.verdict,
                verdict_end_at: p.endedAt,
                verdict_due_at: p.dueAt,
                effective_end_at: p.effectiveEndAt,
                used_minutes: p.usedMinutes,
                verdict_reason: p.reason,
                unit_at_fault_code: p.unitAtFaultCode,
                second_supplement: p.secondSupplement,
              },
            },
            // The verdict is the monitor's last word on the deadline too: the due instant it judged
            // against, known even for a dossier that ended during an open pause.
            {
              group: "deadline",
              sequence: p.sequence,
              at,
              set: { sla_due_at: p.dueAt, late_since: p.lateSince, paused: false },
            },
            { group: "runs", sequence: p.sequence, at, set: {} },
            ...competentFrom(p.sequence, at, p.competentUnitCode),
          ],
        }),
        runs: { dossierId: id, sequence: p.sequence, at, runs: p.steps },
      };
    }
    case "sla.acceptance-deadline-set": {
      const p = event.payload;
      return {
        submission: row(id, {
          fill: {
            receiving_unit_code: p.receivingUnitCode,
            procedure_code: p.procedureCode,
            submitted_at: p.submittedAt,
          },
          guarded: [
            {
              group: "deadline",
              sequence: p.sequence,
              at: event.occurredAt,
              set: { due_at: p.dueAt, due_soon_at: p.dueSoonAt, waiting_since: p.waitingSince },
            },
          ],
        }),
      };
    }
    case "sla.acceptance-verdict": {
      const p = event.payload;
      return {
        submission: row(id, {
          fill: {
            receiving_unit_code: p.receivingUnitCode,
            procedure_code: p.procedureCode,
            submitted_at: p.submittedAt,
          },
          guarded: [
            {
              group: "verdict",
              sequence: p.sequence,
              at: event.occurredAt,
              set: {
                outcome: p.outcome,
                decided_at: p.decidedAt,
                verdict: p.verdict,
                verdict_due_at: p.dueAt,
                used_minutes: p.usedMinutes,
                verdict_reason: p.reason,
              },
            },
          ],
        }),
      };
    }
    case "sla.due-soon":
    case "sla.overdue":
      return null;
    default:
      // The other lifecycle events move the state only (docs/domain.md, "States").
      return state ? { dossier: row(id, { set: { state }, fill: fillCode }) } : null;
  }
}
