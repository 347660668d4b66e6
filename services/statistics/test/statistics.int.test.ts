import { BusAdmin } from "@tthc/bus";
import { buildService, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, service } from "../src/service.js";
import { newDossier, publish, received } from "./fixtures/events.js";
import { AUGUST, catalog, expectedAugust, scriptedEvents } from "./fixtures/script.js";

let env: TestEnv;
let svc: RunningService<Config>;
let url: string;
const events = scriptedEvents();
const q = `from=${AUGUST.from}&to=${AUGUST.to}`;
/** The dossiers behind the figures are for staff: the province's leader sees every unit's. */
const province = { headers: tokenFor("H44", "leader") };
const admin = { headers: tokenFor("H44", "admin") };

async function lagOf(generation: number): Promise<number> {
  const admin = new BusAdmin(env.bus);
  let lag = 0;
  for (const t of ["catalog", "dossier.events", "sla.events"]) {
    for (const p of await admin.groupLag(env.bus.topic(`statistics-g${generation}`), env.bus.topic(t)))
      lag += p.lag;
  }
  return lag;
}

async function snapshot() {
  const [summary, units, ranking, procedures, dossiers, daily, unitDaily] = await Promise.all([
    http(`${url}/v1/stats/summary?${q}&groupBy=day`),
    http(`${url}/v1/stats/units?${q}`),
    http(`${url}/v1/stats/ranking?${q}`),
    http(`${url}/v1/stats/procedures?${q}`),
    env.pool.query("SELECT * FROM stat_dossiers ORDER BY dossier_id"),
    env.pool.query("SELECT * FROM stat_daily ORDER BY unit_code, day, procedure_code, field, channel"),
    env.pool.query("SELECT * FROM stat_unit_daily ORDER BY unit_code, day"),
  ]);
  return {
    summary: summary.body,
    units: units.body,
    ranking: ranking.body,
    procedures: procedures.body,
    dossiers: dossiers.rows,
    daily: daily.rows,
    unitDaily: unitDaily.rows,
  };
}

beforeAll(async () => {
  env = await createTestEnv("statistics");
  svc = await buildService(service, { env: env.serviceEnv({ STATS_STREAM_DEBOUNCE_MS: "50" }) });
  url = await svc.start();
  await publish(env.bus, [...catalog(), ...events]);
  await waitUntil(
    "all scripted events applied",
    async () =>
      (await env.pool.query("SELECT count(*)::int AS n FROM stat_dossiers WHERE dossier_code IS NOT NULL"))
        .rows[0].n === 13 && (await lagOf(1)) === 0,
    60_000,
  );
});

afterAll(async () => {
  await svc?.stop();
  await env?.cleanup();
});

describe("a scripted August 2026 gives exactly the expected figures", () => {
  it("per unit", async () => {
    const { status, body } = await http(`${url}/v1/stats/units?${q}`);
    expect(status).toBe(200);
    expect(body.units.map((u: { unitCode: string }) => u.unitCode)).toEqual(["H44.07", "H44.100", "H44.108"]);
    for (const [code, expected] of Object.entries(expectedAugust).filter(([k]) => k !== "province")) {
      const unit = body.units.find((u: { unitCode: string }) => u.unitCode === code);
      expect(unit.figures, code).toMatchObject(expected);
    }
    expect(body.units.find((u: { unitCode: string }) => u.unitCode === "H44.100").unitName).toBe(
      "Phường Việt Trì",
    );
  });

  it("for the province, the sum of its units, with working time used", async () => {
    const { body } = await http(`${url}/v1/stats/summary?${q}`);
    expect(body.figures).toMatchObject(expectedAugust.province);
    expect(body.figures.avgUsedMinutes).toBe(1657);
    expect(body.usedMinutesP90).toBe(4400);
    const rolled = await http(`${url}/v1/stats/units/H44?${q}`);
    expect(rolled.body.figures).toEqual(body.figures);
  });

  it("a time series by day puts each fact on its Vietnam day", async () => {
    const { body } = await http(`${url}/v1/stats/summary?${q}&groupBy=day`);
    expect(body.series).toHaveLength(31);
    const day = (d: string) => body.series.find((p: { label: string }) => p.label === d).figures;
    expect(day("2026-08-31").received).toBe(1);
    expect(day("2026-08-20")).toMatchObject({ received: 1, finished: 1, late: 1 });
    const sept = await http(`${url}/v1/stats/summary?from=2026-09-01&to=2026-09-01`);
    expect(sept.body.figures.received).toBe(1);
    const monthly = await http(`${url}/v1/stats/units/H44.100?from=2026-07-01&to=2026-08-31&groupBy=month`);
    expect(
      monthly.body.series.map((p: { label: string; figures: { received: number } }) => [
        p.label,
        p.figures.received,
      ]),
    ).toEqual([
      ["2026-07", 2],
      ["2026-08", 7],
    ]);
  });

  it("lists the dossiers behind a figure with each verdict's reason and the unit at fault", async () => {
    const late = await http(`${url}/v1/stats/dossiers?${q}&figure=late`, province);
    expect(late.body.items).toHaveLength(1);
    expect(late.body.items[0]).toMatchObject({
      unitCode: "H44.100",
      verdict: "late",
      verdictReason: "Quá hạn ở bước thẩm định",
      unitAtFaultCode: "H44.07",
      transfers: 2,
      channel: "online",
    });
    const overdue = await http(`${url}/v1/stats/dossiers?${q}&figure=overdue&unit=H44.100`, province);
    expect(overdue.body.items.map((d: { dueAt: string }) => d.dueAt)).toEqual(["2026-08-27T09:00:00+07:00"]);
    const notOnTime = await http(`${url}/v1/stats/dossiers?${q}&figure=not_on_time_766`, province);
    expect(notOnTime.body.items).toHaveLength(2);
    const handled = await http(`${url}/v1/stats/dossiers?${q}&figure=handled&limit=5`, province);
    expect(handled.body.items).toHaveLength(5);
    const rest = await http(
      `${url}/v1/stats/dossiers?${q}&figure=handled&limit=5&cursor=${handled.body.nextCursor}`,
      province,
    );
    expect(rest.body.items).toHaveLength(5);
    expect(rest.body.nextCursor).toBe("10");
  });

  it("ranks the units and exports CSV and XLSX with Vietnamese headers", async () => {
    const { body } = await http(`${url}/v1/stats/ranking?${q}`);
    expect(
      body.ranking.map((r: { unitCode: string; rank: number; totalScore: number }) => [
        r.unitCode,
        r.rank,
        r.totalScore,
      ]),
    ).toEqual([
      // 20 × 100% + 22 × 100%; 20 × 75% + 22 × 57.14%; 20 × 100% + 22 × 0%
      ["H44.108", 1, 42],
      ["H44.100", 2, 27.57],
      ["H44.07", 3, 20],
    ]);
    const csv = await fetch(`${url}/v1/stats/units.csv?${q}`);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await csv.text()).split("\r\n");
    expect(lines[3]).toContain("Tỷ lệ đúng hạn theo QĐ 766 (%)");
    expect(lines.find((l) => l.includes("Phường Việt Trì"))).toBe(
      "2,H44.100,Phường Việt Trì,7,4,2,1,57.14,1,8,5,2,2,1,1,2,1,75,80,15,12.57",
    );
    const xlsx = Buffer.from(await (await fetch(`${url}/v1/stats/ranking.xlsx?${q}`)).arrayBuffer());
    expect(xlsx.subarray(0, 4).toString("hex")).toBe("504b0304");
    const dossiersCsv = await (await fetch(`${url}/v1/stats/dossiers.csv?${q}&figure=late`, province)).text();
    expect(dossiersCsv).toContain("Quá hạn ở bước thẩm định");
    // An export is one page: `limit` rows from `cursor`, the next cursor in a header.
    const page = await fetch(`${url}/v1/stats/dossiers.csv?${q}&figure=handled&limit=3`, province);
    expect(page.headers.get("x-next-cursor")).toBe("3");
    expect((await page.text()).split("\r\n").filter((l) => /^\d+,/.test(l))).toHaveLength(3);
    // Without a token, or from another commune, the dossiers are not listed.
    expect((await fetch(`${url}/v1/stats/dossiers.csv?${q}&figure=late`)).status).toBe(401);
    const commune = await fetch(`${url}/v1/stats/dossiers.xlsx?${q}&unit=H44.100`, {
      headers: tokenFor("H44.108", "leader"),
    });
    expect(commune.status).toBe(403);
  });

  it("answers 400 with field paths and 404 for an unknown unit", async () => {
    const bad = await http(`${url}/v1/stats/units?from=2026-08-31&to=2026-08-01`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("to");
    expect((await http(`${url}/v1/stats/summary?groupBy=week`)).status).toBe(400);
    const missing = await http(`${url}/v1/stats/units/H44.999?${q}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("STATS_UNKNOWN_UNIT");
    expect((await http(`${url}/v1/stats/rebuild`, { method: "POST" })).status).toBe(401);
  });

  it("exposes per-unit gauges for Prometheus", async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/stats_unit_open\{unit="H44.100"[^}]*\} \d+/);
  });

  it("the same events delivered twice give the same figures", async () => {
    const before = await snapshot();
    await publish(env.bus, [...catalog(), ...events]);
    await waitUntil("redelivered copies consumed", async () => (await lagOf(1)) === 0, 30_000);
    expect(await snapshot()).toEqual(before);
  });

  it("a rebuild from the topics into fresh tables gives the same figures, then goes on live", async () => {
    const before = await snapshot();
    const started = await http(`${url}/v1/stats/rebuild`, {
      method: "POST",
      headers: tokenFor("H44", ["admin"]),
    });
    expect(started.status).toBe(202);
    await waitUntil(
      "rebuild done",
      async () => (await http(`${url}/v1/stats/rebuild`, admin)).body.state === "done",
      60_000,
    );
    const status = (await http(`${url}/v1/stats/rebuild`, admin)).body;
    expect(status).toMatchObject({ generation: 2, state: "done" });
    expect(status.done).toBe(status.total);
    expect(await snapshot()).toEqual(before);

    const n = newDossier("H44.108", "2026-08-28");
    await publish(env.bus, [received(n, "postal", "2026-08-28T09:00:00+07:00", "2026-08-31T09:00:00+07:00")]);
    await waitUntil(
      "new dossier counted",
      async () => (await http(`${url}/v1/stats/summary?${q}`)).body.figures.received === 11,
      30_000,
    );
    const after = (await http(`${url}/v1/stats/summary?${q}`)).body.figures;
    expect(after).toMatchObject({ receivedPostal: 2, handled: 12, openOverdue: 2 });
  });
});
