export { Agenda, type AgendaEntry } from "./agenda.js";
export { type ProcessingView, ServiceApi, StepFailed } from "./api.js";
export { ProvinceCalendars, type Window } from "./calendars.js";
export { addDays, isDate, localDateOf, startOfDate } from "./dates.js";
export { type DriverOptions, ProvinceDriver } from "./driver.js";
export { type EngineOptions, runAgenda } from "./engine.js";
export { type FitOptions, type FittedPlan, fitPlan, type TargetFigures } from "./fit.js";
export { type Applicant, applicant } from "./people.js";
export {
  acceptanceMinutes,
  type DayPlanOptions,
  decidingStepIndex,
  isoLocal,
  LAPSED_SUPPLEMENTS,
  type PlanOptions,
  planDay,
  planPeriod,
  provinceCalendars,
} from "./plan.js";
export { loadProvince, type Province, type SimProcedure, type SimStep, type SimUnit } from "./province.js";
export { Random } from "./random.js";
export {
  type ActionSeen,
  countsIn,
  type DossierSeen,
  type DriveReport,
  type PeriodCounts,
  type PeriodTally,
  tallyReceptions,
  type UnitReport,
  unitsBy,
  verdictSeen,
} from "./report.js";
export { COUNTER_SLOTS, ONLINE_BY_HOUR, type Spike } from "./rhythm.js";
export type { ActionKind, Channel, DossierScript, Fate, ScriptAction } from "./script.js";
export { DEFAULT_SHARES, type Shares, sharesWith } from "./shares.js";
export {
  type RunningClock,
  runningTimeline,
  type SettableClock,
  steppedTimeline,
  type Timeline,
  timelineOf,
} from "./timeline.js";
export {
  instantOf,
  localDayStart,
  needsDue,
  type ScheduleContext,
  type Timing,
  type Verdict,
} from "./timing.js";
