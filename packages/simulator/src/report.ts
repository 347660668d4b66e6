import { verdictByTime } from "@tthc/calendar";
import type { ActionKind, Channel, DossierScript, Fate } from "./script.js";
import type { Verdict } from "./timing.js";

/** One request the driver sent for a dossier, and what the answer showed. */
export interface ActionSeen {
  do: ActionKind | "look";
  /** The instant the script placed it at (local ISO). */
  plannedAt: string;
  /** What the services' clock read when it was sent (the same, on a manual clock). */
  at: string;
  /** HTTP status of the answer; 0 when none came. */
  status: number;
  /** Real milliseconds until the answer (with any wait for processing to learn the dossier). */
  tookMs?: number;
  /** The dossier's (or submission's) state, version, due instant and sla sequence in the answer. */
  state?: string;
  version?: number;
  dueAt?: string | null;
  slaSequence?: number | null;
  /** The instant sent as `submittedAt`, `suppliedAt` or `paidAt`. */
  applicantAt?: string;
  note?: string;
}

/** What the driver saw of one dossier: a test cross-checks the services against it. */
export interface DossierSeen {
  seq: number;
  /** The receiving centre. */
  unitCode: string;
  competentUnitCode: string;
  procedureCode: string;
  channel: Channel;
  fate: Fate;
  /** The verdict the decision was placed for. */
  plannedVerdict: Verdict | null;
  submissionId: string | null;
  dossierId: string | null;
  code: string | null;
  submittedAt: string | null;
  /** The reception (the acceptance, online) as the receipt says. */
  receivedAt: string | null;
  /** The last state an answer showed: `planned` before any request, `skipped` if it came too late. */
  state: string;
  /** The last due instant an answer showed. */
  dueAt: string | null;
  resolvedAt: string | null;
  outcome: "approved" | "refused" | null;
  /** The due instant the driver saw just before it resolved the dossier, and whether it was past. */
  dueAtResolution: string | null;
  resolvedAfterDue: boolean | null;
  stoppedAt: string | null;
  stopReason: string | null;
  returnedAt: string | null;
  extension: "granted" | "refused" | null;
  supplements: number;
  /** Supplements asked for after the due instant the driver saw. */
  supplementsAfterDue: number;
  payments: number;
  /** Transfers to a step of another unit, and the units the dossier went to. */
  transfers: number;
  units: string[];
  actions: ActionSeen[];
  /** The next action of the script, when the run ended before it. */
  pending: { do: ActionKind; at: string } | null;
  /**
   * The instants processing's answers gave for the decision and the stop (its own clock's, which a
   * clock that runs by itself puts after the driver's reading when the request was sent).
   */
  resolvedAtShown?: string | null;
  stoppedAtShown?: string | null;
  /**
   * The verdict by what the answers showed (`verdictSeen`): the decision's instant against the due
   * instant processing showed just before it; late when a supplement was asked for after the due
   * instant or a second one at all. Null when no due instant was shown.
   */
  verdict?: Verdict | null;
  /** Whether the decision issued an electronic result. */
  electronicResult?: boolean | null;
}

/** What the driver did, unit by unit: the statistics must show the same. */
export interface UnitReport {
  received: { online: number; direct: number; postal: number };
  refusedAtReception: number;
  resolved: number;
  approved: number;
  refused: number;
  returned: number;
  withdrawn: number;
  stopped: number;
  open: number;
  transfers: number;
  supplements: number;
  payments: number;
  extensions: number;
}

export interface DriveReport {
  runId: string;
  /** The first and the last instant the driver acted at (local ISO); null when it did nothing. */
  firstAt: string | null;
  lastAt: string | null;
  /** Per receiving centre; `unitsBy(report, "competent")` gives them per competent unit. */
  units: Record<string, UnitReport>;
  dossiers: DossierSeen[];
  failures: { seq: number; step: string; status: number; body: unknown }[];
  /** Requests sent again because the first got no answer or a 502/503/504. */
  retries: number;
}

export function emptyUnit(): UnitReport {
  return {
    received: { online: 0, direct: 0, postal: 0 },
    refusedAtReception: 0,
    resolved: 0,
    approved: 0,
    refused: 0,
    returned: 0,
    withdrawn: 0,
    stopped: 0,
    open: 0,
    transfers: 0,
    supplements: 0,
    payments: 0,
    extensions: 0,
  };
}

export function seenOf(s: DossierScript): DossierSeen {
  return {
    seq: s.seq,
    unitCode: s.unitCode,
    competentUnitCode: s.competentUnitCode,
    procedureCode: s.procedureCode,
    channel: s.channel,
    fate: s.fate,
    plannedVerdict: s.verdict,
    submissionId: null,
    dossierId: null,
    code: null,
    submittedAt: null,
    receivedAt: null,
    state: "planned",
    dueAt: null,
    resolvedAt: null,
    outcome: null,
    dueAtResolution: null,
    resolvedAfterDue: null,
    stoppedAt: null,
    stopReason: null,
    returnedAt: null,
    extension: null,
    supplements: 0,
    supplementsAfterDue: 0,
    payments: 0,
    transfers: 0,
    units: [s.unitCode],
    actions: [],
    pending: null,
  };
}

/**
 * The per-unit tally of what the driver saw, by receiving centre or by competent unit (the unit
 * whose procedure it is: docs/domain.md, "Attribution"). A dossier counts as received once its
 * receipt came back, never when refused at reception.
 */
export function unitsBy(
  report: Pick<DriveReport, "dossiers">,
  by: "receiving" | "competent",
): Record<string, UnitReport> {
  const units: Record<string, UnitReport> = {};
  for (const d of report.dossiers) {
    const code = by === "receiving" ? d.unitCode : d.competentUnitCode;
    if (d.state === "refused") {
      units[code] ??= emptyUnit();
      units[code].refusedAtReception++;
    }
    if (d.receivedAt === null) continue;
    units[code] ??= emptyUnit();
    const u = units[code];
    u.received[d.channel]++;
    if (d.resolvedAt !== null) {
      u.resolved++;
      if (d.outcome === "refused") u.refused++;
      else u.approved++;
    }
    if (d.returnedAt !== null) u.returned++;
    if (d.stoppedAt !== null) {
      if (d.stopReason === "withdrawn") u.withdrawn++;
      else u.stopped++;
    }
    if (d.resolvedAt === null && d.stoppedAt === null) u.open++;
    u.transfers += d.transfers;
    u.supplements += d.supplements;
    u.payments += d.payments;
    if (d.extension === "granted") u.extensions++;
  }
  return Object.fromEntries(Object.entries(units).sort(([a], [b]) => a.localeCompare(b)));
}

export interface PeriodTally {
  /** Dossiers the plan has received (accepted) per unit and channel; refusals never count. */
  received: Record<string, { online: number; direct: number; postal: number }>;
  refusedAtReception: number;
  withdrawn: number;
  total: number;
}

/**
 * What the statistics must show for the receptions of a plan acted out to its end, by receiving
 * centre or by competent unit. A run that stops earlier receives fewer: its report says which.
 */
export function tallyReceptions(
  scripts: readonly DossierScript[],
  by: "receiving" | "competent" = "receiving",
): PeriodTally {
  const received: PeriodTally["received"] = {};
  let refusedAtReception = 0;
  let withdrawn = 0;
  for (const s of scripts) {
    if (s.fate === "refused-at-reception") refusedAtReception++;
    if (s.fate === "refused-at-reception" || s.fate === "lapsed-before-acceptance") continue;
    if (s.fate === "withdrawn") withdrawn++;
    const code = by === "receiving" ? s.unitCode : s.competentUnitCode;
    received[code] ??= { online: 0, direct: 0, postal: 0 };
    received[code][s.channel]++;
  }
  return { received, refusedAtReception, withdrawn, total: scripts.length };
}

/**
 * The verdict of a decision as the driver saw it: the boundary of docs/domain.md ("Verdict and the
 * overdue boundary", `verdictByTime` of @tthc/calendar) between the decision's instant and the due
 * instant processing showed; late whatever the time when a supplement was asked for after the due
 * instant, or a second supplement at all (the 766 rules).
 */
export function verdictSeen(
  resolvedAt: string,
  dueAt: string | null,
  supplements: { asked: number; afterDue: number },
): Verdict | null {
  if (supplements.afterDue > 0 || supplements.asked > 1) return "late";
  if (dueAt === null) return null;
  return verdictByTime(Date.parse(resolvedAt), Date.parse(dueAt));
}

/** A unit's counts over a period, named as the statistics' figures name them (`@tthc/rates`). */
export interface PeriodCounts {
  receivedDirect: number;
  receivedOnline: number;
  receivedPostal: number;
  /** Received before the period and not finished before it. */
  carriedOver: number;
  /** Resolved or stopped in the period. */
  finished: number;
  resolved: number;
  /** Stopped in the period, withdrawals included. */
  stopped: number;
  withdrawn: number;
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  /** Resolved in the period with no verdict known to the driver (no due instant shown). */
  resolvedVerdictUnknown: number;
  resolvedOnlineElectronic: number;
  /** Received before the period's end and not finished before it. */
  open: number;
}

const zeroCounts = (): PeriodCounts => ({
  receivedDirect: 0,
  receivedOnline: 0,
  receivedPostal: 0,
  carriedOver: 0,
  finished: 0,
  resolved: 0,
  stopped: 0,
  withdrawn: 0,
  resolvedEarly: 0,
  resolvedOnTime: 0,
  resolvedLate: 0,
  resolvedVerdictUnknown: 0,
  resolvedOnlineElectronic: 0,
  open: 0,
});

const RECEIVED_KEY = {
  direct: "receivedDirect",
  online: "receivedOnline",
  postal: "receivedPostal",
} as const;
const VERDICT_KEY = { early: "resolvedEarly", on_time: "resolvedOnTime", late: "resolvedLate" } as const;

/**
 * What the statistics must show for the period [start, end) (epoch ms), per receiving centre or
 * competent unit, from what the driver saw: the receipts' reception instants and processing's
 * instants of each decision and stop (`resolvedAtShown`, `stoppedAtShown`; the driver's own
 * reading when an answer gave none). Only units with something counted are listed.
 */
export function countsIn(
  report: Pick<DriveReport, "dossiers">,
  period: { start: number; end: number },
  by: "receiving" | "competent",
): Record<string, PeriodCounts> {
  const units: Record<string, PeriodCounts> = {};
  const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);
  for (const d of report.dossiers) {
    const received = ms(d.receivedAt);
    if (received === null || received >= period.end) continue;
    const resolved = ms(d.resolvedAtShown ?? d.resolvedAt);
    const stopped = resolved === null ? ms(d.stoppedAtShown ?? d.stoppedAt) : null;
    const finished = resolved ?? stopped;
    if (received < period.start && finished !== null && finished < period.start) continue;
    const code = by === "receiving" ? d.unitCode : d.competentUnitCode;
    units[code] ??= zeroCounts();
    const u = units[code];
    if (received >= period.start) u[RECEIVED_KEY[d.channel]]++;
    else u.carriedOver++;
    if (finished === null || finished >= period.end) {
      u.open++;
      continue;
    }
    u.finished++;
    if (resolved !== null) {
      u.resolved++;
      const verdict = d.verdict ?? null;
      if (verdict === null) u.resolvedVerdictUnknown++;
      else u[VERDICT_KEY[verdict]]++;
      if (d.channel === "online" && d.electronicResult === true) u.resolvedOnlineElectronic++;
    } else {
      u.stopped++;
      if (d.stopReason === "withdrawn") u.withdrawn++;
    }
  }
  return Object.fromEntries(Object.entries(units).sort(([a], [b]) => a.localeCompare(b)));
}
