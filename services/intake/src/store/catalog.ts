import { catalogRecord, enqueue } from "@tthc/bus";
import { type Actor, type CatalogRecord, formatInstant } from "@tthc/contracts";
import type { Pool, PoolClient } from "@tthc/service-kit";
import { type CatalogData, type CatalogEntry, type CatalogType, contentHash } from "../domain/catalog.js";

/**
 * The catalogue's rows (`catalog_records`) and their publication: every change is written with its
 * `catalog` record in the outbox, in one transaction; every instance's in-memory copy follows the topic.
 */

export interface StoredEntry {
  type: CatalogType;
  key: string;
  data: CatalogData;
  revision: number;
  updatedAt: string;
  actor: Actor | null;
}

interface Row {
  type: CatalogType;
  key: string;
  data: CatalogData;
  revision: number;
  updated_at: Date;
  actor: Actor | null;
  seed_hash: string | null;
}

const toStored = (r: Row): StoredEntry => ({
  type: r.type,
  key: r.key,
  data: r.data,
  revision: r.revision,
  updatedAt: formatInstant(r.updated_at),
  actor: r.actor,
});

export function recordOf(e: StoredEntry): CatalogRecord {
  return {
    type: e.type,
    version: 1,
    key: e.key,
    revision: e.revision,
    updatedAt: e.updatedAt,
    ...(e.actor ? { actor: e.actor } : {}),
    data: e.data,
  } as CatalogRecord;
}

export async function readAll(db: Pool | PoolClient): Promise<{ entries: StoredEntry[] }> {
  const { rows } = await db.query<Row>("SELECT * FROM catalog_records ORDER BY key");
  return { entries: rows.map(toStored) };
}

export async function readEntry(db: Pool | PoolClient, key: string): Promise<StoredEntry | undefined> {
  const { rows } = await db.query<Row>("SELECT * FROM catalog_records WHERE key = $1", [key]);
  return rows[0] ? toStored(rows[0]) : undefined;
}

export async function listEntries(
  db: Pool,
  type: CatalogType,
  after: string | null,
  limit: number,
): Promise<StoredEntry[]> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM catalog_records WHERE type = $1 AND ($2::text IS NULL OR key > $2)
     ORDER BY key LIMIT $3`,
    [type, after, limit],
  );
  return rows.map(toStored);
}

async function write(
  tx: PoolClient,
  entry: CatalogEntry,
  revision: number,
  now: Date,
  actor: Actor | null,
  seedHash: string | null | undefined,
): Promise<StoredEntry> {
  const { rows } = await tx.query<Row>(
    `INSERT INTO catalog_records (key, type, data, revision, updated_at, actor, seed_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, revision = EXCLUDED.revision,
       updated_at = EXCLUDED.updated_at, actor = EXCLUDED.actor,
       seed_hash = COALESCE(EXCLUDED.seed_hash, catalog_records.seed_hash)
     RETURNING *`,
    [
      entry.key,
      entry.type,
      JSON.stringify(entry.data),
      revision,
      now,
      actor ? JSON.stringify(actor) : null,
      seedHash ?? null,
    ],
  );
  const stored = toStored(rows[0] as Row);
  await enqueue(tx, [catalogRecord(recordOf(stored))]);
  return stored;
}

/**
 * Applies the seed files at start. A record is written (and published) when it is new, or when the
 * data file's content for it changed since it was last applied; otherwise nothing happens, so a
 * restart neither bumps revisions nor republishes. Edits made over the API stay until the data file
 * itself changes that record. One transaction under an advisory lock: instances starting together
 * apply it once.
 */
export async function applySeed(
  tx: PoolClient,
  entries: readonly CatalogEntry[],
  now: Date,
): Promise<{ written: string[] }> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('intake:catalog-seed'))");
  const { rows } = await tx.query<Pick<Row, "key" | "revision" | "seed_hash">>(
    "SELECT key, revision, seed_hash FROM catalog_records",
  );
  const existing = new Map(rows.map((r) => [r.key, r]));
  const written: string[] = [];
  for (const entry of entries) {
    const hash = contentHash(entry.data);
    const row = existing.get(entry.key);
    if (row && row.seed_hash === hash) continue;
    await write(tx, entry, (row?.revision ?? 0) + 1, now, null, hash);
    written.push(entry.key);
  }
  return { written };
}

/**
 * Writes an entry an admin sent. Content equal to what is stored changes nothing (same revision, no
 * record published); otherwise the revision goes up by one and the record is published.
 */
export async function putEntry(
  tx: PoolClient,
  entry: CatalogEntry,
  actor: Actor,
  now: Date,
): Promise<{ stored: StoredEntry; changed: boolean; created: boolean }> {
  // A lock on the key, not on the row: two first PUTs of a new key must also run one after the other.
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('intake:catalog:' || $1))", [entry.key]);
  const { rows } = await tx.query<Row>("SELECT * FROM catalog_records WHERE key = $1", [entry.key]);
  const current = rows[0];
  if (current && contentHash(current.data) === contentHash(entry.data)) {
    return { stored: toStored(current), changed: false, created: false };
  }
  const stored = await write(tx, entry, (current?.revision ?? 0) + 1, now, actor, undefined);
  return { stored, changed: true, created: current === undefined };
}
