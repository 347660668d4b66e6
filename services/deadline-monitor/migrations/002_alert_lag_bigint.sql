-- An alert for a dossier received with its clock long run out (an online submission accepted weeks
-- later) fires more than 24.8 days after its instant: lag_ms overflowed int, the insert failed and
-- the timer batch holding it was retried for ever, blocking every alert of those partitions.
ALTER TABLE alerts ALTER COLUMN lag_ms TYPE bigint;
