import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { metricNamesIn, promtool, ROOT, registeredSeriesNames } from "./promql.js";

const DIR = join(ROOT, "infra", "prometheus");

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}
interface RuleTests {
  rule_files: string[];
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

const read = <T>(file: string) => parse(readFileSync(join(DIR, file), "utf8")) as T;
const rules = read<RuleFile>("alerts.yml").groups.flatMap((g) => g.rules);
const alerts = rules.map((r) => r.alert).filter((a): a is string => a !== undefined);

describe("the alert rules (infra/prometheus/alerts.yml)", () => {
  it("cover what an operator must hear of: a service down, a lagging or stalled consumer group, a growing outbox, dead letters, late alerts", () => {
    for (const name of [
      "ServiceDown",
      "ConsumerGroupLagging",
      "ConsumerGroupStalled",
      "OutboxBacklogGrowing",
      "DeadLetters",
      "AlertLagOver1s",
    ])
      expect(alerts).toContain(name);
  });

  it("are loaded by prometheus.yml, beside which compose mounts them", () => {
    const config = read<{ rule_files?: string[] }>("prometheus.yml");
    expect(config.rule_files).toContain("alerts.yml");
    const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8")) as {
      services: { prometheus: { volumes: string[] } };
    };
    expect(compose.services.prometheus.volumes).toEqual(
      expect.arrayContaining([
        "./infra/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
        "./infra/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro",
      ]),
    );
  });

  it("each have a unit test in alerts.test.yml that expects the alert to fire", () => {
    const tests = read<RuleTests>("alerts.test.yml");
    expect(tests.rule_files).toEqual(["alerts.yml"]);
    const firing = new Set(
      tests.tests.flatMap((t) =>
        (t.alert_rule_test ?? []).filter((a) => a.exp_alerts.length > 0).map((a) => a.alertname),
      ),
    );
    expect(alerts.filter((a) => !firing.has(a))).toEqual([]);
  });

  it("read only series the services register (or Prometheus' own `up`)", async () => {
    const registered = await registeredSeriesNames();
    for (const r of rules) expect(metricNamesIn(r.expr).length, r.alert).toBeGreaterThan(0);
    const unknown = rules.flatMap((r) =>
      metricNamesIn(r.expr)
        .filter((n) => !registered.has(n))
        .map((n) => `${r.alert ?? r.record}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });
});

describe.skipIf(!promtool.available && !promtool.required)(
  `promtool on the rules${promtool.skipNote}`,
  () => {
    beforeAll(() => {
      if (!promtool.available) throw new Error(`${promtool.missing}; CI needs it`);
    });

    it("`promtool check rules` accepts alerts.yml", () => {
      const r = promtool.run(["check", "rules", "alerts.yml"], DIR);
      expect(r.output).toContain("SUCCESS");
      expect(r.code).toBe(0);
    });

    it("`promtool check config` accepts prometheus.yml and the rule files it names", () => {
      const r = promtool.run(["check", "config", "prometheus.yml"], DIR);
      expect(r.output).toContain("1 rule files found");
      expect(r.code).toBe(0);
    });

    it("`promtool test rules` passes every unit test of alerts.test.yml", () => {
      const r = promtool.run(["test", "rules", "alerts.test.yml"], DIR);
      expect(r.output).toContain("SUCCESS");
      expect(r.code, r.output).toBe(0);
    });
  },
);
