/** A failure that retrying cannot fix: the record goes to the dead-letter topic at once. */
export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentError";
  }
}

/** A failure of the infrastructure, not of the record: retried until it passes, never dead-lettered. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TransientError";
  }
}

// PostgreSQL SQLSTATEs that say "try again": connection exceptions (08…), serialization failure,
// deadlock, admin shutdown, crash shutdown, cannot connect now, too many connections, lock not available.
const TRANSIENT_SQLSTATES = new Set(["40001", "40P01", "57P01", "57P02", "57P03", "53300", "55P03"]);
const TRANSIENT_ERRNO = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTCONN",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
const TRANSIENT_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed)/i;

/**
 * Whether an error comes from the database or the network rather than from the record: such a
 * record is retried (blocking its partition) instead of being dead-lettered, so an outage loses nothing.
 */
export function isTransient(err: unknown): boolean {
  // An error may wrap its cause (a driver error inside a service's own): look a few levels down.
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof TransientError) return true;
    if (e instanceof PermanentError) return false;
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      (code.startsWith("08") || TRANSIENT_SQLSTATES.has(code) || TRANSIENT_ERRNO.has(code))
    )
      return true;
    if (e.name === "MaxRetriesPerRequestError" || TRANSIENT_MESSAGE.test(e.message)) return true;
  }
  return false;
}
