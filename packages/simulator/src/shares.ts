/**
 * How often each thing happens. The defaults are chosen so that a simulated month looks like Phú
 * Thọ's published figures (docs/domain.md, "Figures"): about 92% of a working day's dossiers
 * online, and 98.6% of resolved dossiers early or on time.
 */
export interface Shares {
  /** Online share of a working day's arrivals; the rest comes to the counter or by post. */
  online: number;
  /** Postal share of the counter and postal arrivals. */
  postal: number;
  /** Online arrivals on a weekend or holiday, relative to a working day's. */
  offDayVolume: number;
  /** Online submissions refused at reception. */
  refusedAtReception: number;
  /** Online submissions asked for a supplement before acceptance; a fifth of those lapse. */
  supplementBeforeAcceptance: number;
  /** Accepted online submissions accepted after the centre's acceptance deadline. */
  acceptanceLate: number;
  /** Received dossiers withdrawn by the applicant. */
  withdrawn: number;
  /** Received dossiers stopped by a stop notice, or because a supplement never came. */
  stopped: number;
  /** Received dossiers never decided while the run lasts. */
  open: number;
  /** Decided dossiers placed late (the finished-only rate's complement: Phú Thọ 1.4%). */
  late: number;
  /** Of the decided dossiers not late, those decided on the due day (the rest early). */
  onTime: number;
  /** Of the late ones, those made late by a supplement requested after the due instant. */
  supplementAfterDue: number;
  /** Of the late ones, those whose unit sends an apology with a new date first. */
  extension: number;
  /** Dossiers asked for a supplement before the due instant (paused or reset by the procedure). */
  supplement: number;
  /** Dossiers asked for a fee or tax. */
  payment: number;
  /** Coordinating steps transferred to another commune (where the land or the person is). */
  otherUnit: number;
  /** Decisions that refuse (with written reasons). */
  outcomeRefused: number;
  /** Online dossiers whose result is issued electronically. */
  electronicResult: number;
}

export const DEFAULT_SHARES: Shares = {
  online: 0.92,
  postal: 0.05,
  offDayVolume: 0.3,
  refusedAtReception: 0.015,
  supplementBeforeAcceptance: 0.03,
  acceptanceLate: 0.05,
  withdrawn: 0.006,
  stopped: 0.004,
  open: 0.005,
  late: 0.014,
  onTime: 0.15,
  supplementAfterDue: 0.3,
  extension: 0.4,
  supplement: 0.06,
  payment: 0.05,
  otherUnit: 0.3,
  outcomeRefused: 0.02,
  electronicResult: 0.9,
};

/** The defaults with some shares replaced; each must lie in [0, 1]. */
export function sharesWith(overrides: Partial<Shares> = {}): Shares {
  const shares = { ...DEFAULT_SHARES };
  for (const [key, value] of Object.entries(overrides) as [keyof Shares, number | undefined][]) {
    if (value === undefined) continue;
    if (!(value >= 0 && value <= 1)) throw new RangeError(`share ${key} must lie in [0, 1]: ${value}`);
    shares[key] = value;
  }
  return shares;
}
