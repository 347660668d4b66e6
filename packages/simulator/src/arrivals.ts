import type { ProvinceCalendars, Window } from "./calendars.js";
import { startOfDate } from "./dates.js";
import type { Province, SimProcedure, SimUnit } from "./province.js";
import { Random } from "./random.js";
import { COUNTER_SLOTS, ONLINE_BY_HOUR, type Spike } from "./rhythm.js";
import type { Channel } from "./script.js";
import type { Shares } from "./shares.js";

/** Where, how and when one dossier arrives. */
export interface Arrival {
  unit: SimUnit;
  procedure: SimProcedure;
  channel: Channel;
  /** Epoch milliseconds, on a whole minute. */
  at: number;
}

export const DEFAULT_SPIKES: readonly Spike[] = [
  { startMinute: 8 * 60 + 15, durationMinutes: 20, factor: 4 },
  { startMinute: 14 * 60 + 30, durationMinutes: 15, factor: 3 },
];

/** A cumulative weight array to draw from: index i is chosen with weight w[i]. */
function cumulative(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i] as number;
    out[i] = sum;
  }
  return out;
}

function draw(rng: Random, cum: Float64Array): number {
  const target = rng.next() * (cum[cum.length - 1] as number);
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cum[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Online submissions per minute of the day: any hour, a morning peak, spikes on working days. */
function onlineCurve(spikes: readonly Spike[]): Float64Array {
  const w = new Float64Array(24 * 60);
  for (let m = 0; m < w.length; m++) {
    let x = ONLINE_BY_HOUR[Math.floor(m / 60)] as number;
    for (const sp of spikes)
      if (m >= sp.startMinute && m < sp.startMinute + sp.durationMinutes) x *= sp.factor;
    w[m] = x;
  }
  return cumulative(w);
}

/** Counter traffic at a minute of the day: the half-hour slot's weight, 1 outside the usual slots. */
function counterWeight(minuteOfDay: number, spikes: readonly Spike[]): number {
  let x = COUNTER_SLOTS.find(([start]) => minuteOfDay >= start && minuteOfDay < start + 30)?.[1] ?? 1;
  for (const sp of spikes)
    if (minuteOfDay >= sp.startMinute && minuteOfDay < sp.startMinute + sp.durationMinutes) x *= sp.factor;
  return x;
}

function procedureWeight(p: SimProcedure): number {
  // Civil status and certification dominate a commune's counter; land and business come next.
  switch (p.field) {
    case "Hộ tịch":
      return 6;
    case "Chứng thực":
      return 8;
    case "Đăng ký, quản lý cư trú":
      return 3;
    case "Đất đai":
      return 2;
    default:
      return 1;
  }
}

/**
 * Draws the arrivals of one local date. On a working day about `shares.online` of them are online
 * and the rest come to a counter (or by post) inside the unit's reception hours; on a weekend or
 * holiday they are online, except at a unit whose counter opens that day (a Saturday-morning desk).
 */
export class ArrivalDraw {
  private readonly procedures: (readonly [SimProcedure, number])[];
  private readonly units: Map<SimProcedure, (readonly [SimUnit, number])[]>;
  private readonly counters = new Map<string, { minutes: number[]; cum: Float64Array } | null>();

  constructor(
    province: Province,
    private readonly calendars: ProvinceCalendars,
    private readonly shares: Shares,
    seed: number,
    unitCodes?: readonly string[],
  ) {
    const allowed = unitCodes ? new Set(unitCodes) : null;
    // Wards and large communes draw more applicants than small mountain communes.
    const sizes = new Random(seed ^ 0x5bd1e995);
    const communeWeights = province.communes
      .map((u) => [u, u.level === "ward" ? 2 + sizes.next() * 2 : 0.5 + sizes.next()] as const)
      .filter(([u]) => !allowed || allowed.has(u.code));
    const centre =
      !allowed || allowed.has(province.provincialCentre.code)
        ? [[province.provincialCentre, 1] as const]
        : [];
    this.units = new Map();
    this.procedures = [];
    for (const p of province.procedures) {
      const units = p.implementingLevels.includes("commune") ? communeWeights : centre;
      if (units.length === 0) continue;
      this.units.set(p, units);
      this.procedures.push([p, procedureWeight(p)]);
    }
    if (this.procedures.length === 0) throw new RangeError("no procedure can be received at the units given");
  }

  /** The minutes the unit's counter is open on `date`, weighted by the day's rhythm; null if closed. */
  private counter(unit: SimUnit, date: string, spikes: readonly Spike[]) {
    const key = `${unit.code}|${date}`;
    let c = this.counters.get(key);
    if (c === undefined) {
      c = counterMinutes(this.calendars.receptionWindows(unit.code, date), startOfDate(date), spikes);
      this.counters.set(key, c);
    }
    return c;
  }

  /** One arrival on `date` (`working`: whether it is a working day of the province). */
  draw(rng: Random, date: string, working: boolean, online: Float64Array, spikes: readonly Spike[]): Arrival {
    const counterWanted = rng.chance(1 - this.shares.online);
    for (let attempt = 0; ; attempt++) {
      const procedure = rng.weighted(this.procedures);
      const unit = rng.weighted(this.units.get(procedure) ?? []);
      const offeredOnline = procedure.onlineServiceLevel !== null;
      // An applicant who goes online picks a procedure offered online.
      if (!counterWanted && !offeredOnline && attempt < 50) continue;
      const counter =
        counterWanted || !offeredOnline ? this.counter(unit, date, working ? spikes : []) : null;
      // A procedure not offered online waits for a day and a unit whose counter is open.
      if (!offeredOnline && counter === null && attempt < 50) continue;
      if (counter !== null) {
        const channel: Channel = rng.chance(this.shares.postal) ? "postal" : "direct";
        return { unit, procedure, channel, at: counter.minutes[draw(rng, counter.cum)] as number };
      }
      return { unit, procedure, channel: "online", at: startOfDate(date) + draw(rng, online) * 60_000 };
    }
  }

  static onlineCurve(spikes: readonly Spike[]): Float64Array {
    return onlineCurve(spikes);
  }
}

function counterMinutes(windows: readonly Window[], midnight: number, spikes: readonly Spike[]) {
  const minutes: number[] = [];
  const weights: number[] = [];
  for (const [from, to] of windows) {
    for (let t = from; t < to; t += 60_000) {
      minutes.push(t);
      weights.push(counterWeight(Math.round((t - midnight) / 60_000), spikes));
    }
  }
  return minutes.length === 0 ? null : { minutes, cum: cumulative(weights) };
}
