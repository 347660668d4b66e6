import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import {
  metricNamesIn,
  promtool,
  ROOT,
  registeredSeriesNames,
  withGrafanaVariables,
} from "../prometheus/promql.js";

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; expr: string }[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; query: string | { query: string } }[] };
}

const DIR = join(ROOT, "infra", "grafana", "dashboards");
const dashboards = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .map((file) => ({ file, d: JSON.parse(readFileSync(join(DIR, file), "utf8")) as Dashboard }));

/** Every query of every dashboard: the panels' and the template variables'. */
const queries = dashboards.flatMap(({ file, d }) => [
  ...d.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${file} "${p.title}"`, expr: t.expr }))),
  ...d.templating.list
    .filter((v) => typeof v.query === "object")
    .map((v) => ({ where: `${file} $${v.name}`, expr: (v.query as { query: string }).query })),
]);
const operations = dashboards.find(({ file }) => file === "operations.json")?.d;
const operationsExprs = operations?.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)) ?? [];

describe("the Grafana dashboards (infra/grafana/dashboards)", () => {
  it("are provisioned: compose mounts this folder where the provider reads", () => {
    const provider = parse(
      readFileSync(join(ROOT, "infra", "grafana", "provisioning", "dashboards", "tthc.yml"), "utf8"),
    ) as { providers: { options: { path: string } }[] };
    const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8")) as {
      services: { grafana: { volumes: string[] } };
    };
    const path = provider.providers[0]!.options.path;
    expect(compose.services.grafana.volumes).toContain(`./infra/grafana/dashboards:${path}:ro`);
    expect(dashboards.map((x) => x.file)).toEqual(
      expect.arrayContaining(["operations.json", "statistics.json"]),
    );
  });

  it("have distinct uids, and panels with distinct ids laid out without overlap on the 24-column grid", () => {
    expect(new Set(dashboards.map(({ d }) => d.uid)).size).toBe(dashboards.length);
    for (const { file, d } of dashboards) {
      expect(new Set(d.panels.map((p) => p.id)).size, file).toBe(d.panels.length);
      for (const [i, a] of d.panels.entries()) {
        expect(a.gridPos.x + a.gridPos.w, `${file} "${a.title}"`).toBeLessThanOrEqual(24);
        for (const b of d.panels.slice(i + 1)) {
          const apart =
            a.gridPos.x + a.gridPos.w <= b.gridPos.x ||
            b.gridPos.x + b.gridPos.w <= a.gridPos.x ||
            a.gridPos.y + a.gridPos.h <= b.gridPos.y ||
            b.gridPos.y + b.gridPos.h <= a.gridPos.y;
          expect(apart, `${file}: "${a.title}" overlaps "${b.title}"`).toBe(true);
        }
      }
    }
  });

  it("query the provisioned Prometheus through the dashboard's datasource variable", () => {
    for (const { file, d } of dashboards)
      for (const p of d.panels.filter((x) => x.type !== "row")) {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable, not a template
        expect(p.datasource, `${file} "${p.title}"`).toEqual({ type: "prometheus", uid: "${datasource}" });
        expect(p.targets?.length, `${file} "${p.title}"`).toBeGreaterThan(0);
      }
  });

  it("the operators' dashboard shows RED per route, consumer lag per group, outbox backlog, dead letters, alert lag and rebuild progress", () => {
    expect(operations).toBeDefined();
    const has = (pattern: RegExp) => operationsExprs.some((e) => pattern.test(e));
    // Rate, errors and latency, each per service and route.
    expect(has(/sum by \(service, route\) \(rate\(http_request_duration_seconds_count\{/)).toBe(true);
    expect(
      has(
        /by \(service, route, status\) \(rate\(http_request_duration_seconds_count\{[^}]*status=~"\[45\]\.\."/,
      ),
    ).toBe(true);
    for (const q of ["0.5", "0.95", "0.99"])
      expect(has(new RegExp(`histogram_quantile\\(${q}, sum by \\(service, route, le\\)`))).toBe(true);
    expect(has(/max by \(consumer, topic\) \(bus_consumer_group_lag/)).toBe(true);
    expect(has(/bus_outbox_pending/)).toBe(true);
    expect(has(/increase\(bus_dead_letters_total/)).toBe(true);
    expect(
      has(/histogram_quantile\(0\.99, sum by \(kind, le\) \(rate\(overdue_alert_lag_seconds_bucket/),
    ).toBe(true);
    expect(has(/stats_rebuild_records_read\) \/ max\(stats_rebuild_records_to_read/)).toBe(true);
  });

  it("read only series the services register (or Prometheus' own `up`)", async () => {
    const registered = await registeredSeriesNames();
    // Each query names at least one series: a reader that found none would make this check empty.
    for (const q of queries) expect(metricNamesIn(q.expr).length, q.where).toBeGreaterThan(0);
    const unknown = queries.flatMap((q) =>
      metricNamesIn(q.expr)
        .filter((n) => !registered.has(n))
        .map((n) => `${q.where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });
});

describe.skipIf(!promtool.available && !promtool.required)(
  `promtool on the dashboards' queries${promtool.skipNote}`,
  () => {
    let dir: string;
    beforeAll(() => {
      if (!promtool.available) throw new Error(`${promtool.missing}; CI needs it`);
      dir = mkdtempSync(join(tmpdir(), "dashboards-"));
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("every panel's query is PromQL Prometheus parses, once Grafana has put in its variables", () => {
      // Each query as a recording rule, which `promtool check rules` parses.
      const panelQueries = queries.filter((q) => !q.expr.startsWith("label_values("));
      const file = join(dir, "queries.yml");
      writeFileSync(
        file,
        stringify({
          groups: [
            {
              name: "dashboards",
              rules: panelQueries.map((q, i) => ({
                record: `dashboard_query_${i}`,
                expr: withGrafanaVariables(q.expr),
              })),
            },
          ],
        }),
      );
      const r = promtool.run(["check", "rules", file]);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toContain(`SUCCESS: ${panelQueries.length} rules found`);
    });
  },
);
