import { formatInstant } from "@tthc/contracts";
import { DomainError } from "./errors.js";

/**
 * How far after the service clock a reported instant may be: the counter's devices and the
 * payment gateway do not read exactly the same clock as the service.
 */
export const REPORTED_INSTANT_TOLERANCE_MS = 60_000;

/**
 * An instant reported for the applicant's side of a pause (when the supplement was supplied, when
 * the fee was paid): by default now; never before the request it answers, never after now beyond
 * the tolerance. Otherwise a 400 naming the field, as a validation error does.
 */
export function reportedInstant(
  field: "suppliedAt" | "paidAt",
  given: string | undefined,
  requestedAt: string,
  now: Date,
): string {
  const value = given ?? formatInstant(now);
  const at = Date.parse(value);
  const path = `body.${field}`;
  if (at < Date.parse(requestedAt)) {
    throw new DomainError("INVALID_INSTANT", `${field} is before the request it answers`, [
      { path, reason: `${value} is before the request of ${requestedAt}`, requestedAt },
    ]);
  }
  if (at > now.getTime() + REPORTED_INSTANT_TOLERANCE_MS) {
    throw new DomainError("INVALID_INSTANT", `${field} is in the future`, [
      { path, reason: `${value} is after now (${formatInstant(now)})`, now: formatInstant(now) },
    ]);
  }
  return value;
}
