import { z } from "zod";

/**
 * The states of record of a dossier: the national portal's status codes (TrangThaiHoSo) 1–10, so
 * that a dossier can be synchronised to the portal without translation.
 */
export const dossierStates = [
  "submitted",
  "received",
  "refused",
  "processing",
  "awaiting_supplement",
  "awaiting_payment",
  "withdrawal_requested",
  "stopped",
  "resolved",
  "returned",
] as const;

/**
 * State of a dossier:
 * 1 `submitted` (Mới đăng ký), 2 `received` (Được tiếp nhận), 3 `refused` (Không được tiếp nhận),
 * 4 `processing` (Đang xử lý), 5 `awaiting_supplement` (Yêu cầu bổ sung), 6 `awaiting_payment`
 * (Yêu cầu thực hiện nghĩa vụ tài chính), 7 `withdrawal_requested` (Công dân yêu cầu rút hồ sơ),
 * 8 `stopped` (Dừng xử lý), 9 `resolved` (Đã xử lý xong), 10 `returned` (Đã trả kết quả).
 */
export const DossierState = z.enum(dossierStates).meta({
  description: "Dossier state; the national portal status code (TrangThaiHoSo) is its position 1–10",
});
export type DossierState = z.infer<typeof DossierState>;

/** A national portal status code (TrangThaiHoSo), 1–10. */
export type NationalStatusCode = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;

/** State → national portal status code (TrangThaiHoSo). */
export const nationalStatusCode: Readonly<Record<DossierState, NationalStatusCode>> = {
  submitted: 1,
  received: 2,
  refused: 3,
  processing: 4,
  awaiting_supplement: 5,
  awaiting_payment: 6,
  withdrawal_requested: 7,
  stopped: 8,
  resolved: 9,
  returned: 10,
};

/** The state's name on the national portal. */
export const stateLabelVi: Readonly<Record<DossierState, string>> = {
  submitted: "Mới đăng ký",
  received: "Được tiếp nhận",
  refused: "Không được tiếp nhận",
  processing: "Đang xử lý",
  awaiting_supplement: "Yêu cầu bổ sung",
  awaiting_payment: "Yêu cầu thực hiện nghĩa vụ tài chính",
  withdrawal_requested: "Công dân yêu cầu rút hồ sơ",
  stopped: "Dừng xử lý",
  resolved: "Đã xử lý xong",
  returned: "Đã trả kết quả",
};

/** National portal status code → state; `undefined` for a code outside 1–10. */
export function stateFromNationalCode(code: number): DossierState | undefined {
  return Number.isInteger(code) ? dossierStates[code - 1] : undefined;
}

/**
 * Whether a dossier in this state may count as received in the rates: never a submission awaiting
 * acceptance (1) or refused at reception (3). States 5 and 8 are also reached before acceptance, so
 * the state alone does not decide: a dossier counts as received when its `dossier.received` exists.
 */
export function isCountedAsReceived(state: DossierState): boolean {
  return state !== "submitted" && state !== "refused";
}

/**
 * States in which a received dossier's clock runs or waits (docs/domain.md): open until it is
 * resolved (9) or stopped (8); only an open dossier can be overdue or due soon.
 */
export const openStates: readonly DossierState[] = [
  "received",
  "processing",
  "awaiting_supplement",
  "awaiting_payment",
  "withdrawal_requested",
];

export function isOpenState(state: DossierState): boolean {
  return openStates.includes(state);
}
