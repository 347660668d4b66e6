import { readFileSync } from "node:fs";
import { Procedure, Unit } from "@tthc/contracts";
import { parentUnitOf } from "@tthc/service-kit";
import { describe, expect, it } from "vitest";

/**
 * The seed catalogue in services/intake/data: units.json (Phú Thọ, H44, after the 1 July 2025
 * reorganisation) and procedures.json. Each check returns the problems it finds, so that the same
 * check can be shown to catch a broken copy of the data.
 */

type Json = Record<string, unknown>;
type RawUnit = Json & { code: string; name: string; level: string; parentCode: string | null };
type RawStep = { id: string; unitCode: string | null; budget: { amount: number; unit: string } };
type RawProcedure = Json & {
  code: string;
  name: string;
  field: string;
  statutoryTime: { amount: number; unit: string };
  cutOff: string | null;
  steps: RawStep[];
};

function load<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../data/${file}`, import.meta.url), "utf8")) as T;
}

const unitsDoc = load<{ units: RawUnit[] }>("units.json");
const proceduresDoc = load<{ procedures: RawProcedure[] }>("procedures.json");

const clone = <T>(value: T): T => structuredClone(value);
const isLocal = (u: RawUnit): boolean => u.level === "commune" || u.level === "ward";
const suffix = (code: string): number => Number(code.split(".")[1]);

/** The three units of docs/domain.md's real figures and codes. */
const DOMAIN_UNITS = [
  { code: "H44.07", name: "Sở Công Thương", level: "department" },
  { code: "H44.100", name: "Phường Việt Trì", level: "ward" },
  { code: "H44.108", name: "Xã Bản Nguyên", level: "commune" },
] as const;
const FIXED_LOCAL_CODES = new Set(["H44.100", "H44.108"]);

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) (seen.has(v) ? twice : seen).add(v);
  return [...twice];
}

function unitProblems(units: readonly RawUnit[]): string[] {
  const problems: string[] = [];
  for (const u of units) {
    const parsed = Unit.safeParse(u);
    if (!parsed.success)
      problems.push(`unit ${u.code}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  for (const code of duplicates(units.map((u) => u.code))) problems.push(`duplicate unit code ${code}`);
  for (const id of duplicates(units.map((u) => String(u.electronicId))))
    problems.push(`duplicate electronic identifier ${id}`);

  const byCode = new Map(units.map((u) => [u.code, u]));
  const provinces = units.filter((u) => u.level === "province");
  if (provinces.length !== 1 || provinces[0]?.code !== "H44") problems.push("expected one province, H44");
  for (const u of units) {
    if (u.level === "province") {
      if (u.parentCode !== null) problems.push(`province ${u.code} has a parent`);
    } else if (u.parentCode === null || !byCode.has(u.parentCode)) {
      problems.push(`unit ${u.code}: parent ${u.parentCode} does not exist`);
    }
  }

  const local = units.filter(isLocal);
  if (local.length !== 148) problems.push(`expected 148 communes and wards, found ${local.length}`);
  for (const name of duplicates(local.map((u) => u.name))) problems.push(`duplicate commune name ${name}`);
  for (const u of local) {
    const prefix = u.level === "ward" ? "Phường " : "Xã ";
    if (!u.name.startsWith(prefix)) problems.push(`${u.code} ${u.name}: a ${u.level} is named "${prefix}…"`);
  }

  for (const expected of DOMAIN_UNITS) {
    const u = byCode.get(expected.code);
    if (!u || u.name !== expected.name || u.level !== expected.level)
      problems.push(`expected ${expected.code} ${expected.name} (${expected.level})`);
  }
  return problems;
}

/**
 * The generated commune codes follow one rule: the fixed real codes stay, the others take H44.101,
 * H44.102, … in ascending order of their administrative code, skipping the fixed numbers.
 */
function codeSchemeProblems(units: readonly RawUnit[]): string[] {
  const problems: string[] = [];
  const local = units.filter(isLocal);
  const fixed = new Set([...FIXED_LOCAL_CODES].map(suffix));
  const others = local
    .filter((u) => !FIXED_LOCAL_CODES.has(u.code))
    .sort((a, b) => String(a.adminCode).localeCompare(String(b.adminCode)));
  let next = 101;
  for (const u of others) {
    while (fixed.has(next)) next += 1;
    if (u.code !== `H44.${next}`) problems.push(`${u.name}: expected H44.${next}, found ${u.code}`);
    if (!(Array.isArray(u.generated) && u.generated.includes("code")))
      problems.push(`${u.code}: a generated code is not marked generated`);
    next += 1;
  }
  for (const u of local) {
    if (!/^\d{5}$/.test(String(u.adminCode))) problems.push(`${u.code}: administrative code ${u.adminCode}`);
  }
  for (const code of duplicates(local.map((u) => String(u.adminCode))))
    problems.push(`duplicate administrative code ${code}`);
  return problems;
}

const TOLERANCE = 1e-9;
/** Working hours of the default sessions (07:30–11:30, 13:30–17:00). */
const DEFAULT_DAY_HOURS = 7.5;

/**
 * Step budgets are in the unit of the statutory time and sum to it. A within-day procedure has no fixed
 * total (its due instant is the end of the working day): its budgets are working hours that fit in one
 * default working day.
 */
function budgetProblems(p: RawProcedure): string[] {
  const { amount, unit } = p.statutoryTime;
  const stepUnit = unit === "within-day" ? "hours" : unit;
  const wrongUnit = p.steps.filter((s) => s.budget.unit !== stepUnit);
  if (wrongUnit.length > 0)
    return wrongUnit.map((s) => `${p.code}: step ${s.id} in ${s.budget.unit}, not ${stepUnit}`);
  const sum = p.steps.reduce((total, s) => total + s.budget.amount, 0);
  if (unit === "within-day") {
    return sum > DEFAULT_DAY_HOURS + TOLERANCE
      ? [`${p.code}: step budgets sum to ${sum} hours, more than a working day`]
      : [];
  }
  return Math.abs(sum - amount) > TOLERANCE
    ? [`${p.code}: step budgets sum to ${sum} ${unit}, statutory time is ${amount} ${unit}`]
    : [];
}

/** A procedure whose steps fall on more than one unit (null is the receiving unit, fixed at reception). */
function isInterUnit(p: RawProcedure): boolean {
  return new Set(p.steps.map((s) => s.unitCode ?? "receiving")).size > 1;
}

function procedureProblems(procedures: readonly RawProcedure[], units: readonly RawUnit[]): string[] {
  const problems: string[] = [];
  const byCode = new Map(units.map((u) => [u.code, u]));
  for (const p of procedures) {
    const parsed = Procedure.safeParse(p);
    if (!parsed.success)
      problems.push(`procedure ${p.code}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    problems.push(...budgetProblems(p));
    for (const s of p.steps) {
      if (s.unitCode !== null && byCode.get(s.unitCode)?.level !== "department")
        problems.push(`${p.code}: step ${s.id} names ${s.unitCode}, not a department of the catalogue`);
    }
    const placeholder = p.code.startsWith("9.");
    const marked = Array.isArray(p.generated) && p.generated.includes("code");
    if (placeholder !== marked) problems.push(`${p.code}: generated code marking is wrong`);
  }
  for (const code of duplicates(procedures.map((p) => p.code)))
    problems.push(`duplicate procedure code ${code}`);
  const perField = new Map<string, number>();
  for (const p of procedures) perField.set(p.field, (perField.get(p.field) ?? 0) + 1);
  for (const [field, n] of perField) if (n < 2) problems.push(`field ${field} has ${n} procedure`);
  return problems;
}

describe("units.json", () => {
  const units = unitsDoc.units;

  it("validates against the Unit schema, with unique codes, existing parents and 148 communes and wards", () => {
    expect(unitProblems(units)).toEqual([]);
  });

  it("has the province, the provincial centre, the departments, 133 communes and 15 wards", () => {
    const count = (level: string) => units.filter((u) => u.level === level).length;
    expect(count("province")).toBe(1);
    expect(count("provincial-centre")).toBe(1);
    expect(count("department")).toBeGreaterThanOrEqual(10);
    expect(count("commune")).toBe(133);
    expect(count("ward")).toBe(15);
    expect(units.filter(isLocal).every((u) => u.parentCode === "H44")).toBe(true);
  });

  it("gives every unit the parent its code lies under, the hierarchy the access policy reads", () => {
    expect(units.filter((u) => u.parentCode !== parentUnitOf(u.code)).map((u) => u.code)).toEqual([]);
  });

  it("keeps the units of docs/domain.md with their codes and names", () => {
    for (const expected of DOMAIN_UNITS) {
      expect(units.find((u) => u.code === expected.code)).toMatchObject(expected);
    }
  });

  it("assigns the generated commune codes by the documented scheme and marks them", () => {
    expect(codeSchemeProblems(units)).toEqual([]);
  });

  it("gives the sample Saturday-morning reception desks where packages/calendar does, as reception hours, not working time", () => {
    const parsed = (code: string) => Unit.parse(units.find((u) => u.code === code));
    for (const code of ["H44.100", "H44.108"]) {
      expect(parsed(code).receptionSessions?.some((s) => s.weekdays.includes(6))).toBe(true);
      expect(parsed(code).workingSessions?.sessions.some((s) => s.weekdays.includes(6))).toBe(false);
    }
    expect(parsed("H44.07").workingSessions?.makeUpDaysAreWorking).toBe(false);
  });

  describe("the checks catch broken data", () => {
    it("a missing commune", () => {
      const broken = units.filter((u) => u.code !== "H44.150");
      expect(unitProblems(broken)).toContain("expected 148 communes and wards, found 147");
    });

    it("a duplicate code", () => {
      const broken = clone(units);
      broken[broken.length - 1]!.code = "H44.101";
      expect(unitProblems(broken)).toContain("duplicate unit code H44.101");
    });

    it("a parent that does not exist", () => {
      const broken = clone(units);
      broken.find((u) => u.code === "H44.120")!.parentCode = "H44.999";
      expect(unitProblems(broken)).toContain("unit H44.120: parent H44.999 does not exist");
    });

    it("a unit of docs/domain.md renamed", () => {
      const broken = clone(units);
      broken.find((u) => u.code === "H44.108")!.name = "Xã Bản Nguyên Mới";
      expect(unitProblems(broken)).toContain("expected H44.108 Xã Bản Nguyên (commune)");
    });

    it("a unit the schema refuses", () => {
      const broken = clone(units);
      broken.find((u) => u.code === "H44.130")!.level = "district";
      expect(unitProblems(broken).some((p) => p.startsWith("unit H44.130:"))).toBe(true);
    });

    it("two generated codes swapped", () => {
      const broken = clone(units);
      broken.find((u) => u.code === "H44.101")!.code = "H44.102x";
      broken.find((u) => u.code === "H44.102")!.code = "H44.101";
      broken.find((u) => u.code === "H44.102x")!.code = "H44.102";
      expect(codeSchemeProblems(broken).length).toBeGreaterThan(0);
    });
  });
});

describe("procedures.json", () => {
  const procedures = proceduresDoc.procedures;
  const units = unitsDoc.units;

  it("has a realistic number of procedures, each valid against the Procedure schema, with unique codes", () => {
    expect(procedures.length).toBeGreaterThanOrEqual(40);
    expect(procedures.length).toBeLessThanOrEqual(80);
    expect(procedureProblems(procedures, units)).toEqual([]);
  });

  it("has at least three inter-unit procedures from a commune to a department, whose budgets sum to the statutory time", () => {
    const interUnit = procedures.filter(isInterUnit);
    const communeToDepartment = interUnit.filter(
      (p) =>
        Array.isArray(p.implementingLevels) &&
        p.implementingLevels.includes("commune") &&
        p.steps.some((s) => s.unitCode !== null),
    );
    expect(communeToDepartment.length).toBeGreaterThanOrEqual(3);
    for (const p of interUnit) {
      expect(p.interUnit).toBe(true);
      expect(budgetProblems(p)).toEqual([]);
      if (p.statutoryTime.unit !== "within-day") {
        const sum = p.steps.reduce((total, s) => total + s.budget.amount, 0);
        expect(sum).toBeCloseTo(p.statutoryTime.amount, 9);
      }
    }
    expect(procedures.filter((p) => p.interUnit === true)).toEqual(interUnit);
  });

  it("covers the common fields, each with at least two procedures", () => {
    const fields = new Set(procedures.map((p) => p.field));
    for (const field of [
      "Hộ tịch",
      "Chứng thực",
      "Đất đai",
      "Thành lập và hoạt động của hộ kinh doanh",
      "Hoạt động xây dựng",
      "Bảo trợ xã hội",
      "Giáo dục và Đào tạo",
      "Y tế",
      "Đường bộ",
      "Công Thương",
    ]) {
      expect(fields).toContain(field);
    }
  });

  it("has short procedures (within the day, hours) and long ones (15 working days and more)", () => {
    const timeUnits = new Set(procedures.map((p) => p.statutoryTime.unit));
    expect(timeUnits).toContain("within-day");
    expect(timeUnits).toContain("hours");
    const long = procedures.filter((p) => p.statutoryTime.unit === "days" && p.statutoryTime.amount >= 15);
    expect(long.length).toBeGreaterThanOrEqual(5);
  });

  it("gives certification within the day its 15:00 cut-off and uses both supplement rules", () => {
    const certification = procedures.filter(
      (p) => p.field === "Chứng thực" && p.statutoryTime.unit === "within-day",
    );
    expect(certification.length).toBeGreaterThanOrEqual(2);
    for (const p of certification) expect(p.cutOff).toBe("15:00");
    const rules = new Set(procedures.map((p) => Procedure.parse(p).supplementRule));
    expect(rules).toEqual(new Set(["pause", "reset"]));
  });

  it("keeps docs/domain.md's certification example: 2.000815 within the day with the 15:00 cut-off", () => {
    const copy = Procedure.parse(procedures.find((p) => p.code === "2.000815"));
    expect(copy.statutoryTime).toEqual({ amount: 1, unit: "within-day" });
    expect(copy.cutOff).toBe("15:00");
  });

  describe("the checks catch broken data", () => {
    const interUnitIndex = procedures.findIndex((p) => isInterUnit(p) && p.statutoryTime.unit === "days");

    it("a step budget that no longer sums to the statutory time", () => {
      const broken = clone(procedures);
      const p = broken[interUnitIndex]!;
      p.steps[0]!.budget.amount += 1;
      expect(
        procedureProblems(broken, units).some((m) => m.startsWith(`${p.code}: step budgets sum to`)),
      ).toBe(true);
    });

    it("a duplicate procedure code", () => {
      const broken = clone(procedures);
      broken[1]!.code = broken[0]!.code;
      expect(procedureProblems(broken, units)).toContain(`duplicate procedure code ${broken[0]!.code}`);
    });

    it("a field with a single procedure", () => {
      const broken = clone(procedures);
      broken[0]!.field = "Lĩnh vực thử";
      expect(procedureProblems(broken, units)).toContain("field Lĩnh vực thử has 1 procedure");
    });

    it("a step on a unit that is not in the catalogue", () => {
      const broken = clone(procedures);
      const p = broken[interUnitIndex]!;
      const step = p.steps.find((s) => s.unitCode !== null)!;
      step.unitCode = "H44.99";
      expect(procedureProblems(broken, units)).toContain(
        `${p.code}: step ${step.id} names H44.99, not a department of the catalogue`,
      );
    });

    it("a procedure the schema refuses", () => {
      const broken = clone(procedures);
      broken[0]!.code = "1.0011930";
      expect(procedureProblems(broken, units).some((m) => m.startsWith("procedure 1.0011930:"))).toBe(true);
    });
  });
});
