-- The SLA report over a month of tickets (report_sla.c) reads each ticket's clocks by the
-- primary key. With every clock's state, deadline and stop time in the key's index (INCLUDE),
-- that is an index-only scan: without them PostgreSQL prefers reading all of ticket_sla
-- (3 000 000 clocks for 1 000 000 tickets: 1.2-1.9 s) to 80 000 probes each with a table
-- read. SQLite needs nothing (its probes read the short clock rows fast enough).
ALTER TABLE ticket_sla DROP CONSTRAINT ticket_sla_pkey,
    ADD PRIMARY KEY (ticket_id, target) INCLUDE (state, due_at, done_at);
