import { and, equals, field, missing, or, type Predicate } from "@tthc/calendar";
import { dossierPredicates as p } from "@tthc/rates";

/**
 * The figures whose dossiers `GET /v1/stats/dossiers` lists, each the predicate of `@tthc/rates`
 * that counts it, so that a list holds exactly the dossiers behind its number. `late_steps` lists
 * the dossiers with a step run that ended late in the period, held by the units asked for.
 */
export const dossierFigures = [
  "received",
  "handled",
  "carried_over",
  "finished",
  "resolved",
  "early",
  "on_time",
  "late",
  "withdrawn",
  "stopped",
  "open",
  "overdue",
  "due_soon",
  "not_on_time_766",
  "late_steps",
] as const;
export type DossierFigure = (typeof dossierFigures)[number];

const verdict = field("verdict");

/**
 * H(P) less N of the 766 rate: finished in P late or still without a verdict, or open at the end of
 * P and overdue. Written out rather than as NOT(N), because a missing verdict makes N unknown, and
 * an unknown condition would leave such a dossier out of both lists.
 */
const notOnTime766: Predicate = or(
  and(p.finishedIn, or(missing(verdict), equals(verdict, "late"))),
  p.openOverdue,
);

export const figurePredicate: Record<Exclude<DossierFigure, "late_steps">, Predicate> = {
  received: p.receivedIn,
  handled: p.handled,
  carried_over: p.carriedOver,
  finished: p.finishedIn,
  resolved: p.resolvedIn,
  early: p.finishedWithVerdict("early"),
  on_time: p.finishedWithVerdict("on_time"),
  late: p.finishedWithVerdict("late"),
  withdrawn: and(p.finishedIn, equals(field("stopReason"), "withdrawn")),
  stopped: and(p.finishedIn, equals(field("endKind"), "stopped")),
  open: p.openAtEnd,
  overdue: p.openOverdue,
  due_soon: p.openDueSoon,
  not_on_time_766: notOnTime766,
};
