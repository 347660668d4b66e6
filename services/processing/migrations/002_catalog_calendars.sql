-- The catalogue's yearly calendars, as last read from the compacted topic: with the units' own
-- sessions they give each step unit's working time for step deadlines.
CREATE TABLE catalog_calendars (
  year     integer PRIMARY KEY,
  revision integer NOT NULL,
  data     jsonb NOT NULL
);
