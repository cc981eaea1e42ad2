-- KPI reports (issue 15): repeat-repair rate, first-time fix and survey completion count the
-- tickets resolved in a period. Only resolved tickets are in this index, so ticket intake
-- (the hot path) writes nothing more.
CREATE INDEX tickets_resolved ON tickets(resolved_at) WHERE resolved_at IS NOT NULL;
