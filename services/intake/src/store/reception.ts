import { randomUUID } from "node:crypto";
import { enqueue, eventRecord } from "@tthc/bus";
import { localDay } from "@tthc/calendar";
import {
  type Actor,
  type Channel,
  createEvent,
  type DossierState,
  formatDossierCode,
  formatInstant,
  type ReturnChannel,
} from "@tthc/contracts";
import { type Pool, type PoolClient, withTransaction } from "@tthc/service-kit";
import { RECEIVING_LEVELS } from "../domain/catalog.js";
import { type DocumentItem, type Receipt, receiptOf, receivedPayload } from "../domain/reception.js";
import { errors, fieldIssue } from "../errors.js";
import type { CatalogCache, CatalogSnapshot } from "./catalog-cache.js";

/**
 * Reception in one transaction: the idempotency keys, the day's sequence number, the dossier row and
 * the `dossier.received` event in the outbox. A retried request finds its key and gets the first
 * receipt back; a concurrent duplicate waits on the key's unique index and does the same.
 */

export interface Applicant {
  name: string;
  identityNumber: string;
  phone?: string | undefined;
  /** Where notifications by e-mail go, if the applicant gave one. */
  email?: string | undefined;
  address: string;
}

export interface ReceptionCommand {
  channel: Channel;
  procedureCode: string;
  receivingUnitCode: string;
  applicant: Applicant;
  submittedAt: Date | null;
  portalRef: string | null;
  documents: DocumentItem[];
  requestedReturnChannel: ReturnChannel | null;
  /** Given when an accepted online submission becomes the dossier: the same id. */
  dossierId?: string;
  /** `key:<unit>:<Idempotency-Key>` (request hash compared) and `portal:<ref>` (first receipt wins). */
  idempotencyKey: string | null;
  requestHash: string;
  actor: Actor;
  correlationId: string;
  now: Date;
}

export interface ReceptionResult {
  receipt: Receipt;
  created: boolean;
}

/** Thrown inside a reception transaction: roll back and answer with this dossier's first receipt. */
export class Replay {
  constructor(
    readonly dossierId: string,
    readonly sameRequest: boolean,
    /** Where the client wrote the reference that matched, for a 409 that names only it. */
    readonly field = "body.portalRef",
  ) {}
}

/** Checks the procedure and the unit against the catalogue; answers 400 naming the field. */
export function checkCatalogue(
  snapshot: CatalogSnapshot,
  procedureCode: string,
  unitCode: string,
  paths = { procedure: "body.procedureCode", unit: "body.receivingUnitCode" },
) {
  const procedure = snapshot.procedures.get(procedureCode);
  if (!procedure)
    throw errors.UNKNOWN_PROCEDURE(fieldIssue(paths.procedure, `unknown procedure ${procedureCode}`));
  if (!procedure.data.active)
    throw errors.PROCEDURE_INACTIVE(fieldIssue(paths.procedure, `procedure ${procedureCode} is inactive`));
  const unit = snapshot.units.get(unitCode);
  if (!unit) throw errors.UNKNOWN_UNIT(fieldIssue(paths.unit, `unknown unit ${unitCode}`));
  if (!unit.data.active) throw errors.UNIT_INACTIVE(fieldIssue(paths.unit, `unit ${unitCode} is inactive`));
  if (!RECEIVING_LEVELS.includes(unit.data.level))
    throw errors.NOT_A_RECEIVING_UNIT(
      fieldIssue(paths.unit, `unit ${unitCode} is a ${unit.data.level}, not a one-stop centre`),
    );
  return { procedure, unit };
}

const YEAR_MS = 366 * 24 * 3_600_000;
/** Clocks of the portal and of this server may differ a little. */
const FUTURE_TOLERANCE_MS = 60_000;

export function checkSubmittedAt(submittedAt: Date | null, now: Date, path = "body.submittedAt"): void {
  if (submittedAt === null) return;
  if (submittedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    throw errors.SUBMITTED_IN_FUTURE(fieldIssue(path, `${submittedAt.toISOString()} is after now`));
  if (submittedAt.getTime() < now.getTime() - YEAR_MS)
    throw errors.SUBMITTED_TOO_LONG_AGO(fieldIssue(path, "more than a year before now"));
}

/**
 * Claims the idempotency keys, takes the unit's next number of the day and inserts the dossier, in
 * one statement: a round trip instead of three, and the counter's row lock is taken by the last
 * statement but the outbox's before COMMIT (docs/decisions.md, "The reception's code counter"). The
 * counter moves only when every key was claimed, so a replay gives no number away. The code is the
 * contracts' format (`formatDossierCode`): the statement appends the padded number to its prefix,
 * and the caller checks the result against the function before anything is published.
 */
const RECEIVE_SQL = `
WITH claimed AS (
  INSERT INTO reception_keys (key, request_hash, dossier_id)
  SELECT k, $2::text, $1::uuid FROM unnest($3::text[]) AS k
  ON CONFLICT (key) DO NOTHING
  RETURNING key
), counter AS (
  INSERT INTO dossier_code_counters AS c (unit_code, day, last)
  SELECT $4::text, $5::date, 1 WHERE (SELECT count(*) FROM claimed) = cardinality($3::text[])
  ON CONFLICT (unit_code, day) DO UPDATE SET last = c.last + 1
  RETURNING last
), numbered AS (
  SELECT last AS sequence,
         $6::text || CASE WHEN last < 10000 THEN lpad(last::text, 4, '0') ELSE last::text END AS code
  FROM counter
), inserted AS (
  INSERT INTO dossiers (id, code, channel, procedure_code, receiving_unit_code, handling_unit_code,
    submitted_at, received_at, clock_starts_at, due_at, portal_ref, applicant, receipt, received_by,
    state_changed_at)
  SELECT $1::uuid, n.code, $7::text, $8::text, $4::text, $4::text, $9::timestamptz, $10::timestamptz,
    $11::timestamptz, $12::timestamptz, $13::text, $14::jsonb,
    jsonb_set($15::jsonb, '{code}', to_jsonb(n.code)), $16::text, $10::timestamptz
  FROM numbered n
  RETURNING code
)
SELECT ARRAY(SELECT key FROM claimed) AS claimed, n.sequence, n.code
FROM (SELECT 1) AS one LEFT JOIN (numbered n JOIN inserted USING (code)) ON true`;

/** Why a key could not be claimed: the dossier it already names, and whether this is the same request. */
async function replayOf(tx: PoolClient, taken: string[], hash: string): Promise<Replay> {
  const { rows } = await tx.query<{ key: string; request_hash: string; dossier_id: string }>(
    "SELECT key, request_hash, dossier_id FROM reception_keys WHERE key = ANY($1::text[])",
    [taken],
  );
  // The first taken key in the command's order decides, as when the keys were claimed one by one.
  for (const key of taken) {
    const row = rows.find((r) => r.key === key);
    if (!row) continue;
    const portal = key.startsWith("portal:");
    return new Replay(
      row.dossier_id,
      portal || row.request_hash === hash,
      portal ? "body.portalRef" : "headers.idempotency-key",
    );
  }
  throw new Error("a reception key was neither claimed nor found");
}

export async function readReceipt(db: Pool | PoolClient, dossierId: string): Promise<Receipt | undefined> {
  const { rows } = await db.query<{ receipt: Receipt }>("SELECT receipt FROM dossiers WHERE id = $1", [
    dossierId,
  ]);
  return rows[0]?.receipt;
}

export async function receiveDossier(
  pool: Pool,
  cache: CatalogCache,
  cmd: ReceptionCommand,
  hooks: {
    /** First thing in the transaction (lock and check a submission; throw `Replay` or an error). */
    before?: (tx: PoolClient) => Promise<void>;
    /** Last thing before commit. */
    after?: (tx: PoolClient, receipt: Receipt) => Promise<void>;
  } = {},
): Promise<ReceptionResult> {
  const snapshot = await cache.current();
  const { procedure, unit } = checkCatalogue(snapshot, cmd.procedureCode, cmd.receivingUnitCode);
  checkSubmittedAt(cmd.submittedAt, cmd.now);
  const dossierId = cmd.dossierId ?? randomUUID();
  const keys = [
    ...(cmd.idempotencyKey ? [cmd.idempotencyKey] : []),
    ...(cmd.portalRef ? [`portal:${cmd.portalRef}`] : []),
  ];
  const receivedAt = cmd.now;
  const submittedAt = cmd.submittedAt ?? receivedAt;
  const facts = {
    dossierId,
    dossierCode: "",
    channel: cmd.channel,
    procedure: procedure.data,
    procedureRevision: procedure.revision,
    unit: unit.data,
    submittedAt,
    receivedAt,
    requestedReturnChannel: cmd.requestedReturnChannel,
  };
  // Everything but the code is known before the transaction: the calendar work is done outside it.
  const calendar = snapshot.calendars.calendarFor(unit.data.code, receivedAt.getTime());
  const draft = receivedPayload(facts, calendar);
  const draftReceipt = receiptOf(draft, facts, cmd.applicant.name, cmd.documents, cmd.actor.staffId);
  const codePrefix = formatDossierCode(unit.data.electronicId, receivedAt, 1).slice(0, -4);
  try {
    return await withTransaction(pool, async (tx) => {
      if (hooks.before) await hooks.before(tx);
      // Named: each connection parses and plans it once.
      const { rows } = await tx.query<{ claimed: string[]; sequence: number | null; code: string | null }>({
        name: "intake-receive",
        text: RECEIVE_SQL,
        values: [
          dossierId,
          cmd.requestHash,
          keys,
          unit.data.code,
          localDay(receivedAt),
          codePrefix,
          cmd.channel,
          procedure.data.code,
          submittedAt,
          receivedAt,
          draft.clockStartsAt,
          draft.dueAt,
          cmd.portalRef,
          JSON.stringify(cmd.applicant),
          JSON.stringify(draftReceipt),
          cmd.actor.staffId,
        ],
      });
      const numbered = rows[0] as { claimed: string[]; sequence: number | null; code: string | null };
      if (numbered.sequence === null) {
        const taken = keys.filter((k) => !numbered.claimed.includes(k));
        throw await replayOf(tx, taken, cmd.requestHash);
      }
      const dossierCode = formatDossierCode(unit.data.electronicId, receivedAt, numbered.sequence);
      if (numbered.code !== dossierCode)
        throw new Error(`dossier code ${numbered.code} is not the contracts' ${dossierCode}`);
      const payload = { ...draft, dossierCode };
      const receipt: Receipt = { ...draftReceipt, code: dossierCode };
      const event = createEvent(
        "dossier.received",
        {
          dossierId,
          unitCode: unit.data.code,
          actor: cmd.actor,
          correlationId: cmd.correlationId,
          occurredAt: payload.receivedAt,
          payload,
        },
        { now: () => cmd.now },
      );
      await enqueue(tx, [eventRecord(event)]);
      if (hooks.after) await hooks.after(tx, receipt);
      return { receipt, created: true };
    });
  } catch (err) {
    if (!(err instanceof Replay)) throw err;
    if (!err.sameRequest) throw errors.IDEMPOTENCY_KEY_REUSED();
    const receipt = await readReceipt(pool, err.dossierId);
    if (!receipt) throw err;
    // A reference matches only within the receiving unit: another unit's dossier is not answered.
    if (receipt.receivingUnit.code !== cmd.receivingUnitCode)
      throw errors.REFERENCE_TAKEN(fieldIssue(err.field, "already used by another unit"));
    return { receipt, created: false };
  }
}

export interface PublicStatus {
  code: string;
  state: DossierState;
  procedureCode: string;
  receivingUnitCode: string;
  handlingUnitCode: string;
  receivedAt: string;
  dueAt: string;
  stateChangedAt: string;
}

export async function readPublicStatus(pool: Pool, code: string): Promise<PublicStatus | undefined> {
  const { rows } = await pool.query<{
    code: string;
    state: DossierState;
    procedure_code: string;
    receiving_unit_code: string;
    handling_unit_code: string;
    received_at: Date;
    due_at: Date;
    state_changed_at: Date;
  }>(
    `SELECT code, state, procedure_code, receiving_unit_code, handling_unit_code, received_at, due_at,
            state_changed_at
     FROM dossiers WHERE code = $1`,
    [code],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    code: r.code,
    state: r.state,
    procedureCode: r.procedure_code,
    receivingUnitCode: r.receiving_unit_code,
    handlingUnitCode: r.handling_unit_code,
    receivedAt: formatInstant(r.received_at),
    dueAt: formatInstant(r.due_at),
    stateChangedAt: formatInstant(r.state_changed_at),
  };
}

/** The receiving unit of a dossier, for the access check; undefined when no dossier has this code. */
export async function receivingUnitOf(pool: Pool, code: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ unit: string }>(
    "SELECT receiving_unit_code AS unit FROM dossiers WHERE code = $1",
    [code],
  );
  return rows[0]?.unit;
}

export async function readReceiptByCode(pool: Pool, code: string): Promise<Receipt | undefined> {
  const { rows } = await pool.query<{ receipt: Receipt }>("SELECT receipt FROM dossiers WHERE code = $1", [
    code,
  ]);
  return rows[0]?.receipt;
}
