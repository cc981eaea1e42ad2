-- The KPI reports and the dashboard over 1,000,000 tickets (issue 15 done-when: any month's
-- report in <= 1 s, the dashboard's first paint in <= 1 s). Each of their ticket scans reads
-- a month of tickets by one time column and filters on the report filters (status,
-- department, assignee, customer, model, region): with those columns in the index the scan
-- never reads the table rows (wide: description, search text), on SQLite a covering index,
-- on PostgreSQL an index-only scan (which needs id in the index: the joins read it; on
-- SQLite the rowid is in every index anyway). Plain indexes, so always right: no stored figure can
-- go stale under concurrent or back-dated writes.
-- SLA compliance (report_sla.c): tickets by received_at. Replaces the one-column index of
-- the same name (still the leading column, so every other use is unchanged).
DROP INDEX tickets_received;
CREATE INDEX tickets_received ON tickets(received_at, status, department_id, assignee_id,
    customer_id, model_id, region, id);
-- Repeat repairs, first-time fix, survey completion (report_quality.c): tickets resolved in
-- the period, with the type and repeat_of they count.
DROP INDEX tickets_resolved;
CREATE INDEX tickets_resolved ON tickets(resolved_at, status, type, repeat_of, department_id,
    assignee_id, customer_id, model_id, region, id) WHERE resolved_at IS NOT NULL;
-- The dashboard's open tickets by state and age (report_dashboard.c open_tickets): only the
-- open tickets (~2 % of them) are in it; the WHERE must stay the query's IN list, word for
-- word (SQLite uses a partial index only when the query repeats its condition).
CREATE INDEX tickets_open_age ON tickets(status, received_at, department_id, assignee_id,
    customer_id, model_id, region) WHERE status IN ('new', 'assigned', 'in_progress',
    'waiting_customer', 'visit_scheduled', 'on_site', 'at_factory');
