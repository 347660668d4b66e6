import { readFileSync } from "node:fs";
import { computeDueAt, createCalendarSet, formatIsoLocal, toEpochMs } from "@tthc/calendar";
import { describe, expect, it } from "vitest";
import { examples } from "../src/examples.js";
import { formatDossierCode } from "../src/formats.js";

const data = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../services/intake/data/${file}`, import.meta.url), "utf8"));
const units = (data("units.json") as { units: Record<string, unknown>[] }).units;
const procedures = (data("procedures.json") as { procedures: Record<string, unknown>[] }).procedures;

describe("the examples the contracts show are the seed catalogue's", () => {
  it("name units as the catalogue does: code, name, level, parent and electronic identifier", () => {
    for (const u of [examples.province, examples.provincialCentre, examples.department, examples.unit]) {
      expect(units.find((x) => x.code === u.code)).toMatchObject(u);
    }
  });

  it("name the procedure as the catalogue does, with its statutory time of three working days", () => {
    expect(procedures.find((p) => p.code === examples.procedure.code)).toMatchObject({
      ...examples.procedure,
      statutoryTime: { amount: 3, unit: "days" },
    });
  });

  it("give the dossier the code of its unit and day, and the due instant the calendar gives", () => {
    const received = new Date(examples.dossier.receivedAt);
    expect(examples.dossier.code).toBe(formatDossierCode(examples.unit.electronicId, received, 7));
    const calendar = createCalendarSet({}).latest("default");
    const due = computeDueAt(calendar, toEpochMs(examples.dossier.receivedAt), { amount: 3, unit: "days" });
    expect(formatIsoLocal(due, "always")).toBe(examples.dossier.dueAt);
    expect(examples.staff.reception).toBe(`reception@${examples.unit.code}`);
  });
});
