/**
 * A predicate written once and read two ways: evaluated in code on plain values, and rendered as a
 * SQL condition on columns. The overdue boundary, "in hand at an instant" and the other rules of
 * docs/domain.md are predicates of this kind, so that a service's SQL and its code cannot disagree
 * on a boundary (`>` against `>=`).
 *
 * Evaluation follows SQL's three-valued logic: a comparison with a missing value is unknown, and a
 * condition that is unknown does not hold, as in a WHERE clause.
 */

export type Operand = { readonly kind: "field"; readonly name: string };

export type Predicate =
  | {
      readonly kind: "compare";
      readonly op: "<" | "<=" | ">" | ">=";
      readonly left: Operand;
      readonly right: Operand;
    }
  | { readonly kind: "equals"; readonly operand: Operand; readonly value: string | boolean }
  | { readonly kind: "missing"; readonly operand: Operand }
  | { readonly kind: "and" | "or"; readonly items: readonly Predicate[] }
  | { readonly kind: "not"; readonly item: Predicate };

/** A value a predicate reads: instants as epoch milliseconds, or text, or a flag; null when missing. */
export type FieldValue = number | string | boolean | null | undefined;

export const field = (name: string): Operand => ({ kind: "field", name });

export const compare = (left: Operand, op: "<" | "<=" | ">" | ">=", right: Operand): Predicate => ({
  kind: "compare",
  op,
  left,
  right,
});

export const equals = (operand: Operand, value: string | boolean): Predicate => ({
  kind: "equals",
  operand,
  value,
});

export const missing = (operand: Operand): Predicate => ({ kind: "missing", operand });
export const present = (operand: Operand): Predicate => not(missing(operand));
export const and = (...items: Predicate[]): Predicate => ({ kind: "and", items });
export const or = (...items: Predicate[]): Predicate => ({ kind: "or", items });
export const not = (item: Predicate): Predicate => ({ kind: "not", item });

/** true, false, or null (unknown), as SQL would answer. */
export function evaluate(p: Predicate, values: Readonly<Record<string, FieldValue>>): boolean | null {
  const read = (o: Operand): FieldValue => values[o.name];
  switch (p.kind) {
    case "compare": {
      const a = read(p.left);
      const b = read(p.right);
      if (a === null || a === undefined || b === null || b === undefined) return null;
      if (p.op === "<") return a < b;
      if (p.op === "<=") return a <= b;
      if (p.op === ">") return a > b;
      return a >= b;
    }
    case "equals": {
      const v = read(p.operand);
      return v === null || v === undefined ? null : v === p.value;
    }
    case "missing": {
      const v = read(p.operand);
      return v === null || v === undefined;
    }
    case "and": {
      let unknown = false;
      for (const item of p.items) {
        const r = evaluate(item, values);
        if (r === false) return false;
        if (r === null) unknown = true;
      }
      return unknown ? null : true;
    }
    case "or": {
      let unknown = false;
      for (const item of p.items) {
        const r = evaluate(item, values);
        if (r === true) return true;
        if (r === null) unknown = true;
      }
      return unknown ? null : false;
    }
    case "not": {
      const r = evaluate(p.item, values);
      return r === null ? null : !r;
    }
  }
}

/** Whether the predicate holds (unknown does not). */
export function holds(p: Predicate, values: Readonly<Record<string, FieldValue>>): boolean {
  return evaluate(p, values) === true;
}

/**
 * The predicate as a SQL condition: `sqlOf(name)` gives the SQL of each field (a column, an
 * expression, or a `$n` parameter). Strings are rendered as literals; only the rule's own constants
 * become literals, never a caller's input.
 */
export function toSql(p: Predicate, sqlOf: (name: string) => string): string {
  switch (p.kind) {
    case "compare":
      return `(${sqlOf(p.left.name)} ${p.op} ${sqlOf(p.right.name)})`;
    case "equals":
      return typeof p.value === "boolean"
        ? `(${sqlOf(p.operand.name)} = ${p.value ? "true" : "false"})`
        : `(${sqlOf(p.operand.name)} = '${p.value.replaceAll("'", "''")}')`;
    case "missing":
      return `(${sqlOf(p.operand.name)} IS NULL)`;
    case "and":
    case "or":
      return p.items.length === 0
        ? p.kind === "and"
          ? "true"
          : "false"
        : `(${p.items.map((i) => toSql(i, sqlOf)).join(p.kind === "and" ? " AND " : " OR ")})`;
    case "not":
      return `(NOT ${toSql(p.item, sqlOf)})`;
  }
}

/** The fields a predicate reads, for callers that must supply each one. */
export function fieldsOf(p: Predicate, into = new Set<string>()): Set<string> {
  switch (p.kind) {
    case "compare":
      into.add(p.left.name).add(p.right.name);
      break;
    case "equals":
    case "missing":
      into.add(p.operand.name);
      break;
    case "and":
    case "or":
      for (const i of p.items) fieldsOf(i, into);
      break;
    case "not":
      fieldsOf(p.item, into);
      break;
  }
  return into;
}
