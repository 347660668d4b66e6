-- The lifecycle events already applied to the dossier's state, by id: a copy published again (the
-- relay after a crash) is recognised here and changes nothing, whenever it comes (docs/decisions.md,
-- "The public lookup's state, set-based and duplicate-proof"). A dossier has a few dozen at most.
ALTER TABLE dossiers ADD COLUMN applied_event_ids uuid[] NOT NULL DEFAULT '{}';
