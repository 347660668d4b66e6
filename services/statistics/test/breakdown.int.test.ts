import { BusAdmin } from "@tthc/bus";
import { type Figures, rankUnits } from "@tthc/rates";
import { buildService, ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyFigures } from "../src/domain/breakdown.js";
import { type Config, service } from "../src/service.js";
import { publish } from "./fixtures/events.js";
import {
  AUGUST,
  BN,
  CT,
  catalog,
  SCRIPTED_DOSSIERS,
  scriptedEvents,
  TP,
  TTPV,
  VT,
} from "./fixtures/script.js";

/**
 * The dashboard's routes over the scripted August 2026 (test/fixtures/script.ts): the breakdowns
 * agree with the figure routes, the period compared with is the one asked for, a level or a
 * procedure narrows what is listed and never widens what a token may see.
 */
let env: TestEnv;
let svc: RunningService<Config>;
let url: string;
const q = `from=${AUGUST.from}&to=${AUGUST.to}`;
const JULY = "from=2026-07-01&to=2026-07-31";
const province = { headers: tokenFor("H44", "leader") };
/** December 2026: August and July are over, judged at their ends, at any hour. */
const clock = new ManualClock("2026-12-01T10:00:00+07:00");

type UnitBody = { unitCode: string; unitName: string; level: string; figures: Figures };
type Row = {
  code: string;
  name: string | null;
  level: string | null;
  units: number | null;
  rank: number | null;
  previousRank: number | null;
  current: Record<string, unknown>;
  previous: Record<string, unknown>;
};

beforeAll(async () => {
  env = await createTestEnv("stats-breakdown");
  svc = await buildService(service, {
    env: env.serviceEnv({ STATS_TARGETS: '{"H44":{"onTimeRate766":95}}' }),
    clock,
  });
  url = await svc.start();
  await publish(env.bus, [...catalog(), ...scriptedEvents()]);
  // every record consumed, not only every dossier seen: its verdicts may come later
  const admin = new BusAdmin(env.bus);
  const lag = async () => {
    let sum = 0;
    for (const t of ["catalog", "dossier.events", "sla.events"])
      for (const p of await admin.groupLag(env.bus.topic("statistics-g1"), env.bus.topic(t))) sum += p.lag;
    return sum;
  };
  await waitUntil(
    "all scripted events applied",
    async () =>
      (await env.pool.query("SELECT count(*)::int AS n FROM stat_dossiers WHERE dossier_code IS NOT NULL"))
        .rows[0].n === SCRIPTED_DOSSIERS && (await lag()) === 0,
    90_000,
  );
}, 120_000);

afterAll(async () => {
  await svc?.stop();
  await env?.cleanup();
});

const units = async (query: string): Promise<UnitBody[]> =>
  (await http(`${url}/v1/stats/units?${query}`)).body.units;

describe("the breakdown agrees with the figure routes", () => {
  it("per unit: each unit's figures, ranked on the progress score, beside the same unit's in July", async () => {
    const { status, body } = await http(`${url}/v1/stats/breakdown?${q}&by=unit&compare=month`);
    expect(status).toBe(200);
    expect(body.period).toEqual(AUGUST);
    expect(body.previous).toEqual({ from: "2026-07-01", to: "2026-07-31" });
    expect(body.rankingTitle).toContain("progress score");
    expect(body.maxScore).toBe(20);
    const [august, july] = await Promise.all([units(q), units(JULY)]);
    const rows = body.rows as Row[];
    expect(rows.map((r) => r.code).sort()).toEqual(august.map((u) => u.unitCode).sort());
    for (const u of august) {
      const row = rows.find((r) => r.code === u.unitCode)!;
      expect(row.current, u.unitCode).toEqual(keyFigures(u.figures));
      expect(row.previous, u.unitCode).toEqual(
        keyFigures(july.find((j) => j.unitCode === u.unitCode)!.figures),
      );
      expect([row.name, row.level]).toEqual([u.unitName, u.level]);
    }
    // the order and ranks of rankUnits on the progress score, in August and in July
    const ranked = rankUnits(august, "progress");
    expect(rows.map((r) => [r.code, r.rank])).toEqual(ranked.map((r) => [r.item.unitCode, r.rank]));
    const before = new Map(rankUnits(july, "progress").map((r) => [r.item.unitCode, r.rank]));
    for (const r of rows) expect(r.previousRank, r.code).toBe(before.get(r.code) ?? null);
    // 20 points each, more handled first: Bản Nguyên 3 of 3, Công Thương 2 of 2, Tư pháp 1 of 1;
    // then Việt Trì, 6 of 8 (15); the centre decides nothing
    expect(rows.map((r) => [r.code, r.rank, r.current.progressScore])).toEqual([
      [BN, 1, 20],
      [CT, 2, 20],
      [TP, 3, 20],
      [VT, 4, 15],
      [TTPV, null, null],
    ]);
    // the total is the province's
    const summary = (await http(`${url}/v1/stats/summary?${q}`)).body;
    expect(body.total.current).toEqual(keyFigures(summary.figures));
    const summaryJuly = (await http(`${url}/v1/stats/summary?${JULY}`)).body;
    expect(body.total.previous).toEqual(keyFigures(summaryJuly.figures));
    // the partial score ranks as GET /v1/stats/ranking does
    const partial = (await http(`${url}/v1/stats/breakdown?${q}&by=unit&rankBy=partial`)).body;
    const ranking = (await http(`${url}/v1/stats/ranking?${q}`)).body;
    expect((partial.rows as Row[]).map((r) => [r.code, r.rank])).toEqual(
      ranking.ranking.map((r: { unitCode: string; rank: number | null }) => [r.unitCode, r.rank]),
    );
    expect(partial.maxScore).toBe(32);
  });

  it("per level: the units' counts summed, the same as the figure routes give for the level", async () => {
    const { body } = await http(`${url}/v1/stats/breakdown?${q}&by=level&compare=month`);
    const rows = body.rows as Row[];
    expect(rows.map((r) => [r.code, r.units])).toEqual([
      ["department", 2],
      ["provincial-centre", 1],
      ["ward", 1],
      ["commune", 1],
    ]);
    for (const r of rows) {
      const level = (await http(`${url}/v1/stats/summary?${q}&level=${r.code}`)).body;
      expect(r.current, r.code).toEqual(keyFigures(level.figures));
      const inJuly = (await http(`${url}/v1/stats/summary?${JULY}&level=${r.code}`)).body;
      expect(r.previous, r.code).toEqual(keyFigures(inJuly.figures));
    }
    // the ward is Việt Trì alone; the departments are Công Thương's and Tư pháp's counts together
    const vt = (await units(q)).find((u) => u.unitCode === VT)!;
    expect(rows.find((r) => r.code === "ward")!.current).toEqual(keyFigures(vt.figures));
    const depts = (await units(`${q}&level=department`)).map((u) => u.unitCode);
    expect(depts).toEqual([CT, TP]);
    const wards = await http(`${url}/v1/stats/breakdown?${q}&level=ward`);
    expect((wards.body.rows as Row[]).map((r) => r.code)).toEqual([VT]);
  });

  it("per procedure of a unit, and the dossiers behind one procedure's figure", async () => {
    const { body } = await http(`${url}/v1/stats/breakdown?${q}&by=procedure&unit=${VT}`);
    const procedures = (await http(`${url}/v1/stats/procedures?${q}&unit=${VT}`)).body.procedures as {
      procedureCode: string;
      figures: Figures;
    }[];
    const rows = body.rows as Row[];
    expect(rows.map((r) => r.code)).toEqual(procedures.map((p) => p.procedureCode));
    for (const p of procedures)
      expect(rows.find((r) => r.code === p.procedureCode)!.current).toEqual(keyFigures(p.figures));
    for (const r of rows) {
      for (const figure of ["handled", "late", "open"] as const) {
        const list = await http(
          `${url}/v1/stats/dossiers?${q}&unit=${VT}&procedure=${r.code}&figure=${figure}&limit=500`,
          province,
        );
        expect(list.status).toBe(200);
        const count = { handled: r.current.handled, late: r.current.late, open: r.current.open }[figure];
        expect(list.body.items.length, `${r.code} ${figure}`).toBe(count);
        for (const d of list.body.items) expect(d.procedureCode).toBe(r.code);
      }
    }
    // the export takes the same filter
    const code = rows[0]!.code;
    const csv = await fetch(`${url}/v1/stats/dossiers.csv?${q}&unit=${VT}&procedure=${code}`, province);
    expect(csv.status).toBe(200);
    const text = await csv.text();
    const listed = await http(
      `${url}/v1/stats/dossiers?${q}&unit=${VT}&procedure=${code}&limit=500`,
      province,
    );
    for (const d of listed.body.items) expect(text).toContain(d.dossierCode);
  });
});

describe("a level narrows what a token sees, never widens it", () => {
  it("a commune's staff asking for the wards get none of the ward's dossiers; for the communes, their own", async () => {
    const bnStaff = { headers: tokenFor(BN, "reception") };
    const wards = await http(`${url}/v1/stats/dossiers?${q}&level=ward&limit=500`, bnStaff);
    expect(wards.status).toBe(200);
    expect(wards.body.items).toEqual([]);
    const communes = await http(`${url}/v1/stats/dossiers?${q}&level=commune&limit=500`, bnStaff);
    expect(communes.body.items.length).toBe(3);
    for (const d of communes.body.items) expect(d.competentUnitCode).toBe(BN);
    const named = await http(`${url}/v1/stats/dossiers?${q}&unit=${VT}&level=ward`, bnStaff);
    expect(named.status).toBe(403);
    const procedure = await http(`${url}/v1/stats/dossiers?${q}&unit=${VT}&procedure=1.001234`, bnStaff);
    expect(procedure.status).toBe(403);
    // the province's leader sees the ward's through the level
    const leader = await http(`${url}/v1/stats/dossiers?${q}&level=ward&limit=500`, province);
    expect(leader.body.items.length).toBe(8);
    for (const d of leader.body.items) expect(d.competentUnitCode).toBe(VT);
  });
});

describe("the periods, the targets, bad input", () => {
  it("the presets are to date by the service's clock, each with the period it is compared with", async () => {
    const { status, body } = await http(`${url}/v1/stats/periods`);
    expect(status).toBe(200);
    expect(body.today).toBe("2026-12-01");
    expect(body.presets).toEqual([
      {
        preset: "today",
        from: "2026-12-01",
        to: "2026-12-01",
        previous: { from: "2026-11-30", to: "2026-11-30" },
      },
      {
        preset: "month",
        from: "2026-12-01",
        to: "2026-12-01",
        previous: { from: "2026-11-01", to: "2026-11-01" },
      },
      {
        preset: "quarter",
        from: "2026-10-01",
        to: "2026-12-01",
        previous: { from: "2026-07-01", to: "2026-09-01" },
      },
      {
        preset: "year",
        from: "2026-01-01",
        to: "2026-12-01",
        previous: { from: "2025-01-01", to: "2025-12-01" },
      },
    ]);
  });

  it("the province's targets come from STATS_TARGETS, for the province of the unit asked for too", async () => {
    const all = (await http(`${url}/v1/stats/breakdown?${q}&by=level`)).body;
    expect(all.province).toEqual({ code: "H44", name: "Tỉnh Phú Thọ" });
    expect(all.target).toEqual({ onTimeRate766: 95, onlineRate: null });
    const one = (await http(`${url}/v1/stats/breakdown?${q}&unit=${TTPV}`)).body;
    expect(one.target).toEqual({ onTimeRate766: 95, onlineRate: null });
    // a period of any length is compared with as many days right before it
    const span = (await http(`${url}/v1/stats/breakdown?from=2026-08-10&to=2026-08-16`)).body;
    expect(span.previous).toEqual({ from: "2026-08-03", to: "2026-08-09" });
  });

  it("bad input is a 400 naming the field; an unknown unit a 404", async () => {
    const bad = async (query: string) => {
      const res = await http(`${url}/v1/stats/breakdown?${query}`);
      expect(res.status, query).toBe(400);
      return res.body.error.details.map((d: { path: string }) => d.path);
    };
    expect(await bad("by=region")).toContain("querystring.by");
    expect(await bad("level=district")).toContain("querystring.level");
    expect(await bad("compare=week")).toContain("querystring.compare");
    expect(await bad("rankBy=name")).toContain("querystring.rankBy");
    expect(await bad("from=2026-08-10&to=2026-08-01")).toContain("querystring.to");
    expect(await bad("limit=0")).toContain("querystring.limit");
    const unknown = await http(`${url}/v1/stats/breakdown?unit=H44.999`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("STATS_UNKNOWN_UNIT");
    const dossiers = await http(`${url}/v1/stats/dossiers?procedure=abc`, province);
    expect(dossiers.status).toBe(400);
    expect(dossiers.body.error.details[0].path).toBe("querystring.procedure");
  });

  it("the OpenAPI document shows both routes, public, with their answers", async () => {
    const doc = (await http(`${url}/docs/json`)).body;
    const breakdown = doc.paths["/v1/stats/breakdown"].get;
    expect(breakdown.operationId).toBe("getFigureBreakdown");
    expect(breakdown.security).toEqual([]);
    expect(Object.keys(breakdown.responses).sort()).toEqual(["200", "400", "404", "503"]);
    const periods = doc.paths["/v1/stats/periods"].get;
    expect(periods.operationId).toBe("listPeriodPresets");
    expect(periods.security).toEqual([]);
    // No parameters: one given anyway is refused.
    expect(Object.keys(periods.responses).sort()).toContain("400");
    expect((await http(`${url}/v1/stats/periods?x=1`)).status).toBe(400);
  });
});
