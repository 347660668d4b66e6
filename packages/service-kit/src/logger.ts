import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";

/**
 * Personal data of applicants (họ tên, số định danh, điện thoại, địa chỉ) and credentials never reach
 * the logs, wherever they appear in a logged object.
 */
export const redactPaths = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "*.applicant",
  "*.*.applicant",
  "applicant",
  "*.identityNumber",
  "*.phone",
  "*.address",
  "*.password",
  "*.token",
];

export function createLogger(
  service: string,
  level: string,
  options: LoggerOptions = {},
  destination?: DestinationStream,
): Logger {
  const opts: LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: "[redacted]" },
    ...options,
  };
  return destination ? pino(opts, destination) : pino(opts);
}

export type { Logger } from "pino";
