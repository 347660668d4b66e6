-- The dossiers behind one unit's figure, in order of reception (GET /v1/stats/dossiers with a unit,
-- the dashboard's last step down): read from the unit's own rows in order, so that a figure the
-- unit has few or none of (a good unit's late dossiers over a year) does not walk the whole
-- reception index of the province. One per attribution's unit column.
CREATE INDEX stat_dossiers_competent_received_at ON stat_dossiers (competent_unit_code, received_at);
CREATE INDEX stat_dossiers_receiving_received_at ON stat_dossiers (receiving_unit_code, received_at);
