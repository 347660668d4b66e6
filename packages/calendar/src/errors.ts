/** Every error this package throws has one of these codes, so callers can map it without parsing messages. */
export type CalendarErrorCode =
  | "CALENDAR_INVALID_INSTANT"
  | "CALENDAR_INVALID_DATE"
  | "CALENDAR_INVALID_SESSION"
  | "CALENDAR_INVALID_AMOUNT"
  | "CALENDAR_INVALID_CUTOFF"
  | "CALENDAR_INVALID_DATA"
  | "CALENDAR_YEAR_OUT_OF_RANGE"
  | "CALENDAR_NO_WORKING_TIME"
  | "CALENDAR_UNKNOWN_UNIT"
  | "CLOCK_EVENT_BEFORE_PREVIOUS"
  | "CLOCK_INVALID_TRANSITION"
  | "CLOCK_ALREADY_EXTENDED"
  | "SPLIT_INVALID_STEPS";

export class CalendarError extends Error {
  override readonly name = "CalendarError";
  readonly code: CalendarErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: CalendarErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }
}
