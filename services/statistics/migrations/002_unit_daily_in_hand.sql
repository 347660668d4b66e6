-- Sums per unit and day: the grain of the unit, province and series figures. stat_daily keeps the
-- procedure and channel grain for the per-procedure figures; a year of a province is about one of
-- its rows per dossier, this table about 150 a day. Recomputed from stat_daily and the dossier rows
-- for every touched (unit, day), in the same transaction.
CREATE TABLE stat_unit_daily (
  unit_code        text NOT NULL,
  day              date NOT NULL,
  received_direct  int NOT NULL,
  received_online  int NOT NULL,
  received_postal  int NOT NULL,
  finished         int NOT NULL,
  resolved         int NOT NULL,
  stopped          int NOT NULL,
  withdrawn        int NOT NULL,
  early            int NOT NULL,
  on_time          int NOT NULL,
  late             int NOT NULL,
  used_minutes_sum bigint NOT NULL,
  used_count       int NOT NULL,
  -- Late dossiers that finished this day with this unit at fault (whichever unit received them).
  late_at_fault    int NOT NULL,
  PRIMARY KEY (unit_code, day)
);
CREATE INDEX stat_unit_daily_day ON stat_unit_daily (day);

-- When a dossier is in hand: after its reception, up to and including its end (unbounded while
-- open). "In hand at t" is `stat_in_hand(received_at, finished_at) @> t`, which the GiST index
-- answers without reading every dossier received before t: the carried-over and open figures.
-- An end before the reception (clock skew) gives an empty range: never in hand, as before.
CREATE FUNCTION stat_in_hand(received_at timestamptz, finished_at timestamptz) RETURNS tstzrange
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE
    WHEN received_at IS NULL THEN 'empty'::tstzrange
    WHEN finished_at IS NULL THEN tstzrange(received_at, NULL, '(]')
    ELSE tstzrange(received_at, GREATEST(finished_at, received_at), '(]')
  END;
CREATE INDEX stat_dossiers_in_hand ON stat_dossiers USING gist (stat_in_hand(received_at, finished_at));

-- The sums of what is already there.
INSERT INTO stat_unit_daily
SELECT unit_code, day, sum(received_direct), sum(received_online), sum(received_postal), sum(finished),
       sum(resolved), sum(stopped), sum(withdrawn), sum(early), sum(on_time), sum(late), sum(used_minutes_sum),
       sum(used_count), sum(late_at_fault)
FROM (
  SELECT unit_code, day,
         CASE WHEN channel = 'direct' THEN received ELSE 0 END AS received_direct,
         CASE WHEN channel = 'online' THEN received ELSE 0 END AS received_online,
         CASE WHEN channel = 'postal' THEN received ELSE 0 END AS received_postal,
         finished, resolved, stopped, withdrawn, early, on_time, late, used_minutes_sum, used_count,
         0 AS late_at_fault
    FROM stat_daily
  UNION ALL
  SELECT unit_at_fault_code, finished_day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
    FROM stat_dossiers
   WHERE unit_at_fault_code IS NOT NULL AND verdict = 'late' AND received_at IS NOT NULL
     AND finished_day IS NOT NULL
) f
GROUP BY unit_code, day;
