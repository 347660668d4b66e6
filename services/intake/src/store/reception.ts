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

async function nextSequence(tx: PoolClient, unitCode: string, day: string): Promise<number> {
  const { rows } = await tx.query<{ last: number }>(
    `INSERT INTO dossier_code_counters (unit_code, day, last) VALUES ($1, $2, 1)
     ON CONFLICT (unit_code, day) DO UPDATE SET last = dossier_code_counters.last + 1
     RETURNING last`,
    [unitCode, day],
  );
  return rows[0]?.last as number;
}

async function claimKey(tx: PoolClient, key: string, hash: string, dossierId: string): Promise<void> {
  const inserted = await tx.query(
    `INSERT INTO reception_keys (key, request_hash, dossier_id) VALUES ($1, $2, $3)
     ON CONFLICT (key) DO NOTHING RETURNING key`,
    [key, hash, dossierId],
  );
  if (inserted.rowCount === 1) return;
  const { rows } = await tx.query<{ request_hash: string; dossier_id: string }>(
    "SELECT request_hash, dossier_id FROM reception_keys WHERE key = $1",
    [key],
  );
  const row = rows[0] as { request_hash: string; dossier_id: string };
  const portal = key.startsWith("portal:");
  throw new Replay(
    row.dossier_id,
    portal || row.request_hash === hash,
    portal ? "body.portalRef" : "headers.idempotency-key",
  );
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
  try {
    return await withTransaction(pool, async (tx) => {
      if (hooks.before) await hooks.before(tx);
      for (const key of keys) await claimKey(tx, key, cmd.requestHash, dossierId);
      const receivedAt = cmd.now;
      const submittedAt = cmd.submittedAt ?? receivedAt;
      const sequence = await nextSequence(tx, unit.data.code, localDay(receivedAt));
      const dossierCode = formatDossierCode(unit.data.electronicId, receivedAt, sequence);
      const facts = {
        dossierId,
        dossierCode,
        channel: cmd.channel,
        procedure: procedure.data,
        procedureRevision: procedure.revision,
        unit: unit.data,
        submittedAt,
        receivedAt,
        requestedReturnChannel: cmd.requestedReturnChannel,
      };
      const calendar = snapshot.calendars.calendarFor(unit.data.code, receivedAt.getTime());
      const payload = receivedPayload(facts, calendar);
      const receipt = receiptOf(payload, facts, cmd.applicant.name, cmd.documents, cmd.actor.staffId);
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
      await tx.query(
        `INSERT INTO dossiers (id, code, channel, procedure_code, receiving_unit_code, handling_unit_code,
           submitted_at, received_at, clock_starts_at, due_at, portal_ref, applicant, receipt, received_by,
           state_changed_at)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11, $12, $13, $7)`,
        [
          dossierId,
          dossierCode,
          cmd.channel,
          procedure.data.code,
          unit.data.code,
          submittedAt,
          receivedAt,
          payload.clockStartsAt,
          payload.dueAt,
          cmd.portalRef,
          JSON.stringify(cmd.applicant),
          JSON.stringify(receipt),
          cmd.actor.staffId,
        ],
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
