import type { Pool } from "@tthc/service-kit";

/**
 * The units a dossier's clock belongs to, for the access check: the holding, receiving and
 * competent units and the unit of every step and step run (each sees its step deadline); for an
 * online submission not yet accepted, its receiving centre. Undefined when the monitor has no
 * clock for it.
 */
export async function clockUnits(pool: Pool, dossierId: string): Promise<string[] | undefined> {
  const { rows } = await pool.query<{ units: string[] }>(
    `SELECT ARRAY[holding_unit_code, receiving_unit_code, competent_unit_code]
              || ARRAY(SELECT jsonb_array_elements(steps) ->> 'unitCode')
              || ARRAY(SELECT jsonb_array_elements(runs) ->> 'unitCode') AS units
       FROM dossiers WHERE id = $1
     UNION ALL
     SELECT ARRAY[receiving_unit_code] FROM submissions WHERE id = $1`,
    [dossierId],
  );
  if (rows.length === 0) return undefined;
  return [...new Set(rows.flatMap((r) => r.units).filter((u): u is string => typeof u === "string"))];
}
