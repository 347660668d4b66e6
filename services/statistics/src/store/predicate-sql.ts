import { fieldsOf, type Predicate, toSql } from "@tthc/calendar";

/**
 * The predicates of `@tthc/rates` rendered over this service's rows: each field a column of the row
 * aliased `x`, and the period's instants (`start`, `end`, `at`) as query parameters, never
 * PostgreSQL's now(): the instant a period is judged at comes from the service's clock.
 */

const dossierFields: Readonly<Record<string, string>> = {
  receivedAt: "x.received_at",
  finishedAt: "x.finished_at",
  dueAt: "x.due_at",
  dueSoonAt: "x.due_soon_at",
  verdict: "x.verdict",
  endKind: "x.end_kind",
  stopReason: "x.stop_reason",
};

const submissionFields: Readonly<Record<string, string>> = {
  submittedAt: "x.submitted_at",
  decidedAt: "x.decided_at",
  outcome: "x.outcome",
  verdict: "x.verdict",
  dueAt: "x.due_at",
};

/** Where each of the period's instants is among the query's parameters (`$n`). */
export interface InstantParams {
  start?: number;
  end?: number;
  at?: number;
}

function render(p: Predicate, fields: Readonly<Record<string, string>>, params: InstantParams): string {
  return toSql(p, (name) => {
    const column = fields[name];
    if (column) return column;
    const n = params[name as keyof InstantParams];
    if (n !== undefined) return `$${n}::timestamptz`;
    throw new Error(`the predicate reads ${name}, which this query does not supply`);
  });
}

/** A dossier predicate over `stat_dossiers` rows aliased `x`. */
export const dossierSql = (p: Predicate, params: InstantParams) => render(p, dossierFields, params);

/** A submission predicate over `stat_submissions` rows aliased `x`. */
export const submissionSql = (p: Predicate, params: InstantParams) => render(p, submissionFields, params);

/**
 * Parameters for the instants a predicate reads, numbered from `first`: PostgreSQL must know the
 * type of every parameter it is given, so an instant the predicate does not read is not passed.
 */
export function bindInstants(
  p: Predicate,
  instants: { start: string; end: string; at: string },
  first: number,
): { params: InstantParams; values: string[] } {
  const read = fieldsOf(p);
  const params: InstantParams = {};
  const values: string[] = [];
  for (const name of ["start", "end", "at"] as const) {
    if (!read.has(name)) continue;
    params[name] = first + values.length;
    values.push(instants[name]);
  }
  return { params, values };
}
