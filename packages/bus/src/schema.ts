import type pg from "pg";

/**
 * The bus's tables, in the service's own schema: the outbox (what is to be published, written in
 * the same transaction as the state change) and the record of handled message ids (written in the
 * same transaction as the handler's effect). Safe to run at every start.
 */
export const busTablesSql = `
CREATE TABLE IF NOT EXISTS bus_outbox (
  id          bigserial PRIMARY KEY,
  message_id  text NOT NULL UNIQUE,
  topic       text NOT NULL,
  key         text NOT NULL,
  value       text NOT NULL,
  headers     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz
);
CREATE INDEX IF NOT EXISTS bus_outbox_unsent ON bus_outbox (id) WHERE sent_at IS NULL;
CREATE INDEX IF NOT EXISTS bus_outbox_sent_at ON bus_outbox (sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS bus_handled (
  consumer    text NOT NULL,
  message_id  text NOT NULL,
  handled_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);
`;

export async function ensureBusTables(pool: pg.Pool | pg.PoolClient): Promise<void> {
  await pool.query(busTablesSql);
}
