export { type DriveReport, type DriverOptions, ProvinceDriver, type UnitReport } from "./driver.js";
export { type Applicant, applicant } from "./people.js";
export {
  type Channel,
  type DayTally,
  type DossierScript,
  type Fate,
  type PlanOptions,
  planDay,
  tallyReceptions,
} from "./plan.js";
export { loadProvince, type Province, type SimProcedure, type SimUnit } from "./province.js";
export { Random } from "./random.js";
export { COUNTER_SLOTS, ONLINE_BY_HOUR, type Spike } from "./rhythm.js";
export { addDays, mergeReports, planDays, type RunPlan, releaseOffsets, releaseWindows } from "./schedule.js";
