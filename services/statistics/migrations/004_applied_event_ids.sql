-- Idempotent by construction: a dossier or submission row keeps the ids of the events whose
-- overwrites or additions it took (a transfer counts once, an older lifecycle event delivered again
-- after a newer one changes nothing), sorted, so that a row does not depend on how the topics
-- interleave. docs/decisions.md, "Statistics: idempotent by construction".
ALTER TABLE stat_dossiers ADD COLUMN applied_event_ids uuid[] NOT NULL DEFAULT '{}';
ALTER TABLE stat_submissions ADD COLUMN applied_event_ids uuid[] NOT NULL DEFAULT '{}';

-- Rows written before this migration hold no ids: a copy of one of their events delivered again
-- would count again. The service rebuilds them from the topics when it starts (src/pipeline.ts).
INSERT INTO stat_meta (key, value)
SELECT 'upgrade', '004' WHERE EXISTS (SELECT 1 FROM stat_dossiers)
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value;
