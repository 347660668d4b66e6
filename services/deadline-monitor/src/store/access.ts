import type { Pool } from "@tthc/service-kit";

/**
 * The units a dossier's clock belongs to, for the access check: the holding unit, the receiving
 * unit and the unit of every step of its process (each sees its step deadline). Undefined when the
 * monitor has no clock for it.
 */
export async function clockUnits(pool: Pool, dossierId: string): Promise<string[] | undefined> {
  const { rows } = await pool.query<{ unit_code: string; receiving_unit_code: string; steps: unknown }>(
    "SELECT unit_code, receiving_unit_code, steps FROM dossiers WHERE id = $1",
    [dossierId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const steps = Array.isArray(row.steps) ? row.steps : [];
  const stepUnits = steps
    .map((s) => (s as { unitCode?: unknown }).unitCode)
    .filter((u): u is string => typeof u === "string");
  return [...new Set([row.unit_code, row.receiving_unit_code, ...stepUnits])];
}
