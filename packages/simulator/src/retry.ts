/**
 * When the driver sends a step again. A service that restarts is unreachable for a few seconds;
 * the driver waits and retries, relying on the idempotency the APIs already have (intake's
 * `Idempotency-Key` and `portalRef`, processing's `expectedVersion`).
 */

/** Status 0 stands for a request that got no answer at all (refused, reset, timed out). */
export const NO_ANSWER = 0;

/**
 * Whether a failed request may be sent again: no answer, or a gateway or server saying it is not
 * available right now. Any other status is the service's verdict on the request itself.
 */
export function isTransientStatus(status: number): boolean {
  return status === NO_ANSWER || status === 502 || status === 503 || status === 504;
}

/** The wait before retry number `attempt` (0-based): doubling from `baseMs`, at most `maxMs`. */
export function retryDelay(attempt: number, baseMs = 100, maxMs = 2_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
}

/** Processing's action and the state it leads to; null where the state stays the same. */
const stateAfter: Record<string, string | null> = {
  assign: "processing",
  transfer: null,
  "request-supplement": "awaiting_supplement",
  "receive-supplement": "processing",
  "request-payment": "awaiting_payment",
  "receive-payment": "processing",
  extend: null,
  resolve: "resolved",
  return: "returned",
  withdraw: "withdrawal_requested",
  stop: "stopped",
};

export interface VersionedState {
  version: number;
  state: string;
}

/**
 * After a processing action got no answer, the dossier as read again tells whether it was applied:
 * `done` when the version moved on by exactly one and the state is the one the action leads to;
 * `resend` otherwise (the action never committed, so it goes again with the version now read).
 */
export function lostActionOutcome(
  action: string,
  before: VersionedState,
  now: VersionedState,
): "done" | "resend" {
  if (now.version !== before.version + 1) return "resend";
  const to = stateAfter[action];
  if (to === undefined) return "resend";
  return now.state === (to ?? before.state) ? "done" : "resend";
}
