import { baseConfig, port } from "@tthc/service-kit";
import { z } from "zod";

export const config = baseConfig.extend({
  PORT: port.default(3001),
  /** Public lookups allowed per client IP in one window. */
  LOOKUP_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  LOOKUP_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
});
export type Config = z.infer<typeof config>;
