/**
 * When dossiers arrive. Online submissions come at any hour with a morning peak; counter and postal
 * receptions only inside the default sessions (07:30–11:30, 13:30–17:00, Monday to Friday).
 * Weights are relative arrival intensities per local hour (Asia/Ho_Chi_Minh).
 */
export const ONLINE_BY_HOUR = [
  0.15, 0.08, 0.05, 0.05, 0.08, 0.2, 0.5, 1.0, 1.9, 2.1, 1.8, 1.3, 0.7, 0.9, 1.4, 1.5, 1.3, 1.0, 0.8, 0.8,
  0.9, 0.8, 0.5, 0.3,
] as const;

/** Counter traffic per half-hour slot from 07:30: the morning rush, a lull, the afternoon. */
export const COUNTER_SLOTS: readonly (readonly [startMinute: number, weight: number])[] = [
  [7 * 60 + 30, 1.6],
  [8 * 60, 2.2],
  [8 * 60 + 30, 2.4],
  [9 * 60, 2.2],
  [9 * 60 + 30, 1.8],
  [10 * 60, 1.5],
  [10 * 60 + 30, 1.2],
  [11 * 60, 0.8],
  [13 * 60 + 30, 1.0],
  [14 * 60, 1.4],
  [14 * 60 + 30, 1.5],
  [15 * 60, 1.3],
  [15 * 60 + 30, 1.0],
  [16 * 60, 0.8],
  [16 * 60 + 30, 0.5],
];

export interface Spike {
  /** Minutes after local midnight. */
  startMinute: number;
  durationMinutes: number;
  /** Multiplier of the normal rate while it lasts. */
  factor: number;
}
