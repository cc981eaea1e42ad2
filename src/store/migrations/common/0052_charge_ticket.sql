-- The ticket a charge belongs to, directly (owner ticket) or through its work order (owner
-- work_order: a billed waiting fee, parts used on a visit): the ticket page's charges card
-- lists both (docs/charges.md). Set on create from the owner (src/app/charges.c).
ALTER TABLE charges ADD COLUMN ticket_id BIGINT;
UPDATE charges SET ticket_id = owner_id WHERE owner_kind = 'ticket';
UPDATE charges SET ticket_id = (SELECT w.ticket_id FROM work_orders w WHERE w.id = charges.owner_id)
    WHERE owner_kind = 'work_order';
CREATE INDEX charges_ticket ON charges(ticket_id);
