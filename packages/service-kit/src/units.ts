/**
 * The unit hierarchy, as the national portal's unit codes spell it: a unit's code extends its
 * parent's by one dotted part (`H44` the province, `H44.07` a department, `H44.100` a commune or
 * ward). The seeded catalogue's `parentCode` agrees (services/intake/test/seed.test.ts checks it),
 * and intake refuses a unit whose `parentCode` says otherwise. Every access decision about "the
 * units under" a unit, in code or in SQL, uses this one rule.
 */

/** Whether `unit` is `ancestor` or lies under it. */
export function isUnitWithin(unit: string, ancestor: string): boolean {
  return unit === ancestor || unit.startsWith(`${ancestor}.`);
}

/** Whether `unit` lies strictly under `ancestor` (a child, or a child's child...). */
export function isUnitBelow(unit: string, ancestor: string): boolean {
  return unit.startsWith(`${ancestor}.`);
}

/** The parent a unit's code names (`H44.100` → `H44`); null for a province. */
export function parentUnitOf(unit: string): string | null {
  const i = unit.lastIndexOf(".");
  return i < 0 ? null : unit.slice(0, i);
}

/** The unit and every unit above it, nearest first: `H44.100` → `["H44.100", "H44"]`. */
export function unitLineage(unit: string): string[] {
  const out = [unit];
  for (let p = parentUnitOf(unit); p !== null; p = parentUnitOf(p)) out.push(p);
  return out;
}

/**
 * The same rule for SQL: a row's unit `u` is within `unit` when `u = $unit OR u LIKE $below`, with
 * `$below` this pattern (unit codes hold only letters, digits and dots, none of them LIKE wildcards).
 */
export function unitsBelowPattern(unit: string): string {
  return `${unit}.%`;
}
