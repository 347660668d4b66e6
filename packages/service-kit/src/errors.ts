import { isTransient } from "@tthc/bus";

/**
 * One error shape for every service: `{ error: { code, message, details } }` with a status that fits.
 * Services keep a registry of their own codes (e.g. `INTAKE_UNKNOWN_PROCEDURE`) built with `defineErrors`.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

type Spec = readonly [status: number, message: string];

/**
 * A registry of a service's errors: `const errors = defineErrors({ UNKNOWN_PROCEDURE: [400, "..."] }, "INTAKE")`
 * then `throw errors.UNKNOWN_PROCEDURE({ code })`. Codes are prefixed with the service's area.
 */
export function defineErrors<K extends string>(
  specs: Record<K, Spec>,
  area: string,
): Record<K, (details?: unknown, message?: string) => AppError> {
  const out = {} as Record<K, (details?: unknown, message?: string) => AppError>;
  for (const key of Object.keys(specs) as K[]) {
    const [status, message] = specs[key];
    out[key] = (details, custom) => new AppError(`${area}_${key}`, status, custom ?? message, details);
  }
  return out;
}

/** Errors every service can raise. */
export const commonErrors = defineErrors(
  {
    VALIDATION_FAILED: [400, "The request is not valid"],
    UNAUTHENTICATED: [401, "A valid bearer token is required"],
    FORBIDDEN: [403, "This action is not allowed for your unit or role"],
    NOT_FOUND: [404, "Not found"],
    CONFLICT: [409, "The request conflicts with the current state"],
    PAYLOAD_TOO_LARGE: [413, "The request body is too large"],
    UNSUPPORTED_MEDIA_TYPE: [415, "The request body must be JSON"],
    RATE_LIMITED: [429, "Too many requests"],
    NOT_READY: [503, "A dependency is not reachable"],
    INTERNAL: [500, "Internal error"],
  },
  "HTTP",
);

/**
 * Whether an error only says that a dependency (PostgreSQL, Redis) cannot be reached right now, as
 * while it restarts: the request is answered 503, which a client may retry, rather than 500. The
 * same judgement the bus uses to retry instead of dead-lettering.
 */
export function isDependencyUnavailable(err: unknown): boolean {
  return isTransient(err);
}
