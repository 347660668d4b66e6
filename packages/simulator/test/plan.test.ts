import { describe, expect, it } from "vitest";
import { loadProvince, planDay, Random, tallyReceptions } from "../src/index.js";

const province = loadProvince();
const day = (seed: number, date = "2026-09-15", dossiers = 3_600) =>
  planDay(province, { seed, date, dossiers });

describe("a simulated day of a province's one-stop centres", () => {
  it("is reproducible from its seed and differs with another seed", () => {
    expect(day(7)).toEqual(day(7));
    expect(day(7).map((s) => s.unitCode)).not.toEqual(day(8).map((s) => s.unitCode));
  });

  it("has about 92% online dossiers on a working day and only online ones on a Sunday", () => {
    const scripts = day(1);
    const online = scripts.filter((s) => s.channel === "online").length / scripts.length;
    expect(online).toBeGreaterThan(0.9);
    expect(online).toBeLessThan(0.94);
    expect(new Set(day(1, "2026-09-13", 500).map((s) => s.channel))).toEqual(new Set(["online"]));
  });

  it("brings counter receptions only inside the sessions, with a morning peak", () => {
    const counter = day(2).filter((s) => s.channel !== "online");
    const minutes = counter.map(
      (s) => Number(s.submittedAt.slice(11, 13)) * 60 + Number(s.submittedAt.slice(14, 16)),
    );
    for (const m of minutes) {
      expect((m >= 450 && m < 690) || (m >= 810 && m < 1020)).toBe(true);
    }
    const morning = minutes.filter((m) => m < 690).length;
    expect(morning / minutes.length).toBeGreaterThan(0.6);
  });

  it("has spikes several times the normal rate", () => {
    const scripts = day(3, "2026-09-15", 20_000).filter((s) => s.channel === "online");
    const inMinute = (from: number, to: number) =>
      scripts.filter((s) => {
        const m = Number(s.submittedAt.slice(11, 13)) * 60 + Number(s.submittedAt.slice(14, 16));
        return m >= from && m < to;
      }).length /
      (to - from);
    const spike = inMinute(8 * 60 + 15, 8 * 60 + 35);
    const around = (inMinute(7 * 60 + 50, 8 * 60 + 15) + inMinute(8 * 60 + 35, 9 * 60)) / 2;
    expect(spike / around).toBeGreaterThan(2.5);
  });

  it("spreads dossiers over all 148 communes and wards and the provincial centre", () => {
    const units = new Set(day(4, "2026-09-15", 20_000).map((s) => s.unitCode));
    expect(units.size).toBe(149);
  });

  it("tallies receptions per unit and channel, never counting a refusal as received", () => {
    const scripts = day(5, "2026-09-15", 2_000);
    const tally = tallyReceptions(scripts);
    const received = Object.values(tally.received).reduce((s, c) => s + c.online + c.direct + c.postal, 0);
    const refused = scripts.filter((s) => s.fate === "refused-at-reception").length;
    expect(refused).toBeGreaterThan(0);
    expect(received + refused).toBe(2_000);
    expect(tally.refusedAtReception).toBe(refused);
  });

  it("makes applicants with 12-digit identity numbers of Phú Thọ and Vietnamese names", () => {
    for (const s of day(6, "2026-09-15", 200)) {
      expect(s.applicant.identityNumber).toMatch(/^025\d{9}$/);
      expect(s.applicant.phone).toMatch(/^0\d{9}$/);
      expect(s.applicant.fullName.split(" ").length).toBe(3);
    }
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
