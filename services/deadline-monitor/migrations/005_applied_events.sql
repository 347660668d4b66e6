-- Each clock keeps the ids of the events folded into it (docs/decisions.md, "Duplicate-proof
-- consumers"): a copy of an event delivered again, whenever it comes, changes nothing.
ALTER TABLE dossiers ADD COLUMN applied_events jsonb NOT NULL DEFAULT '[]';
ALTER TABLE submissions ADD COLUMN applied_events jsonb NOT NULL DEFAULT '[]';
