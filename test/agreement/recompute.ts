/**
 * A second reader of the raw topics, written from docs/domain.md ("Figures") alone: it shares no
 * code with statistics (nor with packages/rates), so that where both agree, both follow the text.
 *
 * For a period P = [start, end) judged at `at` (its end, or now), per unit under an attribution:
 * received by channel; carried over (received before P, not finished before it); finished in P,
 * resolved, stopped, withdrawn; the verdicts of those finished in P, and of those resolved in P;
 * the dossiers of H(P) open at the end of P, not yet due at `at` or past it; step runs ended in P
 * after their deadline, for the unit that held them; online submissions decided in P within the
 * acceptance deadline, and those waiting at `at`.
 */

export interface RawRecord {
  type: string;
  dossierId: string;
  unitCode: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

interface StepRun {
  unitCode: string;
  endedAt: string | null;
  late: boolean;
}

/** What the topics say of one dossier, latest monitor data by sequence. */
interface DossierFacts {
  receivingUnit: string;
  competentAtReception: string;
  channel: string;
  receivedAt: number;
  receiptDueAt: number;
  endAt: number | null;
  endKind: "resolved" | "stopped" | null;
  stopReason: string | null;
  electronicResult: boolean;
  sla: {
    sequence: number;
    dueAt: number | null;
    competent: string;
    steps: StepRun[];
  } | null;
  verdict: { sequence: number; verdict: string; endedAt: number } | null;
}

interface SubmissionFacts {
  unit: string;
  submittedAt: number;
  dueAt: number | null;
  dueSequence: number;
  decided: { at: number; outcome: string; verdict: string | null } | null;
}

const ms = (v: unknown): number => Date.parse(String(v));

export function factsOf(records: readonly RawRecord[]) {
  const dossiers = new Map<string, DossierFacts>();
  const submissions = new Map<string, SubmissionFacts>();
  for (const r of records) {
    const p = r.payload;
    if (r.type === "dossier.received") {
      const steps = p.steps as { unitRole: string; unitCode: string }[];
      const last = (role: string) => [...steps].reverse().find((s) => s.unitRole === role)?.unitCode;
      dossiers.set(r.dossierId, {
        receivingUnit: String(p.receivingUnitCode),
        competentAtReception:
          (p.competentUnitCode as string | undefined) ??
          last("deciding") ??
          last("handling") ??
          String(p.receivingUnitCode),
        channel: String(p.channel),
        receivedAt: ms(p.receivedAt),
        receiptDueAt: ms(p.dueAt),
        endAt: null,
        endKind: null,
        stopReason: null,
        electronicResult: false,
        sla: null,
        verdict: null,
      });
    }
    if (r.type === "dossier.submitted") {
      submissions.set(r.dossierId, {
        unit: r.unitCode,
        submittedAt: ms(p.submittedAt),
        dueAt: null,
        dueSequence: -1,
        decided: null,
      });
    }
  }
  for (const r of records) {
    const p = r.payload;
    const d = dossiers.get(r.dossierId);
    if (d && r.type === "dossier.resolved") {
      d.endAt = ms(p.resolvedAt);
      d.endKind = "resolved";
      d.electronicResult = p.electronicResult === true;
    }
    if (d && r.type === "dossier.stopped") {
      d.endAt = ms(r.occurredAt);
      d.endKind = "stopped";
      d.stopReason = String(p.reason);
    }
    if (d && (r.type === "sla.deadline-set" || r.type === "sla.verdict")) {
      const sequence = Number(p.sequence);
      if (!d.sla || sequence > d.sla.sequence) {
        d.sla = {
          sequence,
          dueAt: p.dueAt === null ? null : ms(p.dueAt),
          competent: String(p.competentUnitCode),
          steps: (p.steps as StepRun[]).map((s) => ({
            unitCode: s.unitCode,
            endedAt: s.endedAt,
            late: s.late,
          })),
        };
      }
      if (r.type === "sla.verdict" && (!d.verdict || sequence > d.verdict.sequence))
        d.verdict = { sequence, verdict: String(p.verdict), endedAt: ms(p.endedAt) };
    }
    const s = submissions.get(r.dossierId);
    if (s && r.type === "sla.acceptance-deadline-set" && Number(p.sequence) > s.dueSequence) {
      s.dueSequence = Number(p.sequence);
      s.dueAt = p.dueAt === null ? null : ms(p.dueAt);
    }
    if (s && r.type === "sla.acceptance-verdict")
      s.decided = {
        at: ms(p.decidedAt),
        outcome: String(p.outcome),
        verdict: (p.verdict as string | null) ?? null,
      };
  }
  return { dossiers, submissions };
}

export interface UnitCounts {
  receivedDirect: number;
  receivedOnline: number;
  receivedPostal: number;
  carriedOver: number;
  finished: number;
  resolved: number;
  stopped: number;
  withdrawn: number;
  early: number;
  onTime: number;
  late: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  openWithin: number;
  openOverdue: number;
  lateSteps: number;
  acceptanceDecided: number;
  acceptanceOnTime: number;
  acceptanceWaiting: number;
  acceptanceOverdue: number;
}

const zero = (): UnitCounts => ({
  receivedDirect: 0,
  receivedOnline: 0,
  receivedPostal: 0,
  carriedOver: 0,
  finished: 0,
  resolved: 0,
  stopped: 0,
  withdrawn: 0,
  early: 0,
  onTime: 0,
  late: 0,
  resolvedEarly: 0,
  resolvedOnTime: 0,
  resolvedLate: 0,
  openWithin: 0,
  openOverdue: 0,
  lateSteps: 0,
  acceptanceDecided: 0,
  acceptanceOnTime: 0,
  acceptanceWaiting: 0,
  acceptanceOverdue: 0,
});

const VERDICT_KEY = { early: "early", on_time: "onTime", late: "late" } as const;
const RESOLVED_KEY = { early: "resolvedEarly", on_time: "resolvedOnTime", late: "resolvedLate" } as const;

/** The counts of docs/domain.md per unit for P = [start, end) judged at `at`. */
export function countsOf(
  facts: ReturnType<typeof factsOf>,
  period: { start: number; end: number; at: number },
  attribution: "competent" | "receiving",
): Map<string, UnitCounts> {
  const out = new Map<string, UnitCounts>();
  const of = (unit: string) => {
    let c = out.get(unit);
    if (!c) {
      c = zero();
      out.set(unit, c);
    }
    return c;
  };
  const { start, end, at } = period;
  for (const d of facts.dossiers.values()) {
    const unit = attribution === "receiving" ? d.receivingUnit : (d.sla?.competent ?? d.competentAtReception);
    const c = of(unit);
    // The end judged is the monitor's verdict's when it has one, else the end event's.
    const finishedAt = d.verdict?.endedAt ?? d.endAt;
    if (d.receivedAt >= start && d.receivedAt < end) {
      if (d.channel === "direct") c.receivedDirect++;
      else if (d.channel === "online") c.receivedOnline++;
      else c.receivedPostal++;
    }
    const notFinishedBefore = (t: number) => finishedAt === null || finishedAt >= t;
    if (d.receivedAt < start && notFinishedBefore(start)) c.carriedOver++;
    const inH = d.receivedAt < end && notFinishedBefore(start);
    const finishedInP = finishedAt !== null && finishedAt >= start && finishedAt < end;
    if (finishedInP) {
      c.finished++;
      if (d.endKind === "resolved") c.resolved++;
      if (d.endKind === "stopped") c.stopped++;
      if (d.stopReason === "withdrawn") c.withdrawn++;
      if (d.verdict) {
        const v = d.verdict.verdict as keyof typeof VERDICT_KEY;
        c[VERDICT_KEY[v]]++;
        if (d.endKind === "resolved") c[RESOLVED_KEY[v]]++;
      }
    }
    if (inH && !finishedInP) {
      // Open at the end of P: past its due instant at `at`, or not (an unknown due is not past).
      const due = d.sla ? d.sla.dueAt : d.receiptDueAt;
      if (due !== null && at > due) c.openOverdue++;
      else c.openWithin++;
    }
    for (const s of d.sla?.steps ?? []) {
      if (!s.late || s.endedAt === null) continue;
      const ended = Date.parse(s.endedAt);
      if (ended >= start && ended < end) of(s.unitCode).lateSteps++;
    }
  }
  for (const s of facts.submissions.values()) {
    const c = of(s.unit);
    const d = s.decided;
    if (d && d.outcome !== "stopped" && d.at >= start && d.at < end) {
      c.acceptanceDecided++;
      if (d.verdict === "early" || d.verdict === "on_time") c.acceptanceOnTime++;
    }
    const waiting = s.submittedAt < end && (d === null || d.at >= end);
    if (waiting) {
      c.acceptanceWaiting++;
      if (s.dueAt !== null && at > s.dueAt) c.acceptanceOverdue++;
    }
  }
  return out;
}

/** The two on-time rates of the text, in percent with two decimals; null over nothing. */
export function ratesOf(c: UnitCounts) {
  const pct = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000 + 1e-9) / 100);
  const handled = c.receivedDirect + c.receivedOnline + c.receivedPostal + c.carriedOver;
  return {
    onTimeRate766: pct(c.early + c.onTime + c.openWithin, handled),
    onTimeRateFinished: pct(c.resolvedEarly + c.resolvedOnTime, c.resolved),
  };
}
