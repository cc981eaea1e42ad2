-- Issue 18 items 1 and 8 (docs/diagnosis.md).
--
-- Item 1 (WF-03 S5–S7, R-058): the technical department's phone diagnosis of a ticket: the
-- findings, the suspected cause, the decision and its reason, and what the decision opened in
-- the same transaction: a visit work order, an RMA (return to factory), a replacement request
-- (with the RMA), or a new linked ticket when a consultation needs field or factory work. The
-- link goes both ways through this table: ticket_id is the diagnosed ticket, linked_ticket_id
-- the one it opened (GET /tickets/{id}/diagnoses of either shows it).
CREATE TABLE ticket_diagnoses (
    id {{ID}},
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    findings TEXT NOT NULL,
    suspected_cause TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL CHECK (decision IN ('solved_remotely', 'onsite_repair',
                                               'return_to_factory', 'replacement', 'answered')),
    reason TEXT NOT NULL,
    effect TEXT NOT NULL CHECK (effect IN ('resolve_remote', 'work_order', 'rma', 'replacement',
                                           'linked_ticket')),
    work_order_id BIGINT REFERENCES work_orders(id),
    rma_id BIGINT REFERENCES rmas(id),
    approval_id BIGINT REFERENCES approvals(id),
    linked_ticket_id BIGINT REFERENCES tickets(id),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX ticket_diagnoses_ticket ON ticket_diagnoses(ticket_id, id);
CREATE INDEX ticket_diagnoses_linked ON ticket_diagnoses(linked_ticket_id);

-- Item 8 (R-098, R-170): products and parts recommended to the customer during a visit,
-- recorded on the work order (the customer and ticket copied from it), and the sales lead
-- each one hands to sales.
CREATE TABLE recommendations (
    id {{ID}},
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    ticket_id BIGINT REFERENCES tickets(id),
    customer_id BIGINT REFERENCES customers(id),
    item_kind TEXT NOT NULL CHECK (item_kind IN ('product', 'part', 'other')),
    code TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    quantity INTEGER NOT NULL DEFAULT 1,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX recommendations_wo ON recommendations(work_order_id);
CREATE INDEX recommendations_customer ON recommendations(customer_id, id);

CREATE TABLE leads (
    id {{ID}},
    recommendation_id BIGINT REFERENCES recommendations(id),
    customer_id BIGINT REFERENCES customers(id),
    ticket_id BIGINT REFERENCES tickets(id),
    work_order_id BIGINT REFERENCES work_orders(id),
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'won', 'lost')),
    owner_id BIGINT REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX leads_status ON leads(status, id);
CREATE INDEX leads_customer ON leads(customer_id);
