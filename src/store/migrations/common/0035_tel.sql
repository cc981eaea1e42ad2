-- Issue 18 items 2, 5 and 6: telephone records (电话记录, F-12, R-038) with the forward to a
-- superior (a task with a due time) and the superior's reply; outside makers (外协厂家) with
-- their after-sales commitment per product model or component (R-013) and the supplier cases
-- purchasing follows with them (WF-09 S3a, R-068); a contract's service requirements reviewed
-- before delivery (R-200).
CREATE TABLE phone_records (
    id {{ID}},
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    called_at TEXT NOT NULL,
    caller TEXT NOT NULL DEFAULT '',
    callee TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    out_of_town_dealer INTEGER NOT NULL DEFAULT 0,
    content TEXT NOT NULL DEFAULT '',
    key_matters TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT '',
    customer_id BIGINT REFERENCES customers(id),
    dealer_id BIGINT REFERENCES customers(id),
    ticket_id BIGINT REFERENCES tickets(id),
    status TEXT NOT NULL DEFAULT 'recorded' CHECK (status IN ('recorded', 'forwarded', 'answered')),
    recorded_by BIGINT REFERENCES users(id),
    forwarded_to BIGINT REFERENCES users(id),
    forwarded_by BIGINT REFERENCES users(id),
    forwarded_at TEXT,
    forward_note TEXT NOT NULL DEFAULT '',
    reply_due_at TEXT,
    task_id BIGINT REFERENCES tasks(id),
    reply TEXT NOT NULL DEFAULT '',
    replied_by BIGINT REFERENCES users(id),
    replied_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX phone_records_called ON phone_records(called_at);
CREATE INDEX phone_records_customer ON phone_records(customer_id);
CREATE INDEX phone_records_dealer ON phone_records(dealer_id);
CREATE INDEX phone_records_ticket ON phone_records(ticket_id);
CREATE INDEX phone_records_due ON phone_records(status, reply_due_at);

CREATE TABLE suppliers (
    id {{ID}},
    name TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- what one outside maker promises for one product model or one component (part)
CREATE TABLE supplier_commitments (
    id {{ID}},
    supplier_id BIGINT NOT NULL REFERENCES suppliers(id),
    model_id BIGINT REFERENCES product_models(id),
    part_id BIGINT REFERENCES parts(id),
    response_hours INTEGER NOT NULL,
    contacts TEXT NOT NULL DEFAULT '',
    terms TEXT NOT NULL DEFAULT '',
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX supplier_commitments_part ON supplier_commitments(part_id);
CREATE INDEX supplier_commitments_model ON supplier_commitments(model_id);

-- a problem routed to purchasing and from there to the outside maker (WF-09 S3a)
CREATE TABLE supplier_cases (
    id {{ID}},
    state TEXT NOT NULL DEFAULT 'to_purchasing'
        CHECK (state IN ('to_purchasing', 'sent_to_supplier', 'answered', 'closed')),
    ticket_id BIGINT REFERENCES tickets(id),
    faulty_part_id BIGINT REFERENCES faulty_parts(id),
    part_id BIGINT REFERENCES parts(id),
    model_id BIGINT REFERENCES product_models(id),
    supplier_id BIGINT NOT NULL REFERENCES suppliers(id),
    commitment_id BIGINT NOT NULL REFERENCES supplier_commitments(id),
    response_hours INTEGER NOT NULL,
    problem TEXT NOT NULL DEFAULT '',
    task_id BIGINT REFERENCES tasks(id),
    sent_at TEXT,
    sent_by BIGINT REFERENCES users(id),
    answer TEXT NOT NULL DEFAULT '',
    answered_at TEXT,
    answered_by BIGINT REFERENCES users(id),
    hours_taken INTEGER,
    outcome TEXT CHECK (outcome IN ('met', 'late')),
    closed_at TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX supplier_cases_ticket ON supplier_cases(ticket_id);
CREATE INDEX supplier_cases_state ON supplier_cases(state);

ALTER TABLE contracts ADD COLUMN service_owed TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN special_requirements TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN requirements_reviewed_by BIGINT REFERENCES users(id);
ALTER TABLE contracts ADD COLUMN requirements_reviewed_at TEXT;
