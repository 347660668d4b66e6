import { type Applicant, applicant } from "./people.js";
import type { Province, SimProcedure, SimUnit } from "./province.js";
import { Random } from "./random.js";
import { COUNTER_SLOTS, ONLINE_BY_HOUR, type Spike } from "./rhythm.js";

export type Channel = "online" | "direct" | "postal";

/** What will happen to a dossier after it arrives; the driver acts it out through the APIs. */
export type Fate = "resolved" | "resolved-late" | "refused-at-reception" | "withdrawn" | "open";

export interface DossierScript {
  seq: number;
  unitCode: string;
  procedureCode: string;
  channel: Channel;
  /** Local ISO instant (+07:00) when the applicant submitted (online) or came to the counter. */
  submittedAt: string;
  applicant: Applicant;
  fate: Fate;
  supplement: boolean;
  payment: boolean;
  extension: boolean;
  transfer: boolean;
  /** Refused by the reviewing unit (approved otherwise), for resolved dossiers. */
  outcomeRefused: boolean;
}

export interface PlanOptions {
  seed: number;
  /** The local date simulated, `YYYY-MM-DD` (a working day gives counter traffic). */
  date: string;
  /** Dossiers in the whole day. A province of 148 communes gets about 3,600 on a working day. */
  dossiers: number;
  onlineShare?: number;
  postalShare?: number;
  spikes?: Spike[];
  /** Shares of fates among accepted dossiers. */
  lateShare?: number;
  withdrawnShare?: number;
  openShare?: number;
  refusedShare?: number;
  /** How long before the day a late dossier was submitted (its clock has run out by then). */
  lateBackdateDays?: number;
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const pad = (n: number) => String(n).padStart(2, "0");

function localIso(date: string, minuteOfDay: number, second: number): string {
  return `${date}T${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}:${pad(second)}+07:00`;
}

function isWeekday(date: string): boolean {
  const day = new Date(`${date}T12:00:00+07:00`).getUTCDay();
  return day !== 0 && day !== 6;
}

/**
 * The intensity of arrivals in each minute of the day for a channel, spikes multiplying the
 * local rate, as a cumulative array to draw minutes from.
 */
function minuteCurve(channel: Channel, spikes: readonly Spike[]): Float64Array {
  const curve = new Float64Array(24 * 60);
  for (let m = 0; m < curve.length; m++) {
    let w: number;
    if (channel === "online") w = ONLINE_BY_HOUR[Math.floor(m / 60)]!;
    else w = COUNTER_SLOTS.find(([start]) => m >= start && m < start + 30)?.[1] ?? 0;
    for (const sp of spikes)
      if (m >= sp.startMinute && m < sp.startMinute + sp.durationMinutes) w *= sp.factor;
    curve[m] = (m > 0 ? curve[m - 1]! : 0) + w;
  }
  return curve;
}

function drawMinute(rng: Random, curve: Float64Array): number {
  const target = rng.next() * curve[curve.length - 1]!;
  let lo = 0;
  let hi = curve.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (curve[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function unitFor(
  rng: Random,
  province: Province,
  procedure: SimProcedure,
  communeWeights: [SimUnit, number][],
): SimUnit {
  if (procedure.implementingLevels.includes("commune")) return rng.weighted(communeWeights);
  return province.provincialCentre;
}

/**
 * The dossiers of one simulated day, reproducible from the seed: where each arrives, on which
 * channel, when, for which procedure, and what will happen to it.
 */
export function planDay(province: Province, options: PlanOptions): DossierScript[] {
  const rng = new Random(options.seed);
  const weekday = isWeekday(options.date);
  const onlineShare = weekday ? (options.onlineShare ?? 0.92) : 1;
  const postalShare = weekday ? (options.postalShare ?? 0.01) : 0;
  const spikes = options.spikes ?? [
    { startMinute: 8 * 60 + 15, durationMinutes: 20, factor: 4 },
    { startMinute: 14 * 60 + 30, durationMinutes: 15, factor: 3 },
  ];
  // Wards and large communes draw more applicants than small mountain communes.
  const sizes = new Random(options.seed ^ 0x5bd1e995);
  const communeWeights = province.communes.map(
    (u) => [u, u.level === "ward" ? 2 + sizes.next() * 2 : 0.5 + sizes.next()] as [SimUnit, number],
  );
  // Civil status and certification dominate a commune's counter; land and business come next.
  const procedureWeights = province.procedures.map((p) => [p, procedureWeight(p)] as const);

  const onlineCurve = minuteCurve("online", spikes);
  const counterCurve = minuteCurve("direct", spikes);
  const scripts: DossierScript[] = [];
  for (let seq = 1; seq <= options.dossiers; seq++) {
    const r = rng.fork(`dossier-${seq}`);
    const procedure = r.weighted(procedureWeights);
    const unit = unitFor(r, province, procedure, communeWeights);
    let channel: Channel = r.chance(onlineShare)
      ? "online"
      : r.chance(postalShare / (1 - onlineShare))
        ? "postal"
        : "direct";
    const minute = drawMinute(r, channel === "online" ? onlineCurve : counterCurve);
    const refused = channel === "online" && r.chance(options.refusedShare ?? 0.01);
    const fate: Fate = refused
      ? "refused-at-reception"
      : r.weighted([
          [
            "resolved",
            1 - (options.lateShare ?? 0.02) - (options.withdrawnShare ?? 0.005) - (options.openShare ?? 0.15),
          ],
          ["resolved-late", options.lateShare ?? 0.02],
          ["withdrawn", options.withdrawnShare ?? 0.005],
          ["open", options.openShare ?? 0.15],
        ] as const);
    // A late result needs a clock that ran out before the driver decides: an online dossier
    // submitted weeks before the simulated day and accepted only now.
    let date = options.date;
    if (fate === "resolved-late") {
      channel = "online";
      date = shiftDate(options.date, -(options.lateBackdateDays ?? 45));
    }
    const active = fate === "resolved" || fate === "resolved-late" || fate === "open";
    scripts.push({
      seq,
      unitCode: unit.code,
      procedureCode: procedure.code,
      channel,
      submittedAt: localIso(date, minute, r.int(0, 59)),
      applicant: applicant(r, unit.name),
      fate,
      supplement: active && r.chance(0.06),
      payment: active && r.chance(0.04),
      extension: fate === "resolved-late" && r.chance(0.3),
      transfer: active && procedure.interUnit,
      outcomeRefused: fate !== "refused-at-reception" && r.chance(0.02),
    });
  }
  return scripts.sort((a, b) => a.submittedAt.localeCompare(b.submittedAt) || a.seq - b.seq);
}

function procedureWeight(p: SimProcedure): number {
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

export interface DayTally {
  /** Received (accepted) dossiers per unit and channel; refused ones are never counted as received. */
  received: Record<string, { online: number; direct: number; postal: number }>;
  refusedAtReception: number;
  withdrawn: number;
  total: number;
}

/** What the statistics must show for the receptions of a planned day, unit by unit. */
export function tallyReceptions(scripts: readonly DossierScript[]): DayTally {
  const received: DayTally["received"] = {};
  let refusedAtReception = 0;
  let withdrawn = 0;
  for (const s of scripts) {
    if (s.fate === "refused-at-reception") {
      refusedAtReception++;
      continue;
    }
    if (s.fate === "withdrawn") withdrawn++;
    received[s.unitCode] ??= { online: 0, direct: 0, postal: 0 };
    received[s.unitCode]![s.channel]++;
  }
  return { received, refusedAtReception, withdrawn, total: scripts.length };
}
