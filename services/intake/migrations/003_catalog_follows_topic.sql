-- Instances keep the catalogue in memory from the `catalog` topic (docs/decisions.md, "The
-- catalogue reception reads"): no instance polls a generation any more.
DROP TABLE catalog_generation;
