import { baseConfig, port } from "@tthc/service-kit";
import { z } from "zod";
import { parseAllowList } from "./webhooks/targets.js";

const share = z.coerce.number().gt(0).lt(1);

export const config = baseConfig.extend({
  PORT: port.default(3003),
  /** Share of the statutory time left at which due-soon fires; unset: the last working day (at most half). */
  DUE_SOON_SHARE: share.optional(),
  /** A unit whose on-time rate of the month falls below this gets a threshold alert. */
  ON_TIME_RATE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.9),
  /**
   * Working hours an overdue dossier waits before its escalation goes up a step: to the parent
   * unit's leader after this many, to the province's one-stop centre after twice this many.
   */
  ESCALATION_AFTER_WORKING_HOURS: z.coerce.number().gt(0).max(1_000).default(8),
  TIMER_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  TIMER_MAX_SLEEP_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(1_000),
  /** Time limit of one delivery attempt. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /** Endpoints one instance calls at once, at most (each endpoint gets one call at a time). */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(64),
  /**
   * Inside addresses webhooks may reach all the same (src/webhooks/targets.ts): comma-separated
   * addresses or CIDR ranges, each optionally with a port (`10.20.0.5:8443`, `[fd00::5]:443`).
   */
  WEBHOOK_ALLOWED_TARGETS: z
    .string()
    .default("")
    .transform((s, ctx) => {
      try {
        return parseAllowList(s);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
});
export type Config = z.infer<typeof config>;
