import { describe, expect, it } from "vitest";
import {
  type DossierScript,
  loadProvince,
  planDay,
  planPeriod,
  provinceCalendars,
  Random,
  tallyReceptions,
} from "../src/index.js";

const province = loadProvince();
const calendars = provinceCalendars(province);
const day = (seed: number, date = "2026-09-15", dossiers = 3_600) =>
  planDay(province, { seed, date, dossiers });
const month = planPeriod(province, { seed: 5, firstDate: "2026-10-01", days: 31, dossiersPerDay: 400 });
const count = (scripts: readonly DossierScript[], pred: (s: DossierScript) => boolean) =>
  scripts.filter(pred).length;
const arrival = (s: DossierScript) => Date.parse(s.arrivesAt);

describe("a simulated period of a province's one-stop centres", () => {
  it("is reproducible from its seed and differs with another seed", () => {
    const a = planPeriod(province, { seed: 7, firstDate: "2026-10-15", days: 3, dossiersPerDay: 300 });
    const b = planPeriod(province, { seed: 7, firstDate: "2026-10-15", days: 3, dossiersPerDay: 300 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const c = planPeriod(province, { seed: 8, firstDate: "2026-10-15", days: 3, dossiersPerDay: 300 });
    expect(c.map((s) => s.unitCode)).not.toEqual(a.map((s) => s.unitCode));
  });

  it("numbers the dossiers in the order they arrive, each script starting with its arrival", () => {
    expect(month.map((s) => s.seq)).toEqual(month.map((_, i) => i + 1));
    for (let i = 1; i < month.length; i++)
      expect(arrival(month[i]!)).toBeGreaterThanOrEqual(arrival(month[i - 1]!));
    for (const s of month) {
      expect(s.actions[0]).toEqual({
        do: s.channel === "online" ? "submit" : "receive",
        when: { kind: "at", at: arrival(s) },
      });
      // Every later instant is placed in time from the one before it, never planned in advance.
      expect(s.actions.slice(1).every((a) => a.when.kind !== "at")).toBe(true);
    }
  });

  it("has about 92% online dossiers on a working day and only online ones on a Sunday", () => {
    const scripts = day(1);
    const online = count(scripts, (s) => s.channel === "online") / scripts.length;
    expect(online).toBeGreaterThan(0.9);
    expect(online).toBeLessThan(0.94);
    const sunday = day(1, "2026-09-13", 3_600);
    expect(sunday.length).toBeGreaterThan(0);
    expect(sunday.length).toBeLessThan(3_600 * 0.5);
    expect(new Set(sunday.map((s) => s.channel))).toEqual(new Set(["online"]));
  });

  it("brings online submissions at any hour, nights and weekends included", () => {
    const hours = new Set(month.filter((s) => s.channel === "online").map((s) => s.arrivesAt.slice(11, 13)));
    expect(hours.size).toBe(24);
    expect(
      count(month, (s) => s.channel === "online" && /^2026-10-(03|04|10|11)/.test(s.arrivesAt)),
    ).toBeGreaterThan(100);
  });

  it("receives at the counter only inside the unit's reception hours, with a morning peak", () => {
    const counter = day(2).filter((s) => s.channel !== "online");
    expect(counter.length).toBeGreaterThan(100);
    for (const s of counter) {
      const windows = calendars.receptionWindows(s.unitCode, s.arrivesAt.slice(0, 10));
      expect(
        windows.some(([from, to]) => arrival(s) >= from && arrival(s) < to),
        s.arrivesAt,
      ).toBe(true);
    }
    const morning = count(counter, (s) => s.arrivesAt.slice(11, 16) < "11:30");
    expect(morning / counter.length).toBeGreaterThan(0.6);
  });

  it("receives on Saturday 17/10/2026 only at the wards' Saturday-morning desks, and not at all on the 30/4/2026 holiday", () => {
    const units = ["H44.100", "H44.108", "H44.101"];
    const saturday = planPeriod(province, {
      seed: 3,
      firstDate: "2026-10-17",
      days: 1,
      dossiersPerDay: 3_000,
      unitCodes: units,
    });
    const desk = saturday.filter((s) => s.channel !== "online");
    expect(desk.length).toBeGreaterThan(0);
    for (const s of desk) {
      expect(["H44.100", "H44.108"]).toContain(s.unitCode);
      const time = s.arrivesAt.slice(11, 16);
      expect(time >= "07:30" && time < "11:30", s.arrivesAt).toBe(true);
    }
    const holiday = planPeriod(province, {
      seed: 3,
      firstDate: "2026-04-30",
      days: 1,
      dossiersPerDay: 3_000,
      unitCodes: units,
    });
    expect(holiday.length).toBeGreaterThan(0);
    expect(count(holiday, (s) => s.channel !== "online")).toBe(0);
  });

  it("decides about 98.6% of the decided dossiers early or on time, as Phú Thọ reports", () => {
    const decided = month.filter((s) => s.verdict !== null);
    const late = count(decided, (s) => s.verdict === "late") / decided.length;
    expect(late).toBeGreaterThan(0.008);
    expect(late).toBeLessThan(0.022);
    expect(count(decided, (s) => s.verdict === "on_time")).toBeGreaterThan(0);
    expect(count(decided, (s) => s.verdict === "early") / decided.length).toBeGreaterThan(0.7);
  });

  it("leaves some open and withdraws, stops and refuses a few", () => {
    const fate = (f: DossierScript["fate"]) => count(month, (s) => s.fate === f) / month.length;
    expect(fate("open")).toBeGreaterThan(0.001);
    expect(fate("withdrawn")).toBeGreaterThan(0.002);
    expect(fate("stopped")).toBeGreaterThan(0.001);
    expect(fate("stopped")).toBeLessThan(0.01);
    expect(fate("refused-at-reception")).toBeGreaterThan(0.005);
    expect(fate("refused-at-reception")).toBeLessThan(0.03);
    const reasons = new Set(
      month.flatMap((s) => s.actions.filter((a) => a.do === "stop").map((a) => a.reason)),
    );
    expect(reasons).toEqual(new Set(["withdrawn", "stop-notice", "supplement-lapsed"]));
  });

  it("accepts most online submissions within the centre's deadline, some late, a few after a supplement", () => {
    const accepted = month.filter((s) => s.acceptance !== null && s.fate !== "refused-at-reception");
    const late = count(accepted, (s) => s.acceptance === "late") / accepted.length;
    expect(late).toBeGreaterThan(0.02);
    expect(late).toBeLessThan(0.1);
    expect(
      count(month, (s) => s.actions.some((a) => a.do === "request-submission-supplement")),
    ).toBeGreaterThan(0);
    expect(count(month, (s) => s.fate === "lapsed-before-acceptance")).toBeGreaterThan(0);
  });

  it("asks for supplements before the due instant under both rules and after it, pays, and sends apologies", () => {
    const has = (s: DossierScript, what: string) => s.actions.some((a) => a.do === what);
    const procedures = new Map(province.procedures.map((p) => [p.code, p]));
    const before = month.filter((s) =>
      s.actions.some((a) => a.do === "request-supplement" && a.when.kind === "toward"),
    );
    expect(new Set(before.map((s) => procedures.get(s.procedureCode)?.supplementRule))).toEqual(
      new Set(["pause", "reset"]),
    );
    const afterDue = month.filter((s) =>
      s.actions.some((a) => a.do === "request-supplement" && a.when.kind === "due" && a.when.minutes > 0),
    );
    expect(afterDue.length).toBeGreaterThan(0);
    expect(afterDue.every((s) => s.verdict === "late")).toBe(true);
    expect(count(month, (s) => has(s, "receive-payment"))).toBeGreaterThan(0);
    const apologies = month.filter((s) => has(s, "extend"));
    expect(apologies.length).toBeGreaterThan(0);
    expect(apologies.every((s) => s.verdict === "late")).toBe(true);
  });

  it("takes inter-unit procedures from the provincial centre to the department that decides, and some steps to another commune", () => {
    const units = new Map(province.units.map((u) => [u.code, u]));
    const centre = month.filter((s) => s.unitCode === province.provincialCentre.code && s.verdict !== null);
    expect(centre.length).toBeGreaterThan(0);
    for (const s of centre) {
      expect(units.get(s.competentUnitCode)?.level).toBe("department");
      expect(s.actions.filter((a) => a.do === "transfer").length).toBeGreaterThan(0);
    }
    const elsewhere = month.flatMap((s) =>
      s.actions.filter((a) => a.toUnitCode).map((a) => [s.unitCode, a.toUnitCode]),
    );
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const [from, to] of elsewhere) {
      expect(to).not.toBe(from);
      expect(["commune", "ward"]).toContain(units.get(to as string)?.level);
    }
  });

  it("transfers through every step up to the deciding one, or only where the unit changes if asked", () => {
    const options = { seed: 9, firstDate: "2026-10-15", days: 2, dossiersPerDay: 400 } as const;
    const every = planPeriod(province, options);
    const between = planPeriod(province, { ...options, transfers: "between-units" });
    const transfers = (scripts: DossierScript[]) =>
      scripts.flatMap((s) => s.actions.filter((a) => a.do === "transfer"));
    expect(transfers(between).length).toBeGreaterThan(0);
    expect(transfers(between).length).toBeLessThan(transfers(every).length / 2);
    const units = new Map(province.units.map((u) => [u.code, u]));
    // A department's procedure received at the provincial centre still goes to the department.
    for (const s of between.filter(
      (x) => x.unitCode === province.provincialCentre.code && x.verdict !== null,
    )) {
      expect(units.get(s.competentUnitCode)?.level).toBe("department");
      expect(s.actions.some((a) => a.do === "transfer")).toBe(true);
    }
  });

  it("spreads dossiers over all 148 communes and wards and the provincial centre", () => {
    expect(new Set(day(4, "2026-09-15", 20_000).map((s) => s.unitCode)).size).toBe(149);
  });

  it("tallies receptions per unit and channel, never counting a refusal as received", () => {
    const scripts = day(5, "2026-09-15", 2_000);
    const tally = tallyReceptions(scripts);
    const received = Object.values(tally.received).reduce((n, c) => n + c.online + c.direct + c.postal, 0);
    const notReceived = count(
      scripts,
      (s) => s.fate === "refused-at-reception" || s.fate === "lapsed-before-acceptance",
    );
    expect(tally.refusedAtReception).toBeGreaterThan(0);
    expect(received + notReceived).toBe(2_000);
    const byCompetent = tallyReceptions(scripts, "competent");
    expect(Object.keys(byCompetent.received).some((u) => !(u in tally.received))).toBe(true);
  });

  it("makes applicants with 12-digit identity numbers of Phú Thọ and Vietnamese names", () => {
    for (const s of day(6, "2026-09-15", 200)) {
      expect(s.applicant.identityNumber).toMatch(/^025\d{9}$/);
      expect(s.applicant.phone).toMatch(/^0\d{9}$/);
      expect(s.applicant.fullName.split(" ").length).toBe(3);
    }
  });

  it("refuses a period it cannot plan, naming what is wrong", () => {
    expect(() =>
      planPeriod(province, { seed: 1, firstDate: "2026-02-30", days: 1, dossiersPerDay: 1 }),
    ).toThrow(/date/);
    expect(() =>
      planPeriod(province, { seed: 1, firstDate: "2026-02-01", days: 0, dossiersPerDay: 1 }),
    ).toThrow(/days/);
    expect(() =>
      planPeriod(province, {
        seed: 1,
        firstDate: "2026-02-01",
        days: 1,
        dossiersPerDay: 1,
        shares: { late: 2 },
      }),
    ).toThrow(/late/);
  });
});

describe("the seeded generator", () => {
  it("gives a uniform-looking stream in [0, 1)", () => {
    const r = new Random(42);
    const xs = Array.from({ length: 10_000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
  });
});
