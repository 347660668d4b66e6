import { competentUnitOf } from "@tthc/contracts";
import { type Arrival, ArrivalDraw, DEFAULT_SPIKES } from "./arrivals.js";
import { ProvinceCalendars } from "./calendars.js";
import { addDays, isDate } from "./dates.js";
import { applicant } from "./people.js";
import type { Province, SimProcedure, SimStep, SimUnit } from "./province.js";
import { Random } from "./random.js";
import type { Spike } from "./rhythm.js";
import type { DossierScript, Fate, ScriptAction } from "./script.js";
import { type Shares, sharesWith } from "./shares.js";
import type { Timing, Verdict } from "./timing.js";

export interface PlanOptions {
  seed: number;
  /** The first simulated local day, `YYYY-MM-DD`. */
  firstDate: string;
  /** How many days dossiers arrive (1 to 366). */
  days: number;
  /** Dossiers on a working day; a weekend or holiday gets `shares.offDayVolume` of its online ones. */
  dossiersPerDay: number;
  shares?: Partial<Shares>;
  /** Only these receiving units (a small run that still covers a ward's Saturday desk, say). */
  unitCodes?: readonly string[];
  spikes?: readonly Spike[];
  /**
   * `every-step` (the default): a dossier is transferred through each step of its process up to
   * the deciding one, so that every step has its run and deadline. `between-units`: only where the
   * unit changes (fewer requests for a long run; a commune's own procedure is then decided at its
   * first step).
   */
  transfers?: "every-step" | "between-units";
}

/** The working minutes of a step's budget (a working day of 450 minutes). */
function budgetMinutes(step: SimStep): number {
  const b = step.budget;
  if (!b) return 60;
  const per: Record<string, number> = { days: 450, "half-days": 225, hours: 60 };
  return b.amount * (per[b.unit] ?? 60);
}

/** The centre's acceptance deadline in working minutes: the procedure's, else 8 working hours. */
export function acceptanceMinutes(p: SimProcedure): number {
  const t = p.acceptanceTime;
  if (!t) return 480;
  const per: Record<string, number> = { days: 450, "half-days": 225, hours: 60, "within-day": 450 };
  return t.amount * (per[t.unit] ?? 60);
}

/** The step at which the dossier is decided: the last deciding step, else the last handling one. */
export function decidingStepIndex(steps: readonly SimStep[]): number {
  const last = (role: SimStep["unitRole"]) => steps.map((s) => s.unitRole).lastIndexOf(role);
  const i = last("deciding");
  return i >= 0 ? i : Math.max(0, last("handling"));
}

const calendarsOf = new WeakMap<Province, ProvinceCalendars>();
/** The province's calendars, built once per loaded province. */
export function provinceCalendars(province: Province): ProvinceCalendars {
  let c = calendarsOf.get(province);
  if (!c) {
    c = new ProvinceCalendars(province);
    calendarsOf.set(province, c);
  }
  return c;
}

/** Of the online submissions asked for a supplement before acceptance, those whose supplement never comes. */
export const LAPSED_SUPPLEMENTS = 0.2;

const uniform = (r: Random, min: number, max: number) => min + r.next() * (max - min);
const working = (minutes: number): Timing => ({ kind: "working", minutes: Math.round(minutes) });

/**
 * The dossiers of a period, reproducible from the seed: where and when each arrives, on which
 * channel, for which procedure, and its story as timed actions. Sorted by arrival and numbered.
 */
export function planPeriod(province: Province, options: PlanOptions): DossierScript[] {
  if (!isDate(options.firstDate)) throw new RangeError(`not a date (YYYY-MM-DD): ${options.firstDate}`);
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 366)
    throw new RangeError(`days must be a whole number from 1 to 366: ${options.days}`);
  if (!Number.isInteger(options.dossiersPerDay) || options.dossiersPerDay < 0)
    throw new RangeError(`dossiersPerDay must be a whole number: ${options.dossiersPerDay}`);
  const shares = sharesWith(options.shares);
  const calendars = provinceCalendars(province);
  const arrivals = new ArrivalDraw(province, calendars, shares, options.seed, options.unitCodes);
  const spikes = options.spikes ?? DEFAULT_SPIKES;
  const workingCurve = ArrivalDraw.onlineCurve(spikes);
  const offCurve = ArrivalDraw.onlineCurve([]);
  const otherCommunes = province.communes.filter(
    (u) => !options.unitCodes || options.unitCodes.includes(u.code),
  );
  const root = new Random(options.seed);
  const planned: { key: number; index: number; script: Omit<DossierScript, "seq"> }[] = [];
  for (let d = 0; d < options.days; d++) {
    const date = addDays(options.firstDate, d);
    const workingDay = calendars.isWorkingDay(province.provincialCentre.code, date);
    const count = workingDay
      ? options.dossiersPerDay
      : Math.round(options.dossiersPerDay * shares.online * shares.offDayVolume);
    const day = root.fork(`day-${date}`);
    for (let i = 0; i < count; i++) {
      const r = day.fork(`dossier-${i}`);
      const arrival = arrivals.draw(r, date, workingDay, workingDay ? workingCurve : offCurve, spikes);
      const script = storyOf(r, arrival, shares, otherCommunes, options.transfers !== "between-units");
      planned.push({ key: arrival.at, index: planned.length, script });
    }
  }
  planned.sort((a, b) => a.key - b.key || a.index - b.index);
  return planned.map((p, i) => ({ seq: i + 1, ...p.script }));
}

/** What happens to one dossier after it arrives, as timed actions. */
function storyOf(
  r: Random,
  arrival: Arrival,
  shares: Shares,
  communes: readonly SimUnit[],
  everyStep: boolean,
): Omit<DossierScript, "seq"> {
  const { unit, procedure, channel } = arrival;
  const steps = procedure.steps.map((s) => ({ ...s, unitCode: s.unitCode ?? unit.code }));
  const base = {
    unitCode: unit.code,
    competentUnitCode: competentUnitOf(steps, unit.code),
    procedureCode: procedure.code,
    channel,
    arrivesAt: isoLocal(arrival.at),
    applicant: applicant(r, unit.name),
  };
  const actions: ScriptAction[] = [
    { do: channel === "online" ? "submit" : "receive", when: { kind: "at", at: arrival.at } },
  ];
  let acceptance: DossierScript["acceptance"] = null;

  if (channel === "online") {
    const deadline = acceptanceMinutes(procedure);
    const wait = () => {
      const late = r.chance(shares.acceptanceLate);
      acceptance = late ? "late" : "in-time";
      return working(late ? uniform(r, 1.1, 3) * deadline : uniform(r, 0.02, 0.9) * deadline);
    };
    if (r.chance(shares.refusedAtReception)) {
      actions.push({ do: "refuse", when: wait() });
      return { ...base, fate: "refused-at-reception", verdict: null, acceptance, actions };
    }
    if (r.chance(shares.supplementBeforeAcceptance)) {
      actions.push({ do: "request-submission-supplement", when: working(uniform(r, 10, 0.8 * deadline)) });
      if (r.chance(LAPSED_SUPPLEMENTS)) {
        actions.push({ do: "stop-submission", when: working(uniform(r, 3, 6) * 450) });
        return { ...base, fate: "lapsed-before-acceptance", verdict: null, acceptance: null, actions };
      }
      // The applicant completes it on the portal, at any hour.
      actions.push({
        do: "supply-submission",
        when: { kind: "civil", minutes: Math.round(uniform(r, 60, 3 * 1440)) },
      });
    }
    actions.push({ do: "accept", when: wait() });
  }

  const fate = r.weighted<Fate>([
    ["withdrawn", shares.withdrawn],
    ["stopped", shares.stopped],
    ["open", shares.open],
    ["resolved", Math.max(0, 1 - shares.withdrawn - shares.stopped - shares.open)],
  ]);
  const story = { ...base, acceptance };
  if (fate === "withdrawn" || fate === "stopped") {
    actions.push({ do: "assign", when: working(uniform(r, 5, 120)) });
    if (fate === "withdrawn") {
      actions.push({ do: "withdraw", when: working(uniform(r, 30, 2 * 450)) });
      actions.push({ do: "stop", reason: "withdrawn", when: working(uniform(r, 15, 240)) });
    } else if (r.chance(0.5)) {
      actions.push({ do: "stop", reason: "stop-notice", when: working(uniform(r, 120, 4 * 450)) });
    } else {
      actions.push({ do: "request-supplement", when: working(uniform(r, 60, 600)) });
      actions.push({ do: "stop", reason: "supplement-lapsed", when: working(uniform(r, 2, 5) * 450) });
    }
    return { ...story, fate, verdict: null, actions };
  }

  const late = fate === "resolved" && r.chance(shares.late);
  const verdict: Verdict | null =
    fate === "open" ? null : late ? "late" : r.chance(shares.onTime) ? "on_time" : "early";
  const lateBySupplement = late && r.chance(shares.supplementAfterDue);
  const extension = late && !lateBySupplement && r.chance(shares.extension);
  /** When the decision comes: placed for the verdict, from the due instant the services show. */
  const decide: Timing =
    verdict === null || lateBySupplement
      ? { kind: "due", minutes: -30 }
      : {
          kind: "verdict",
          verdict,
          position: uniform(r, 0.1, 0.85),
          lateMinutes: Math.round(uniform(r, 30, 2 * 450)),
        };
  // Within minutes or hours, but early in the time of a short procedure.
  const soon = (minutes: number, share: number, target: Timing = decide): Timing => ({
    kind: "first",
    of: [working(minutes), { kind: "toward", share, target }],
  });

  actions.push({ do: "assign", when: soon(uniform(r, 5, 120), uniform(r, 0.02, 0.1)) });
  if (extension) {
    // The apology must come a working day before the due instant; one placed too close is
    // refused (409) and the story goes on.
    actions.push({
      do: "extend",
      when: { kind: "due", minutes: -Math.round(450 + uniform(r, -60, 240)) },
      extendByMinutes: Math.round(uniform(r, 2, 4) * 450),
    });
  }
  if (r.chance(shares.payment)) {
    actions.push({ do: "request-payment", when: soon(uniform(r, 15, 240), uniform(r, 0.05, 0.2)) });
    actions.push({
      do: "receive-payment",
      applicantAfter: Math.round(uniform(r, 30, 2 * 1440)),
      when: working(uniform(r, 5, 45)),
    });
  }
  if (!extension && !lateBySupplement && r.chance(shares.supplement)) {
    actions.push({
      do: "request-supplement",
      when: { kind: "toward", share: uniform(r, 0.1, 0.6), target: { kind: "due", minutes: 0 } },
    });
    actions.push({
      do: "receive-supplement",
      applicantAfter: Math.round(uniform(r, 120, 3 * 1440)),
      when: working(uniform(r, 5, 45)),
    });
  }

  // Transfers through the process up to the deciding step, spread by the steps' budgets; a
  // coordinating step whose unit the dossier decides may go to another commune.
  const decidingStep = decidingStepIndex(procedure.steps);
  const units = steps.map((s) => s.unitCode);
  const elsewhere = new Map<number, string>();
  for (let k = 1; k <= decidingStep; k++) {
    const step = procedure.steps[k] as SimStep;
    if (
      step.unitRole === "coordinating" &&
      step.unitCode === null &&
      communes.length > 1 &&
      r.chance(shares.otherUnit)
    ) {
      const other = r.pick(communes.filter((c) => c.code !== unit.code)).code;
      elsewhere.set(k, other);
      units[k] = other;
    }
  }
  const targets: number[] = [];
  for (let k = 1; k <= decidingStep; k++) {
    const from = targets.length > 0 ? (targets[targets.length - 1] as number) : 0;
    if (everyStep || units[k] !== units[from]) targets.push(k);
  }
  const budgets = procedure.steps.slice(0, decidingStep + 1).map(budgetMinutes);
  // An open dossier only gets as far as its first transfers.
  const taken = verdict === null ? targets.slice(0, r.int(0, 2)) : targets;
  let from = 0;
  for (const k of taken) {
    const spent = budgets.slice(from, k).reduce((s, b) => s + b, 0);
    const remaining = budgets.slice(from).reduce((s, b) => s + b, 0);
    const to = procedure.steps[k] as SimStep;
    actions.push({
      do: "transfer",
      when: { kind: "toward", share: spent / remaining, target: decide },
      toStepId: to.id,
      ...(elsewhere.has(k) ? { toUnitCode: elsewhere.get(k) } : {}),
    });
    from = k;
  }
  if (verdict === null) return { ...story, fate: "open", verdict, actions };

  if (lateBySupplement) {
    // Asked after the due instant: the verdict is late whatever happens next.
    actions.push({
      do: "request-supplement",
      when: { kind: "due", minutes: Math.round(uniform(r, 30, 900)) },
    });
    actions.push({
      do: "receive-supplement",
      applicantAfter: Math.round(uniform(r, 120, 2 * 1440)),
      when: working(uniform(r, 5, 45)),
    });
    actions.push({ do: "resolve", when: working(uniform(r, 30, 450)), ...outcomeOf(r, channel, shares) });
  } else {
    actions.push({ do: "resolve", when: decide, ...outcomeOf(r, channel, shares) });
  }
  const resolve = actions[actions.length - 1] as ScriptAction;
  const returnChannel = channel === "postal" ? "postal" : resolve.electronicResult ? "electronic" : "counter";
  actions.push({
    do: "return",
    returnChannel,
    when: working(uniform(r, 5, returnChannel === "electronic" ? 30 : 900)),
  });
  return { ...story, fate: late ? "resolved-late" : "resolved", verdict, actions };
}

function outcomeOf(
  r: Random,
  channel: string,
  shares: Shares,
): Pick<ScriptAction, "outcome" | "electronicResult"> {
  return {
    outcome: r.chance(shares.outcomeRefused) ? "refused" : "approved",
    electronicResult: channel === "online" && r.chance(shares.electronicResult),
  };
}

const pad = (n: number) => String(n).padStart(2, "0");
/** An instant as local ISO 8601 (+07:00), to the second. */
export function isoLocal(ms: number): string {
  const d = new Date(ms + 7 * 3_600_000);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+07:00`
  );
}

/** One simulated day (the period of one day), with the shares given flat as in earlier versions. */
export interface DayPlanOptions {
  seed: number;
  /** The local date, `YYYY-MM-DD`. */
  date: string;
  /** Dossiers on that day if it is a working day. */
  dossiers: number;
  shares?: Partial<Shares>;
  unitCodes?: readonly string[];
  spikes?: readonly Spike[];
  onlineShare?: number;
  lateShare?: number;
  withdrawnShare?: number;
  openShare?: number;
  refusedShare?: number;
}

export function planDay(province: Province, o: DayPlanOptions): DossierScript[] {
  const flat: Partial<Shares> = {};
  if (o.onlineShare !== undefined) flat.online = o.onlineShare;
  if (o.lateShare !== undefined) flat.late = o.lateShare;
  if (o.withdrawnShare !== undefined) flat.withdrawn = o.withdrawnShare;
  if (o.openShare !== undefined) flat.open = o.openShare;
  if (o.refusedShare !== undefined) flat.refusedAtReception = o.refusedShare;
  return planPeriod(province, {
    seed: o.seed,
    firstDate: o.date,
    days: 1,
    dossiersPerDay: o.dossiers,
    shares: { ...flat, ...o.shares },
    ...(o.unitCodes ? { unitCodes: o.unitCodes } : {}),
    ...(o.spikes ? { spikes: o.spikes } : {}),
  });
}
