-- Nothing reads ticket_sla by state and due time (the scanner uses tickets.next_check_at,
-- 0005): the index only cost three more pages written per ticket intake.
DROP INDEX ticket_sla_due;
