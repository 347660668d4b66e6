-- Webhooks belong to a unit and reach its alerts and those of the units under it; one registered
-- before that (unit_code NULL) reaches nothing until it is registered again by a unit.
-- Each delivery has one id for all its attempts: the `webhook-id` of the Standard Webhooks scheme,
-- by which a receiver drops a duplicate and refuses a replay.
ALTER TABLE webhook_deliveries ADD COLUMN message_id uuid NOT NULL DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX webhook_deliveries_message ON webhook_deliveries (message_id);

-- An attempt records a status or the class of its failure, never a network-level message that would
-- tell an open port from a closed one: earlier messages are reduced to their class.
UPDATE webhook_attempts SET error = CASE
    WHEN error LIKE 'HTTP 3%' THEN 'redirect'
    WHEN error LIKE 'HTTP %' THEN 'http-status'
    WHEN error ILIKE '%timeout%' OR error ILIKE '%aborted%' THEN 'timeout'
    ELSE 'network' END
  WHERE error IS NOT NULL;
