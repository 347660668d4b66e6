import type pg from "pg";

/**
 * The bus's tables, in the service's own schema: the outbox (what is to be published, written in
 * the same transaction as the state change), the relay's watermark (every outbox id at or below
 * it has been published or will never exist) and each consumer's next offset per partition
 * (written in the same transaction as the handler's effect). Safe to run at every start.
 *
 * Consumers once kept a row per handled message id (`bus_handled`); it goes at the first start
 * that finds it. A consumer with no stored offset then reads its topics from the start again,
 * and the records applied again have no second effect because every handler is idempotent by
 * construction.
 *
 * An outbox created before the watermark had a `sent_at` column marked row by row. On the first
 * start that finds it, the watermark begins just below the smallest unsent row (or at the largest
 * id if every row was sent) and the column goes: a few rows may be published again, which consumers
 * drop by event id.
 *
 * The id sequence must hand out ids in the order they are drawn (bigserial's CACHE 1): the relay's
 * gap rule reads "id n < id m" as "n was drawn before m".
 */
export const busTablesSql = `
CREATE TABLE IF NOT EXISTS bus_outbox (
  id          bigserial PRIMARY KEY,
  message_id  text NOT NULL UNIQUE,
  topic       text NOT NULL,
  key         text NOT NULL,
  value       text NOT NULL,
  headers     jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS bus_relay_state (
  one         boolean PRIMARY KEY DEFAULT true CHECK (one),
  watermark   bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = 'bus_outbox'
               AND column_name = 'sent_at') THEN
    INSERT INTO bus_relay_state (watermark)
      SELECT coalesce((SELECT min(id) - 1 FROM bus_outbox WHERE sent_at IS NULL),
                      (SELECT max(id) FROM bus_outbox), 0)
      ON CONFLICT (one) DO NOTHING;
    DROP INDEX IF EXISTS bus_outbox_unsent;
    DROP INDEX IF EXISTS bus_outbox_sent_at;
    ALTER TABLE bus_outbox DROP COLUMN IF EXISTS sent_at;
  END IF;
END $$;

INSERT INTO bus_relay_state (watermark) VALUES (0) ON CONFLICT (one) DO NOTHING;

CREATE TABLE IF NOT EXISTS bus_consumer_offsets (
  consumer    text NOT NULL,
  topic       text NOT NULL,
  partition   integer NOT NULL,
  next_offset bigint NOT NULL,
  PRIMARY KEY (consumer, topic, partition)
);

DROP TABLE IF EXISTS bus_handled;
`;

export async function ensureBusTables(pool: pg.Pool | pg.PoolClient): Promise<void> {
  await pool.query(busTablesSql);
}
