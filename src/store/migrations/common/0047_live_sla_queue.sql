-- The at-risk and breached queues (queue=at_risk / breached: sla_state = … AND status NOT IN
-- ('closed', 'cancelled'), src/app/ticket_entities.c) over 1,000,000 tickets: with
-- tickets_sla_id (sla_state, id) every ticket of the state was read from the table to test
-- its status, for the page and again for the total (~3,000 wide rows per request). Only the
-- live tickets (~2 % of them) are in this index and it holds what both queries read (status
-- last: the order stays the id's), so the total is counted from the index alone (SQLite:
-- covering; PostgreSQL: index-only on all-visible pages) and the page reads its 50 rows only.
-- The WHERE must stay the views' condition word for word (SQLite uses a partial index only
-- when the query repeats it).
CREATE INDEX tickets_live_sla ON tickets(sla_state, id, status)
    WHERE status NOT IN ('closed', 'cancelled');
