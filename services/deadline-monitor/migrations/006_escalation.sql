-- The escalation of an overdue dossier (src/domain/escalation.ts): each step is a timer beside the
-- deadlines', counted from the date promised to the applicant (the due instant, or an extension's
-- new date).
ALTER TABLE timers DROP CONSTRAINT timers_kind_check;
ALTER TABLE timers ADD CONSTRAINT timers_kind_check
  CHECK (kind IN ('due-soon', 'overdue', 'acceptance-due-soon', 'acceptance-overdue',
                  'escalation-unit', 'escalation-parent', 'escalation-centre'));

ALTER TABLE dossiers ADD COLUMN promised_at timestamptz;
UPDATE dossiers d SET promised_at = COALESCE(
  (SELECT (e->>'newDueAt')::timestamptz FROM jsonb_array_elements(d.clock->'events') e
   WHERE e->>'type' = 'extend' LIMIT 1),
  d.due_at);

-- The open dossiers' first step, as the consumer would have put it.
INSERT INTO timers (dossier_id, kind, partition, fire_at, deadline)
SELECT id, 'escalation-unit', partition, promised_at, promised_at FROM dossiers
WHERE status = 'open' AND due_at IS NOT NULL AND due_soon_at IS NOT NULL AND promised_at IS NOT NULL
ON CONFLICT DO NOTHING;
