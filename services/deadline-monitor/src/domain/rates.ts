import { VN_OFFSET_MS } from "@tthc/calendar";

/** A calendar month in Asia/Ho_Chi_Minh: its label and its bounds as instants. */
export interface Month {
  label: string;
  from: Date;
  to: Date;
}

export function monthOf(ms: number): Month {
  const local = new Date(ms + VN_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  return {
    label: `${y}-${String(m + 1).padStart(2, "0")}`,
    from: new Date(Date.UTC(y, m, 1) - VN_OFFSET_MS),
    to: new Date(Date.UTC(y, m + 1, 1) - VN_OFFSET_MS),
  };
}

export interface VerdictCounts {
  early: number;
  onTime: number;
  late: number;
}

/** Finished-only on-time rate: (early + on time) / finished; null with nothing finished. */
export function onTimeRate(c: VerdictCounts): number | null {
  const total = c.early + c.onTime + c.late;
  return total === 0 ? null : (c.early + c.onTime) / total;
}
