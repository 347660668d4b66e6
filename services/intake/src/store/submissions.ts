import { randomUUID } from "node:crypto";
import { enqueue, eventRecord } from "@tthc/bus";
import { type AnyEvent, formatInstant } from "@tthc/contracts";
import { type Pool, type PoolClient, withTransaction } from "@tthc/service-kit";
import type { DocumentItem } from "../domain/reception.js";
import { errors, fieldIssue } from "../errors.js";
import type { Applicant } from "./reception.js";

/**
 * Online submissions awaiting acceptance (states 1, 3, 5 of docs/domain.md). Each transition updates the
 * row and writes its event in one transaction; a state that forbids it is a 409 and changes nothing.
 */

export type SubmissionState = "submitted" | "awaiting_supplement" | "refused" | "received" | "stopped";

export interface Submission {
  id: string;
  portalRef: string;
  procedureCode: string;
  receivingUnitCode: string;
  state: SubmissionState;
  submittedAt: string;
  applicant: Applicant;
  documents: DocumentItem[];
  supplementRequests: number;
  supplementRequestedAt: string | null;
  dossierCode: string | null;
  requestHash: string;
}

interface Row {
  id: string;
  portal_ref: string;
  procedure_code: string;
  receiving_unit_code: string;
  state: SubmissionState;
  submitted_at: Date;
  applicant: Applicant;
  documents: DocumentItem[];
  supplement_requests: number;
  supplement_requested_at: Date | null;
  dossier_code: string | null;
  request_hash: string;
}

const toSubmission = (r: Row): Submission => ({
  id: r.id,
  portalRef: r.portal_ref,
  procedureCode: r.procedure_code,
  receivingUnitCode: r.receiving_unit_code,
  state: r.state,
  submittedAt: formatInstant(r.submitted_at),
  applicant: r.applicant,
  documents: r.documents,
  supplementRequests: r.supplement_requests,
  supplementRequestedAt: r.supplement_requested_at ? formatInstant(r.supplement_requested_at) : null,
  dossierCode: r.dossier_code,
  requestHash: r.request_hash,
});

/** What staff and the portal see of a submission (the applicant's name only). */
export function submissionView(s: Submission) {
  return {
    id: s.id,
    portalRef: s.portalRef,
    procedureCode: s.procedureCode,
    receivingUnitCode: s.receivingUnitCode,
    state: s.state,
    submittedAt: s.submittedAt,
    applicantName: s.applicant.name,
    documents: s.documents,
    supplementRequests: s.supplementRequests,
    dossierCode: s.dossierCode,
  };
}

export async function readSubmission(
  db: Pool | PoolClient,
  id: string,
  lock = false,
): Promise<Submission | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM submissions WHERE id = $1${lock ? " FOR UPDATE" : ""}`,
    [id],
  );
  return rows[0] ? toSubmission(rows[0]) : undefined;
}

export interface NewSubmission {
  portalRef: string;
  procedureCode: string;
  receivingUnitCode: string;
  applicant: Applicant;
  documents: DocumentItem[];
  submittedAt: Date;
  requestHash: string;
}

/** Records a submission and `dossier.submitted`; the same portal reference again returns the first. */
export async function createSubmission(
  pool: Pool,
  s: NewSubmission,
  event: (id: string) => AnyEvent,
): Promise<{ submission: Submission; created: boolean }> {
  return withTransaction(pool, async (tx) => {
    const id = randomUUID();
    const { rows } = await tx.query<Row>(
      `INSERT INTO submissions (id, portal_ref, procedure_code, receiving_unit_code, state, submitted_at,
         applicant, documents, request_hash)
       VALUES ($1, $2, $3, $4, 'submitted', $5, $6, $7, $8)
       ON CONFLICT (portal_ref) DO NOTHING RETURNING *`,
      [
        id,
        s.portalRef,
        s.procedureCode,
        s.receivingUnitCode,
        s.submittedAt,
        JSON.stringify(s.applicant),
        JSON.stringify(s.documents),
        s.requestHash,
      ],
    );
    if (rows[0]) {
      await enqueue(tx, [eventRecord(event(id))]);
      return { submission: toSubmission(rows[0]), created: true };
    }
    const existing = await tx.query<Row>("SELECT * FROM submissions WHERE portal_ref = $1", [s.portalRef]);
    const first = toSubmission(existing.rows[0] as Row);
    // The portal's reference matches only within the receiving unit: another unit's is not answered.
    if (first.receivingUnitCode !== s.receivingUnitCode)
      throw errors.REFERENCE_TAKEN(fieldIssue("body.portalRef", "already used by another unit"));
    return { submission: first, created: false };
  });
}

/**
 * One transition: lock the row, check the state (409 otherwise), update it, and write the event the
 * transition builds. The caller's unit was checked by the route's access rule.
 */
export async function transition(
  pool: Pool,
  id: string,
  from: readonly SubmissionState[],
  apply: (s: Submission) => { to: SubmissionState; set?: Record<string, unknown>; event: AnyEvent },
): Promise<Submission> {
  return withTransaction(pool, async (tx) => {
    const current = await readSubmission(tx, id, true);
    if (!current) throw errors.SUBMISSION_NOT_FOUND({ id });
    if (!from.includes(current.state))
      throw errors.SUBMISSION_STATE_FORBIDS({ state: current.state, allowedFrom: from });
    const { to, set = {}, event } = apply(current);
    const columns = Object.keys(set);
    const assignments = columns.map((c, i) => `${c} = $${i + 5}`);
    const { rows } = await tx.query<Row>(
      `UPDATE submissions SET state = $2, updated_at = now(),
         history = history || jsonb_build_array(jsonb_build_object('type', $3::text, 'at', $4::text))
         ${assignments.length ? `, ${assignments.join(", ")}` : ""}
       WHERE id = $1 RETURNING *`,
      [id, to, event.type, event.occurredAt, ...columns.map((c) => set[c])],
    );
    await enqueue(tx, [eventRecord(event)]);
    return toSubmission(rows[0] as Row);
  });
}

/** The receiving unit of a submission, for the access check; undefined when there is no such submission. */
export async function submissionUnitOf(pool: Pool, id: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ unit: string }>(
    "SELECT receiving_unit_code AS unit FROM submissions WHERE id = $1",
    [id],
  );
  return rows[0]?.unit;
}
