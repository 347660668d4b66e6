import { addDays, isDate } from "./dates.js";
import { LAPSED_SUPPLEMENTS, provinceCalendars } from "./plan.js";
import type { Province } from "./province.js";
import { type Shares, sharesWith } from "./shares.js";

/**
 * The headline figures of a period as a province publishes them (docs/domain.md, "Figures"), each
 * a share of the dossiers received in the period.
 */
export interface TargetFigures {
  /** Dossiers received (accepted) over the period; refused and lapsed submissions never count. */
  received: number;
  /** Received online / received (the online rate). */
  onlineShare: number;
  /** Resolved / received: the rest are withdrawn, stopped or never decided. */
  resolvedShare: number;
  /** Resolved early or on time / resolved (the finished-only on-time rate). */
  onTimeShare: number;
}

export interface FitOptions {
  /** The first local day of the period, `YYYY-MM-DD`. */
  firstDate: string;
  days: number;
  targets: TargetFigures;
  /** Shares kept as given (the withdrawn and stopped shares, the refusals at reception...). */
  shares?: Partial<Shares>;
}

export interface FittedPlan {
  /** Arrivals on a working day, for `planPeriod`. */
  dossiersPerDay: number;
  /** The shares for `planPeriod`: the given ones, with online, open and late fitted. */
  shares: Shares;
  /** Working and other days of the period at the provincial centre. */
  workingDays: number;
  offDays: number;
}

const share = (name: string, v: number) => {
  if (!(v > 0 && v < 1)) throw new RangeError(`${name} must lie strictly between 0 and 1: ${v}`);
  return v;
};

/**
 * The plan options whose expected figures over the period are the targets (the sampling of one
 * seed moves them by a fraction of a point):
 *
 * - online: `shares.online` is the online share of a working day's arrivals, while a weekend or a
 *   holiday brings only online ones (`offDayVolume` of a working day's), and some online
 *   submissions are never received (refused at reception, or lapsed before acceptance). With W
 *   working days, O other days and k the received fraction of online submissions, the received
 *   online share is t = q·o / (q·o + 1 − o) with q = k·(W + O·offDayVolume) / W; so o = t / (q·(1 − t) + t).
 * - resolved: the fate of a received dossier is drawn among withdrawn, stopped, open and resolved,
 *   so `open` = 1 − resolved − withdrawn − stopped.
 * - on time: a resolved dossier is late with the share `late` = 1 − onTimeShare.
 * - volume: received = D·(k·o·(W + O·offDayVolume) + (1 − o)·W), solved for D.
 *
 * The plan's figures are the story it asks for; a run acted out on a clock that runs by itself can
 * be later than planned, and a run cut at the period's end leaves some dossiers undecided.
 */
export function fitPlan(province: Province, o: FitOptions): FittedPlan {
  if (!isDate(o.firstDate)) throw new RangeError(`not a date (YYYY-MM-DD): ${o.firstDate}`);
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 366)
    throw new RangeError(`days must be a whole number from 1 to 366: ${o.days}`);
  const t = o.targets;
  if (!(t.received > 0)) throw new RangeError(`received must be positive: ${t.received}`);
  const online = share("onlineShare", t.onlineShare);
  const resolved = share("resolvedShare", t.resolvedShare);
  const onTime = share("onTimeShare", t.onTimeShare);

  const base = sharesWith(o.shares);
  const calendars = provinceCalendars(province);
  let W = 0;
  for (let d = 0; d < o.days; d++)
    if (calendars.isWorkingDay(province.provincialCentre.code, addDays(o.firstDate, d))) W++;
  const O = o.days - W;
  if (W === 0) throw new RangeError("the period has no working day");

  const k = (1 - base.refusedAtReception) * (1 - base.supplementBeforeAcceptance * LAPSED_SUPPLEMENTS);
  const q = (k * (W + O * base.offDayVolume)) / W;
  const onlineArrivals = online / (q * (1 - online) + online);
  const open = 1 - resolved - base.withdrawn - base.stopped;
  if (open < 0)
    throw new RangeError(
      `resolvedShare ${resolved} leaves no room for the withdrawn (${base.withdrawn}) and stopped (${base.stopped}) shares`,
    );
  const shares = sharesWith({ ...o.shares, online: onlineArrivals, open, late: 1 - onTime });
  const perDay = k * onlineArrivals * (W + O * base.offDayVolume) + (1 - onlineArrivals) * W;
  return {
    dossiersPerDay: Math.max(1, Math.round(t.received / perDay)),
    shares,
    workingDays: W,
    offDays: O,
  };
}
