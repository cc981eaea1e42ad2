-- The first instant a ticket's unit was sent to the factory (ticket action send_to_factory,
-- WF-05): the on-site SLA clock does not apply from then on when no arrival came first and
-- its deadline had not passed (src/domain/sla.c, docs/tickets.md). Set like the other SLA
-- event columns (src/store/tickets.c); tickets already at the factory take their RMA's
-- creation time.
ALTER TABLE tickets ADD COLUMN factory_at TEXT;
UPDATE tickets SET factory_at = (SELECT MIN(r.created_at) FROM rmas r WHERE r.ticket_id = tickets.id)
    WHERE status = 'at_factory';
