import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { buildService, type ServiceDefinition } from "@tthc/service-kit";

export const ROOT = resolve(import.meta.dirname, "../../..");

/** Series Prometheus makes itself rather than scraping them. */
const PROMETHEUS_OWN = new Set(["up", "scrape_duration_seconds", "scrape_samples_scraped", "ALERTS"]);

const KEYWORDS = new Set(["and", "or", "unless", "offset", "bool", "inf", "nan"]);

/**
 * The metric names an expression reads: identifiers that are not a function (followed by `(`), a
 * keyword, a label inside `{...}` or `by (...)`, a duration inside `[...]`, or a string. Grafana's
 * `label_values(metric, label)` reads its first argument.
 */
export function metricNamesIn(expr: string): string[] {
  const values = /^\s*label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(expr);
  if (values) return [values[1]!];
  const s = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
  const names = new Set<string>();
  for (const m of s.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const before = s[(m.index ?? 0) - 1] ?? " ";
    if (/[0-9.$]/.test(before)) continue;
    if (
      s
        .slice((m.index ?? 0) + m[0].length)
        .trimStart()
        .startsWith("(")
    )
      continue;
    if (KEYWORDS.has(m[0].toLowerCase())) continue;
    names.add(m[0]);
  }
  return [...names];
}

/** Grafana's variables replaced by values Prometheus accepts, so that promtool can parse a panel's query. */
export function withGrafanaVariables(expr: string): string {
  return expr
    .replaceAll("$__rate_interval", "1m")
    .replaceAll("$__interval", "1m")
    .replaceAll("$__range", "1h")
    .replace(/\$\{?(\w+)\}?/g, ".*");
}

const SERVICES = ["intake", "processing", "deadline-monitor", "statistics"] as const;

/**
 * The series names the four services expose on /metrics, from their registries: each service is
 * built as `main.ts` builds it (routes, consumers, gauges registered) without starting it, so no
 * server is needed. A histogram exposes `_bucket`, `_sum` and `_count`.
 */
export async function registeredSeriesNames(): Promise<Map<string, string[]>> {
  const env = {
    PORT: "0",
    KAFKA_BROKERS: "127.0.0.1:1",
    DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
    DATABASE_SCHEMA: "none",
    REDIS_URL: "redis://127.0.0.1:1/0",
    LOG_LEVEL: "silent",
  };
  const out = new Map<string, string[]>();
  for (const name of SERVICES) {
    const mod = (await import(`${ROOT}/services/${name}/src/service.ts`)) as {
      service: ServiceDefinition<never>;
    };
    const running = await buildService(mod.service, { env });
    try {
      for (const m of await running.ctx.registry.getMetricsAsJSON()) {
        // prom-client declares `type` as a numeric enum but gives the exposition's word ("histogram").
        const type = String(m.type);
        const series =
          type === "histogram"
            ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`]
            : type === "summary"
              ? [m.name, `${m.name}_sum`, `${m.name}_count`]
              : [m.name];
        for (const s of series) out.set(s, [...(out.get(s) ?? []), name]);
      }
    } finally {
      await running.stop();
    }
  }
  for (const s of PROMETHEUS_OWN) out.set(s, ["prometheus"]);
  return out;
}

/**
 * promtool (Debian's package `prometheus`). Outside CI a machine without it skips the checks that
 * need it, saying so; in CI (CI=true) its absence fails them.
 */
const available = spawnSync("promtool", ["--version"], { encoding: "utf8" }).status === 0;
const required = process.env.CI === "true";
const missing = "promtool is not installed (Debian: apt-get install -y prometheus)";
export const promtool = {
  available,
  required,
  missing,
  /** Added to the name of a suite that needs promtool: why it is skipped, when it is. */
  skipNote: available || required ? "" : ` (skipped: ${missing})`,
  run(args: string[], cwd = ROOT) {
    const r = spawnSync("promtool", args, { cwd, encoding: "utf8", timeout: 60_000 });
    return { code: r.status, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
  },
};
