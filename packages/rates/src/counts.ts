/**
 * The raw counts behind every figure of one unit, procedure or the province over a period P
 * (docs/domain.md, "Rates"). Every rate is kept beside its counts: published rates often do not
 * match their own counts. Counts add up: a parent unit's are the sums of its units'.
 */
export interface RawCounts {
  /** Received in P, by channel (KenhThucHien). */
  receivedDirect: number;
  receivedOnline: number;
  receivedPostal: number;
  /** Received before P and not finished before P (carried over into P). */
  carriedOver: number;
  /** Finished in P: resolved (9) or stopped (8, withdrawals included). */
  finished: number;
  resolved: number;
  stopped: number;
  withdrawn: number;
  /** Verdicts of every dossier finished in P (resolved or stopped): the 766 rule's "finished". */
  early: number;
  onTime: number;
  late: number;
  /** Verdicts of the dossiers resolved in P (state 9 only): the finished-only rate's. */
  resolvedEarly: number;
  resolvedOnTime: number;
  resolvedLate: number;
  /** Resolved in P, received online, with an electronic result: the stricter online rate's numerator. */
  resolvedOnlineElectronic: number;
  /** Open at the end of P (or now): within the deadline, overdue, due soon (within, warned). */
  openWithin: number;
  openOverdue: number;
  dueSoon: number;
  /** Working minutes used by the dossiers finished in P with a verdict. */
  usedMinutesSum: number;
  usedCount: number;
  /** Step runs held by this unit that ended in P after their step deadline (lateness by unit, per step). */
  lateSteps: number;
  /** Online submissions the centre accepted or refused in P, and how many within its acceptance deadline. */
  acceptanceDecided: number;
  acceptanceOnTime: number;
  /** Online submissions waiting for acceptance at the end of P (or now), and of them past the deadline. */
  acceptanceWaiting: number;
  acceptanceOverdue: number;
}

export const COUNT_KEYS = [
  "receivedDirect",
  "receivedOnline",
  "receivedPostal",
  "carriedOver",
  "finished",
  "resolved",
  "stopped",
  "withdrawn",
  "early",
  "onTime",
  "late",
  "resolvedEarly",
  "resolvedOnTime",
  "resolvedLate",
  "resolvedOnlineElectronic",
  "openWithin",
  "openOverdue",
  "dueSoon",
  "usedMinutesSum",
  "usedCount",
  "lateSteps",
  "acceptanceDecided",
  "acceptanceOnTime",
  "acceptanceWaiting",
  "acceptanceOverdue",
] as const satisfies readonly (keyof RawCounts)[];

export function emptyCounts(): RawCounts {
  return Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as unknown as RawCounts;
}

/** Units roll up: the counts of a parent are the sums of its units' counts. */
export function addCounts(a: RawCounts, b: RawCounts): RawCounts {
  const out = { ...a };
  for (const k of COUNT_KEYS) out[k] = a[k] + b[k];
  return out;
}
