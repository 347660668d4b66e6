import {
  and,
  compare,
  dueSoonPredicate,
  equals,
  field,
  missing,
  or,
  overduePredicate,
  type Predicate,
} from "@tthc/calendar";

/**
 * Which dossiers a figure of a period P counts (docs/domain.md, "Rates"), as predicates over one
 * dossier's instants: evaluated in code by `holds`, rendered for SQL by `toSql`, so that the
 * figures, the lists of dossiers behind them and any recomputation use the same boundaries.
 *
 * Fields of a dossier: `receivedAt`, `finishedAt` (its end: resolved or stopped), `dueAt`,
 * `dueSoonAt`, `verdict`, `endKind`. Parameters: `start` and `end` of P (half-open: an instant
 * belongs to exactly one period of a series) and `at`, the instant P is judged at (its end, or now).
 */

const receivedAt = field("receivedAt");
const finishedAt = field("finishedAt");
const start = field("start");
const end = field("end");

const notFinishedBefore = (t: typeof start) => or(missing(finishedAt), compare(finishedAt, ">=", t));

/** Received in P. */
export const receivedIn: Predicate = and(compare(start, "<=", receivedAt), compare(receivedAt, "<", end));

/** Finished (resolved or stopped) in P. */
export const finishedIn: Predicate = and(compare(start, "<=", finishedAt), compare(finishedAt, "<", end));

/** Resolved (state 9) in P. */
export const resolvedIn: Predicate = and(finishedIn, equals(field("endKind"), "resolved"));

/** Received before P and not finished before P. */
export const carriedOver: Predicate = and(compare(receivedAt, "<", start), notFinishedBefore(start));

/** H(P): received in P, or carried over into it. */
export const handled: Predicate = and(compare(receivedAt, "<", end), notFinishedBefore(start));

/** Of H(P), the dossiers not finished in P: open at its end. Together with `finishedIn` it is H(P). */
export const openAtEnd: Predicate = and(handled, notFinishedBefore(end));

/** Open at the end of P and not yet due at `at` (a paused dossier whose due instant is unknown is not). */
export const openWithin: Predicate = and(
  openAtEnd,
  or(missing(field("dueAt")), compare(field("at"), "<=", field("dueAt"))),
);

/** Open at the end of P and past its due instant at `at`: the overdue boundary of the clock. */
export const openOverdue: Predicate = and(openAtEnd, overduePredicate);

/** Open at the end of P and due soon at `at`. */
export const openDueSoon: Predicate = and(openAtEnd, dueSoonPredicate);

const verdictIs = (...verdicts: string[]) => or(...verdicts.map((v) => equals(field("verdict"), v)));

/** N of the 766 rate: finished in P early or on time, or open at the end of P and not yet due. */
export const onTime766: Predicate = or(and(finishedIn, verdictIs("early", "on_time")), openWithin);

/** The finished-only rate's numerator: resolved in P early or on time. */
export const resolvedOnTime: Predicate = and(resolvedIn, verdictIs("early", "on_time"));

export const finishedWithVerdict = (verdict: "early" | "on_time" | "late"): Predicate =>
  and(finishedIn, verdictIs(verdict));
