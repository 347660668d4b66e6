import type { RawCounts } from "./counts.js";
import { online, onTime766 } from "./formulas.js";

/**
 * The raw counts the whole index of one unit over a period P is computed from (docs/domain.md,
 * "The whole index"). Each criterion's points are shown beside the counts they come from. Counts
 * add up, like RawCounts: a parent unit's are the sums of its units'.
 */
export interface IndexCounts {
  /** H(P) and the N of the 766 on-time rate (formulas.ts, onTime766). */
  handled: number;
  onTime766: number;
  /** Received in P, all channels, and of them on the online channel. */
  received: number;
  receivedOnline: number;
  /** Received in P with every document digitised (số hóa) or reused from an existing record. */
  receivedDigitised: number;
  /** Resolved in P (state 9), and of them: */
  resolved: number;
  /** received online; */
  resolvedOnline: number;
  /** received online for a procedure whose result is a paper; */
  resolvedOnlinePaperResult: number;
  /** received online for a procedure whose result is a paper, with an electronic result issued; */
  resolvedOnlinePaperResultElectronic: number;
  /** with an electronic result issued (kết quả điện tử); */
  resolvedElectronicResult: number;
  /** whose result was digitised (kết quả được số hóa); */
  resolvedResultDigitised: number;
  /** resolved after their due instant; */
  resolvedLate: number;
  /** with a complaint (phản ánh, kiến nghị) or a dissatisfied rating. */
  resolvedComplainedOrDissatisfied: number;
}

export const INDEX_COUNT_KEYS = [
  "handled",
  "onTime766",
  "received",
  "receivedOnline",
  "receivedDigitised",
  "resolved",
  "resolvedOnline",
  "resolvedOnlinePaperResult",
  "resolvedOnlinePaperResultElectronic",
  "resolvedElectronicResult",
  "resolvedResultDigitised",
  "resolvedLate",
  "resolvedComplainedOrDissatisfied",
] as const satisfies readonly (keyof IndexCounts)[];

export function emptyIndexCounts(): IndexCounts {
  return Object.fromEntries(INDEX_COUNT_KEYS.map((k) => [k, 0])) as unknown as IndexCounts;
}

export function addIndexCounts(a: IndexCounts, b: IndexCounts): IndexCounts {
  const out = { ...a };
  for (const k of INDEX_COUNT_KEYS) out[k] = a[k] + b[k];
  return out;
}

/** The counts of the index that RawCounts does not hold: digitisation, result kinds and ratings. */
export type IndexOnlyCounts = Omit<
  IndexCounts,
  "handled" | "onTime766" | "received" | "receivedOnline" | "resolved" | "resolvedLate"
>;

/**
 * The index's counts from a unit's RawCounts and the counts only the index needs: H(P) and N by
 * the 766 on-time rate (`onTime766`), received and received online by the online rate (`online`),
 * resolved and resolved late as the finished-only rate counts them.
 */
export function indexCountsOf(raw: RawCounts, more: IndexOnlyCounts): IndexCounts {
  const t766 = onTime766(raw);
  const on = online(raw);
  return {
    ...more,
    handled: t766.handled,
    onTime766: t766.n,
    received: on.received,
    receivedOnline: on.n,
    resolved: raw.resolved,
    resolvedLate: raw.resolvedLate,
  };
}
