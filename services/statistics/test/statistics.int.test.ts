import { BusAdmin } from "@tthc/bus";
import { RANKING_TITLE } from "@tthc/rates";
import { buildService, ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, service } from "../src/service.js";
import { newDossier, publish, received } from "./fixtures/events.js";
import {
  AUGUST,
  BN,
  CT,
  catalog,
  dossiers,
  expectedAugust,
  expectedCentreByReceiving,
  SCRIPTED_DOSSIERS,
  scriptedEvents,
  TP,
  TTPV,
  VT,
} from "./fixtures/script.js";

let env: TestEnv;
let svc: RunningService<Config>;
let url: string;
const events = scriptedEvents();
const q = `from=${AUGUST.from}&to=${AUGUST.to}`;
/** The dossiers behind the figures are for staff: the province's leader sees every unit's. */
const province = { headers: tokenFor("H44", "leader") };
const admin = { headers: tokenFor("H44", "admin") };
/** The service's clock: December 2026, so that August is over and judged at its end, at any hour. */
const clock = new ManualClock("2026-12-01T10:00:00+07:00");

async function lagOf(generation: number): Promise<number> {
  const admin = new BusAdmin(env.bus);
  let lag = 0;
  for (const t of ["catalog", "dossier.events", "sla.events"]) {
    for (const p of await admin.groupLag(env.bus.topic(`statistics-g${generation}`), env.bus.topic(t)))
      lag += p.lag;
  }
  return lag;
}

const unitOf = (body: { units: { unitCode: string }[] }, code: string) =>
  body.units.find((u) => u.unitCode === code) as {
    unitCode: string;
    unitName: string;
    figures: Record<string, unknown>;
  };

async function snapshot() {
  const sql = (text: string) => env.pool.query(text).then((r) => r.rows);
  const [summary, units, receiving, ranking, procedures, list, rows, runs, submissions, daily, unitDaily] =
    await Promise.all([
      http(`${url}/v1/stats/summary?${q}&groupBy=day`),
      http(`${url}/v1/stats/units?${q}`),
      http(`${url}/v1/stats/units?${q}&attribution=receiving`),
      http(`${url}/v1/stats/ranking?${q}`),
      http(`${url}/v1/stats/procedures?${q}`),
      http(`${url}/v1/stats/dossiers?${q}&limit=100`, province),
      sql("SELECT * FROM stat_dossiers ORDER BY dossier_id"),
      sql("SELECT * FROM stat_step_runs ORDER BY dossier_id, run_no"),
      sql("SELECT * FROM stat_submissions ORDER BY dossier_id"),
      sql("SELECT * FROM stat_daily ORDER BY attribution, unit_code, day, procedure_code, field, channel"),
      sql("SELECT * FROM stat_unit_daily ORDER BY attribution, unit_code, day"),
    ]);
  return {
    summary: summary.body,
    units: units.body,
    receiving: receiving.body,
    ranking: ranking.body,
    procedures: procedures.body,
    list: list.body,
    rows,
    runs,
    submissions,
    daily,
    unitDaily,
  };
}

beforeAll(async () => {
  env = await createTestEnv("statistics");
  svc = await buildService(service, { env: env.serviceEnv({ STATS_STREAM_DEBOUNCE_MS: "50" }), clock });
  url = await svc.start();
  await publish(env.bus, [...catalog(), ...events]);
  await waitUntil(
    "all scripted events applied",
    async () =>
      (await env.pool.query("SELECT count(*)::int AS n FROM stat_dossiers WHERE dossier_code IS NOT NULL"))
        .rows[0].n === SCRIPTED_DOSSIERS && (await lagOf(1)) === 0,
    90_000,
  );
}, 120_000);

afterAll(async () => {
  await svc?.stop();
  await env?.cleanup();
});

describe("a scripted August 2026 gives exactly the expected figures", () => {
  it("per competent unit, the default attribution", async () => {
    const { status, body } = await http(`${url}/v1/stats/units?${q}`);
    expect(status).toBe(200);
    expect(body.attribution).toBe("competent");
    expect(body.units.map((u: { unitCode: string }) => u.unitCode)).toEqual([CT, TP, VT, BN, TTPV]);
    for (const [code, expected] of Object.entries(expectedAugust).filter(([k]) => k !== "province")) {
      expect(unitOf(body, code).figures, code).toMatchObject(expected);
    }
    expect(unitOf(body, VT).unitName).toBe("Phường Việt Trì");
  });

  it("for the province, the sum of its units, with working time used, under either attribution", async () => {
    const { body } = await http(`${url}/v1/stats/summary?${q}`);
    expect(body.figures).toMatchObject(expectedAugust.province);
    // (900 + 2300 + 4400 + 300 + 1900 + 1000 + 800 + 2000) / 8
    expect(body.figures.avgUsedMinutes).toBe(1700);
    expect(body.usedMinutesP90).toBe(4400);
    const rolled = await http(`${url}/v1/stats/units/H44?${q}`);
    expect(rolled.body.figures).toEqual(body.figures);
    const receiving = await http(`${url}/v1/stats/summary?${q}&attribution=receiving`);
    expect(receiving.body.figures).toEqual(body.figures);
  });

  it("since the two-level reform the departments have figures by competent unit, the centre by receiving", async () => {
    const competent = (await http(`${url}/v1/stats/units?${q}`)).body;
    const receiving = (await http(`${url}/v1/stats/units?${q}&attribution=receiving`)).body;
    // Sở Công Thương decides two dossiers the provincial centre received (one named competent by an
    // event that predates the field: the unit of its deciding step); Sở Tư pháp one sent on to it.
    expect(unitOf(competent, CT).figures).toMatchObject({ received: 2, handled: 2 });
    expect(unitOf(competent, TP).figures).toMatchObject({ received: 1, handled: 1 });
    expect(unitOf(competent, TTPV).figures).toMatchObject({ received: 0, handled: 0 });
    expect(unitOf(receiving, TTPV).figures).toMatchObject(expectedCentreByReceiving);
    expect(unitOf(receiving, CT).figures).toMatchObject({ received: 0, handled: 0 });
    expect(unitOf(receiving, TP).figures).toMatchObject({ received: 0, handled: 0 });
    // A unit that receives and decides its own dossiers reads the same either way.
    expect(unitOf(receiving, VT).figures).toEqual(unitOf(competent, VT).figures);
    const one = await http(`${url}/v1/stats/units/${CT}?${q}`);
    expect(one.body.figures).toMatchObject({ received: 2, early: 1, onTime: 1 });
    const list = await http(`${url}/v1/stats/dossiers?${q}&unit=${TP}`, province);
    expect(list.body.items.map((d: { dossierCode: string }) => d.dossierCode)).toEqual([
      dossiers.o.dossierCode,
    ]);
    expect(list.body.items[0]).toMatchObject({
      receivingUnitCode: TTPV,
      competentUnitCode: TP,
      currentUnitCode: TP,
    });
  });

  it("the finished-only rate is over resolved dossiers only: a withdrawal judged early does not raise it", async () => {
    const vt = unitOf((await http(`${url}/v1/stats/units?${q}`)).body, VT).figures;
    expect(vt).toMatchObject({ finished: 5, resolved: 4, withdrawn: 1, early: 2, resolvedEarly: 1 });
    expect(vt.onTimeRateFinished).toBe(75);
    // The 766 rate still counts the withdrawal as finished early.
    expect(vt.onTimeRate766).toBe(75);
    expect(vt.onTime766).toBe(6);
  });

  it("late steps are counted per step, for the unit that held each step after the transfers", async () => {
    const { body } = await http(`${url}/v1/stats/units?${q}`);
    // One dossier, late at Sở Công Thương (where it was sent) and again back at Việt Trì.
    expect(unitOf(body, CT).figures.lateSteps).toBe(1);
    expect(unitOf(body, VT).figures.lateSteps).toBe(1);
    expect(unitOf(body, BN).figures.lateSteps).toBe(0);
    const receiving = (await http(`${url}/v1/stats/units?${q}&attribution=receiving`)).body;
    expect(unitOf(receiving, CT).figures.lateSteps).toBe(1);
    const list = await http(`${url}/v1/stats/dossiers?${q}&figure=late_steps&unit=${CT}`, province);
    expect(list.body.items.map((d: { dossierCode: string }) => d.dossierCode)).toEqual([
      dossiers.c.dossierCode,
    ]);
    expect(list.body.items[0].steps).toEqual([
      expect.objectContaining({ runNo: 1, stepId: "reception", unitCode: VT, late: false }),
      expect.objectContaining({
        runNo: 2,
        stepId: "review",
        unitCode: CT,
        staffId: "staff-0002",
        startedAt: "2026-08-06T08:00:00.000+07:00",
        endedAt: "2026-08-18T08:00:00.000+07:00",
        dueAt: "2026-08-11T08:00:00.000+07:00",
        late: true,
      }),
      expect.objectContaining({ runNo: 3, unitCode: VT, late: true }),
    ]);
    expect(list.body.items[0].slaSequence).toBe(4);
  });

  it("an older sla event delivered after a newer one changes nothing", async () => {
    const list = await http(`${url}/v1/stats/dossiers?${q}&figure=open&unit=${BN}`, province);
    const byCode = new Map(list.body.items.map((d: { dossierCode: string }) => [d.dossierCode, d]));
    // sequence 2 moved the due instant to 15/09; sequence 1 (paused) came after and lost
    expect(byCode.get(dossiers.l.dossierCode)).toMatchObject({
      dueAt: "2026-09-15T09:00:00.000+07:00",
      paused: false,
      slaSequence: 2,
      overdue: false,
    });
    // paused before its due instant: no due instant, not overdue, although the receipt's has passed
    expect(byCode.get(dossiers.p.dossierCode)).toMatchObject({ dueAt: null, paused: true, overdue: false });
    const late = await http(`${url}/v1/stats/dossiers?${q}&figure=late`, province);
    expect(late.body.items[0].steps).toHaveLength(3);
  });

  it("a time series by day puts each fact on its Vietnam day", async () => {
    const { body } = await http(`${url}/v1/stats/summary?${q}&groupBy=day`);
    expect(body.series).toHaveLength(31);
    const day = (d: string) => body.series.find((p: { label: string }) => p.label === d).figures;
    expect(day("2026-08-31").received).toBe(1);
    expect(day("2026-08-20")).toMatchObject({ received: 1, finished: 1, late: 1, lateSteps: 1 });
    expect(day("2026-08-18")).toMatchObject({ lateSteps: 1 });
    const sept = await http(`${url}/v1/stats/summary?from=2026-09-01&to=2026-09-01`);
    expect(sept.body.figures.received).toBe(1);
    const monthly = await http(`${url}/v1/stats/units/${VT}?from=2026-07-01&to=2026-08-31&groupBy=month`);
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

  it("lists the dossiers behind a figure with each verdict's reason, due instants and step runs", async () => {
    const late = await http(`${url}/v1/stats/dossiers?${q}&figure=late`, province);
    expect(late.body.items).toHaveLength(1);
    expect(late.body.items[0]).toMatchObject({
      receivingUnitCode: VT,
      competentUnitCode: VT,
      verdict: "late",
      verdictReason: "Quá hạn ở bước thẩm định",
      unitAtFaultCode: CT,
      transfers: 2,
      channel: "online",
      overdue: false,
      dueSoon: false,
    });
    const overdue = await http(`${url}/v1/stats/dossiers?${q}&figure=overdue&unit=${VT}`, province);
    expect(overdue.body.items.map((d: { dueAt: string; overdue: boolean }) => [d.dueAt, d.overdue])).toEqual([
      ["2026-08-27T09:00:00.000+07:00", true],
    ]);
    const dueSoon = await http(`${url}/v1/stats/dossiers?${q}&figure=due_soon`, province);
    expect(dueSoon.body.items).toEqual([
      expect.objectContaining({
        dossierCode: dossiers.e.dossierCode,
        dueSoonAt: "2026-08-31T09:00:00.000+07:00",
        dueSoon: true,
        overdue: false,
        slaSequence: 1,
      }),
    ]);
    const notOnTime = await http(`${url}/v1/stats/dossiers?${q}&figure=not_on_time_766`, province);
    expect(notOnTime.body.items).toHaveLength(2);
    const resolved = await http(`${url}/v1/stats/dossiers?${q}&figure=resolved`, province);
    expect(resolved.body.items).toHaveLength(expectedAugust.province.resolved);
    const handled = await http(`${url}/v1/stats/dossiers?${q}&figure=handled&limit=5`, province);
    expect(handled.body.items).toHaveLength(5);
    const rest = await http(
      `${url}/v1/stats/dossiers?${q}&figure=handled&limit=5&cursor=${handled.body.nextCursor}`,
      province,
    );
    expect(rest.body.items).toHaveLength(5);
    expect(rest.body.nextCursor).toBe("10");
    const last = await http(`${url}/v1/stats/dossiers?${q}&figure=handled&limit=5&cursor=10`, province);
    expect(last.body.items).toHaveLength(expectedAugust.province.handled - 10);
    expect(last.body.nextCursor).toBeNull();
  });

  it("ranks the units on the partial score out of 32, with the online group's 12 points, and says so", async () => {
    const { body } = await http(`${url}/v1/stats/ranking?${q}`);
    expect(body.title).toBe(RANKING_TITLE);
    expect(body.title).toContain("32 of 100");
    expect(body.maxScore).toBe(32);
    expect(
      body.ranking.map((r: { unitCode: string; rank: number; partialScore: number }) => [
        r.unitCode,
        r.rank,
        r.partialScore,
      ]),
    ).toEqual([
      // 20 × 100% + 12 × 100%; 20 × 100% + 12 × 2/3; 20 × 100% + 12 × 50%; 20 × 75% + 12 × 4/7
      [TP, 1, 32],
      [BN, 2, 28],
      [CT, 3, 26],
      [VT, 4, 21.86],
      [TTPV, null, null],
    ]);
    const receiving = await http(`${url}/v1/stats/ranking?${q}&attribution=receiving`);
    // The centre now scores the departments' dossiers: 20 + 12 × 2/3, level with Bản Nguyên.
    expect(
      receiving.body.ranking.map((r: { unitCode: string; rank: number | null }) => [r.unitCode, r.rank]),
    ).toEqual([
      [BN, 1],
      [TTPV, 1],
      [VT, 3],
      [CT, null],
      [TP, null],
    ]);
  });

  it("exports plain CSV under the API's keys, and the limit asked for", async () => {
    const csv = await fetch(`${url}/v1/stats/units.csv?${q}`);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await csv.text()).split("\r\n");
    expect(lines[0]?.startsWith("unit_code,unit_name,received,")).toBe(true);
    expect(lines[0]).toContain(",on_time_rate_766,on_time_rate_finished,progress_score,online_score,");
    expect(lines.find((l) => l.includes("Phường Việt Trì"))).toBe(
      "H44.100,Phường Việt Trì,7,4,2,1,57.14,50,1,8,5,4,2,2,1,1,1,2,1,1,75,75,15,6.86,0,0,0",
    );
    const ranking = (await (await fetch(`${url}/v1/stats/ranking.csv?${q}`)).text()).split("\r\n");
    expect(ranking[0]).toMatch(/^rank,unit_code,unit_name,partial_score,received,/);
    expect(ranking[1]).toMatch(/^1,/);
    const xlsx = Buffer.from(await (await fetch(`${url}/v1/stats/ranking.xlsx?${q}`)).arrayBuffer());
    expect(xlsx.subarray(0, 4).toString("hex")).toBe("504b0304");
    const dossiersCsv = await (await fetch(`${url}/v1/stats/dossiers.csv?${q}&figure=late`, province)).text();
    expect(dossiersCsv).toContain("Quá hạn ở bước thẩm định");
    expect(dossiersCsv).toContain("review (H44.07); review (H44.100)");
    // An export is one page: `limit` rows from `cursor`, the next cursor in a header.
    const page = await fetch(`${url}/v1/stats/dossiers.csv?${q}&figure=handled&limit=3`, province);
    expect(page.headers.get("x-next-cursor")).toBe("3");
    const limited = (await page.text()).trim().split("\r\n");
    // the header row and three dossiers
    expect(limited).toHaveLength(1 + 3);
    const byReceiving = await (await fetch(`${url}/v1/stats/units.csv?${q}&attribution=receiving`)).text();
    expect(byReceiving).not.toBe(await (await fetch(`${url}/v1/stats/units.csv?${q}`)).text());
    // Without a token, or from another commune, the dossiers are not listed.
    expect((await fetch(`${url}/v1/stats/dossiers.csv?${q}&figure=late`)).status).toBe(401);
    for (const ext of ["xlsx", "html"]) {
      const commune = await fetch(`${url}/v1/stats/dossiers.${ext}?${q}&unit=H44.100`, {
        headers: tokenFor("H44.108", "leader"),
      });
      expect(commune.status).toBe(403);
    }
  });

  it("answers 400 with field paths and 404 for an unknown unit", async () => {
    const bad = await http(`${url}/v1/stats/units?from=2026-08-31&to=2026-08-01`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("to");
    expect((await http(`${url}/v1/stats/summary?groupBy=week`)).status).toBe(400);
    const attribution = await http(`${url}/v1/stats/units?attribution=holding`);
    expect(attribution.status).toBe(400);
    expect(JSON.stringify(attribution.body)).toContain("attribution");
    expect((await http(`${url}/v1/stats/dossiers.csv?limit=0`, province)).status).toBe(400);
    expect((await http(`${url}/v1/stats/units.html?from=2026-08-31&to=2026-08-01`)).status).toBe(400);
    const missing = await http(`${url}/v1/stats/units/H44.999?${q}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("STATS_UNKNOWN_UNIT");
    expect((await http(`${url}/v1/stats/rebuild`, { method: "POST" })).status).toBe(401);
  });

  it("exposes per-unit gauges for Prometheus", async () => {
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/stats_unit_open\{unit="H44.100"[^}]*\} \d+/);
    expect(text).toMatch(/stats_unit_late_steps\{unit="H44.07"[^}]*\} \d+/);
  });

  it("the same events delivered twice give the same figures", async () => {
    const before = await snapshot();
    await publish(env.bus, [...catalog(), ...events]);
    await waitUntil("redelivered copies consumed", async () => (await lagOf(1)) === 0, 60_000);
    expect(await snapshot()).toEqual(before);
  });

  it("a rebuild from the topics into fresh tables gives the same figures, then goes on live", async () => {
    const before = await snapshot();
    const indexes = () =>
      env.pool
        .query(
          "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename LIKE 'stat_%' ORDER BY 1",
        )
        .then((r) => r.rows);
    const liveIndexes = await indexes();
    const started = await http(`${url}/v1/stats/rebuild`, {
      method: "POST",
      headers: tokenFor("H44", ["admin"]),
    });
    expect(started.status).toBe(202);
    await waitUntil(
      "rebuild done",
      async () => (await http(`${url}/v1/stats/rebuild`, admin)).body.state === "done",
      90_000,
    );
    const status = (await http(`${url}/v1/stats/rebuild`, admin)).body;
    expect(status).toMatchObject({ generation: 2, state: "done", startedAt: clock.now().toISOString() });
    expect(status.done).toBe(status.total);
    expect(await snapshot()).toEqual(before);
    // the rebuilt tables got every index of the live ones, under the same names
    expect(await indexes()).toEqual(liveIndexes);

    const late = newDossier(BN, "2026-08-28");
    await publish(env.bus, [
      received(late, "postal", "2026-08-28T09:00:00+07:00", "2026-08-31T09:00:00+07:00"),
    ]);
    await waitUntil(
      "new dossier counted",
      async () => (await http(`${url}/v1/stats/summary?${q}`)).body.figures.received === 14,
      30_000,
    );
    const after = (await http(`${url}/v1/stats/summary?${q}`)).body.figures;
    expect(after).toMatchObject({ receivedPostal: 2, handled: 15, openOverdue: 2 });
  }, 120_000);

  it("announces the units a run changed once its transaction has committed, outside it", async () => {
    const listener = await env.pool.connect();
    try {
      const d = newDossier(VT, "2026-08-29");
      const heard = new Promise<{ payload: string; counted: number }>((resolve) => {
        listener.on("notification", (n) => {
          if (n.channel !== "statistics_changed" || !n.payload?.includes(VT)) return;
          // read at once, on another connection: the run that sent it is already visible
          env.pool
            .query("SELECT count(*)::int AS n FROM stat_dossiers WHERE dossier_id = $1", [d.dossierId])
            .then((r) => resolve({ payload: n.payload ?? "", counted: r.rows[0].n }));
        });
      });
      await listener.query("LISTEN statistics_changed");
      await publish(env.bus, [
        received(d, "direct", "2026-08-29T09:00:00+07:00", "2026-09-05T09:00:00+07:00"),
      ]);
      const notice = await heard;
      expect(JSON.parse(notice.payload)).toContain(VT);
      expect(notice.counted).toBe(1);
    } finally {
      await listener.query("UNLISTEN *").catch(() => {});
      listener.release();
    }
  }, 60_000);
});
