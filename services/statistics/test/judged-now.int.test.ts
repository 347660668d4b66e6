import { BusAdmin } from "@tthc/bus";
import { buildService, ManualClock, type RunningService } from "@tthc/service-kit";
import { createTestEnv, http, type TestEnv, tokenFor, waitUntil } from "@tthc/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, service } from "../src/service.js";
import { deadlineSet, newDossier, publish, received, resolved, submitted } from "./fixtures/events.js";
import { BN, catalog, VT } from "./fixtures/script.js";

/** The dossiers behind the figures are for staff: the province's leader sees every unit's. */
const province = { headers: tokenFor("H44", "leader") };

/**
 * A period not yet over is judged at the service's clock, never the machine's or PostgreSQL's: the
 * figures and the dossier list move when the clock moves, with no event in between.
 */

let env: TestEnv;
let svc: RunningService<Config>;
let url: string;
const clock = new ManualClock("2026-09-10T09:00:00+07:00");
const at = (local: string) => `${local}:00+07:00`;
const d1 = newDossier(VT, "2026-09-01");
const d2 = newDossier(VT, "2026-09-02");
const d3 = newDossier(BN, "2026-09-03");
const d4 = newDossier(BN, "2026-08-31");

beforeAll(async () => {
  env = await createTestEnv("stats-judged-now");
  svc = await buildService(service, { env: env.serviceEnv(), clock });
  url = await svc.start();
  await publish(env.bus, [
    ...catalog(),
    received(d1, "online", at("2026-09-01T09:00"), at("2026-09-09T09:00")),
    deadlineSet(d1, 1, at("2026-09-01T09:00"), {
      dueAt: at("2026-09-10T10:00"),
      dueSoonAt: at("2026-09-09T10:00"),
    }),
    received(d2, "direct", at("2026-09-02T09:00"), at("2026-09-10T08:00")),
    deadlineSet(d2, 1, at("2026-09-02T09:00"), {
      dueAt: at("2026-09-10T08:00"),
      dueSoonAt: at("2026-09-09T08:00"),
    }),
    received(d3, "online", at("2026-09-03T09:00"), at("2026-09-15T09:00")),
    // an online submission accepted and resolved in August, which the monitor never judged
    submitted(d4, at("2026-08-31T08:00")),
    received(d4, "online", at("2026-08-31T10:00"), at("2026-09-07T10:00")),
    resolved(d4, at("2026-08-31T11:00")),
  ]);
  const admin = new BusAdmin(env.bus);
  await waitUntil(
    "events applied",
    async () => {
      let lag = 0;
      for (const t of ["catalog", "dossier.events", "sla.events"])
        for (const p of await admin.groupLag(env.bus.topic("statistics-g1"), env.bus.topic(t))) lag += p.lag;
      const { rows } = await env.pool.query(
        "SELECT count(*)::int AS n FROM stat_dossiers WHERE received_at IS NOT NULL",
      );
      return lag === 0 && rows[0].n === 4;
    },
    60_000,
  );
}, 90_000);

afterAll(async () => {
  await svc?.stop();
  await env?.cleanup();
});

type Item = { dossierCode: string; overdue: boolean; dueSoon: boolean };
const flags = async () => {
  const { body } = await http(`${url}/v1/stats/dossiers?figure=open`, province);
  return {
    at: body.at,
    byCode: Object.fromEntries(body.items.map((d: Item) => [d.dossierCode, [d.overdue, d.dueSoon]])),
  };
};

describe("September 2026, judged at the service's clock", () => {
  it("Thu 10/09/2026 09:00: this month to date, one dossier overdue since 08:00, one due soon at 10:00", async () => {
    const { body } = await http(`${url}/v1/stats/summary`);
    expect(body.period).toEqual({ from: "2026-09-01", to: "2026-09-10" });
    expect(body.figures).toMatchObject({ received: 3, openWithin: 2, openOverdue: 1, dueSoon: 1 });
    const list = await flags();
    expect(list.at).toBe(clock.now().toISOString());
    expect(list.byCode).toEqual({
      [d1.dossierCode]: [false, true],
      [d2.dossierCode]: [true, false],
      [d3.dossierCode]: [false, false],
    });
  });

  it("at 10:00 exactly the dossier due then is still within; a millisecond later it is overdue", async () => {
    clock.set(at("2026-09-10T10:00"));
    expect((await flags()).byCode[d1.dossierCode]).toEqual([false, true]);
    expect((await http(`${url}/v1/stats/summary`)).body.figures).toMatchObject({
      openOverdue: 1,
      dueSoon: 1,
    });
    clock.advance(1);
    expect((await flags()).byCode[d1.dossierCode]).toEqual([true, false]);
    expect((await http(`${url}/v1/stats/summary`)).body.figures).toMatchObject({
      openWithin: 1,
      openOverdue: 2,
      dueSoon: 0,
    });
  });

  it("by the clock's month: on 1 October, September is over and judged at its end", async () => {
    clock.set(at("2026-10-01T08:00"));
    const { body } = await http(`${url}/v1/stats/summary`);
    expect(body.period).toEqual({ from: "2026-10-01", to: "2026-10-01" });
    // the third is past its receipt's due instant (15/09) too
    expect(body.figures).toMatchObject({ carriedOver: 3, openOverdue: 3, openWithin: 0 });
    const september = await http(
      `${url}/v1/stats/dossiers?from=2026-09-01&to=2026-09-30&figure=overdue`,
      province,
    );
    expect(september.body.items.map((d: Item) => [d.dossierCode, d.overdue])).toEqual([
      [d1.dossierCode, true],
      [d2.dossierCode, true],
      [d3.dossierCode, true],
    ]);
  });

  it("an acceptance counts as decided from the reception alone; on time only once the monitor judges it", async () => {
    const { body } = await http(`${url}/v1/stats/units/${BN}?from=2026-08-01&to=2026-08-31`);
    expect(body.figures).toMatchObject({
      acceptanceDecided: 1,
      acceptanceOnTime: 0,
      acceptanceWaiting: 0,
      acceptanceOnTimeRate: 0,
    });
  });
});
