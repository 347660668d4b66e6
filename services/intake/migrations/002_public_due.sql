-- The public lookup shows the due instant the deadline monitor last set (after a pause, a reset),
-- not only the receipt's: the highest sequence of its sla.deadline-set seen so far.
ALTER TABLE dossiers ADD COLUMN sla_sequence integer NOT NULL DEFAULT -1;
