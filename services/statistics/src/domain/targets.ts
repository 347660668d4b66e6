import { z } from "zod";

/**
 * The targets a province sets itself for its rates (a provincial plan's "tỷ lệ hồ sơ giải quyết
 * đúng hạn đạt ...%"), drawn as a line on the dashboard's trend chart. They are the province's
 * policy, not a rule of the index, so they are configuration: `STATS_TARGETS`, a JSON object from
 * a province's code to its targets in percent, e.g. `{"H44":{"onTimeRate766":95,"onlineRate":80}}`.
 * A province without an entry has no target line.
 */
export const Target = z
  .object({
    onTimeRate766: z.number().min(0).max(100).optional().meta({ description: "The 766 on-time rate, %" }),
    onlineRate: z.number().min(0).max(100).optional().meta({ description: "The online rate, %" }),
  })
  .strict();
export type Target = z.infer<typeof Target>;

export const ProvinceTargets = z.record(z.string(), Target).superRefine((targets, ctx) => {
  for (const code of Object.keys(targets))
    if (!/^[A-Z]\d{2}$/.test(code))
      ctx.addIssue({ code: "custom", path: [code], message: `${code} is not a province's code, like H44` });
});
export type ProvinceTargets = z.infer<typeof ProvinceTargets>;

/** `STATS_TARGETS` as the environment gives it: a JSON text, `{}` when unset. */
export const targetsVariable = z
  .string()
  .default("{}")
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({
        code: "custom",
        message: 'not JSON; expected e.g. {"H44":{"onTimeRate766":95,"onlineRate":80}}',
      });
      return z.NEVER;
    }
  })
  .pipe(ProvinceTargets);
