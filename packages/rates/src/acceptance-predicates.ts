import { and, compare, equals, field, missing, or, overduePredicate, type Predicate } from "@tthc/calendar";

/**
 * Which online submissions the acceptance figures of a period P count (docs/domain.md, "The
 * centre's acceptance deadline" and "Figures", Acceptance), per receiving centre, for code and SQL
 * alike. Fields of a submission: `submittedAt`, `decidedAt` (accepted, refused, or closed before
 * acceptance), `outcome` (`accepted` | `refused` | `stopped`), `verdict` (against the acceptance
 * deadline), `dueAt` (the latest acceptance deadline; null while the applicant must supply).
 * Parameters: `start`, `end` of P (half-open) and `at`, the instant P is judged at (its end, or now).
 */

const decidedAt = field("decidedAt");
const outcomeIs = (outcome: string) => equals(field("outcome"), outcome);

/** Accepted or refused by the centre in P (a submission the applicant closed is not a decision). */
export const acceptanceDecidedIn: Predicate = and(
  compare(field("start"), "<=", decidedAt),
  compare(decidedAt, "<", field("end")),
  or(outcomeIs("accepted"), outcomeIs("refused")),
);

/** Decided in P within the acceptance deadline (judged early or on time by the monitor). */
export const acceptanceOnTime: Predicate = and(
  acceptanceDecidedIn,
  or(equals(field("verdict"), "early"), equals(field("verdict"), "on_time")),
);

/** Submitted before the end of P and not yet accepted, refused or closed at its end. */
export const acceptanceWaiting: Predicate = and(
  compare(field("submittedAt"), "<", field("end")),
  or(missing(decidedAt), compare(decidedAt, ">=", field("end"))),
);

/** Waiting at the end of P and past its acceptance deadline at `at`: the overdue boundary of the clock. */
export const acceptanceOverdue: Predicate = and(acceptanceWaiting, overduePredicate);
