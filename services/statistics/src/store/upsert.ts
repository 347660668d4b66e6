import type { RowPatch, Value } from "../domain/patch.js";

export interface SqlQuery {
  text: string;
  values: Value[];
}

/**
 * The one statement that applies a row patch to a table keyed by `dossier_id`: an upsert (or an
 * update, for `onlyIfExists`) in which `set` overwrites, `fill` writes only where empty, `add` adds,
 * and each guarded group writes only if its `(sequence, at)` is at least the row's. Column names
 * come from the domain's lists (`known`), never from input.
 */
export function rowPatchSql<G extends string, C extends string>(
  table: string,
  known: readonly C[],
  patch: RowPatch<G, C>,
): SqlQuery {
  const allowed = new Set<string>(known);
  const cols: string[] = ["dossier_id"];
  const values: Value[] = [patch.dossierId];
  const assignments: ((v: (col: string) => string) => string)[] = [];
  const param = new Map<string, string>();
  const add = (col: string, value: Value) => {
    if (!/_(sequence|set_at)$/.test(col) && !allowed.has(col))
      throw new Error(`unknown column ${col} of ${table}`);
    if (param.has(col)) throw new Error(`column ${col} written twice by one patch`);
    cols.push(col);
    values.push(value);
    param.set(col, `$${values.length}`);
  };
  for (const [col, value] of Object.entries(patch.set) as [string, Value][]) {
    add(col, value);
    assignments.push((v) => `${col} = ${v(col)}`);
  }
  for (const [col, value] of Object.entries(patch.fill) as [string, Value][]) {
    if (col in patch.set) continue;
    add(col, value);
    assignments.push((v) => `${col} = COALESCE(d.${col}, ${v(col)})`);
  }
  for (const [col, n] of Object.entries(patch.add ?? {}) as [string, number][]) {
    add(col, n);
    assignments.push((v) => `${col} = COALESCE(d.${col}, 0) + ${v(col)}`);
  }
  for (const g of patch.guarded) {
    const seq = `${g.group}_sequence`;
    const at = `${g.group}_set_at`;
    add(seq, g.sequence);
    add(at, g.at);
    const newer = (v: (col: string) => string) =>
      `(d.${seq} IS NULL OR (${v(seq)}, ${v(at)}) >= (d.${seq}, d.${at}))`;
    for (const [col, value] of Object.entries(g.set) as [string, Value][]) {
      add(col, value);
      assignments.push((v) => `${col} = CASE WHEN ${newer(v)} THEN ${v(col)} ELSE d.${col} END`);
    }
    // Listed after the columns they guard; PostgreSQL reads every `d.` as the row before the update.
    for (const c of [seq, at])
      assignments.push((v) => `${c} = CASE WHEN ${newer(v)} THEN ${v(c)} ELSE d.${c} END`);
  }
  if (patch.onlyIfExists) {
    const v = (col: string) => {
      const p = param.get(col) as string;
      // A parameter's type is inferred from the column it is compared with or assigned to.
      return col.endsWith("_set_at") ? `${p}::timestamptz` : col.endsWith("_sequence") ? `${p}::int` : p;
    };
    return {
      text: `UPDATE ${table} AS d SET ${assignments.map((a) => a(v)).join(", ")} WHERE d.dossier_id = $1`,
      values,
    };
  }
  const params = values.map((_, i) => `$${i + 1}`).join(", ");
  const updates = assignments.map((a) => a((col) => `EXCLUDED.${col}`));
  const onConflict = updates.length ? `DO UPDATE SET ${updates.join(", ")}` : "DO NOTHING";
  return {
    text: `INSERT INTO ${table} AS d (${cols.join(", ")}) VALUES (${params}) ON CONFLICT (dossier_id) ${onConflict}`,
    values,
  };
}
