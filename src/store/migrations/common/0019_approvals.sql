-- Issue 12 items 3 and 7: market-support approvals (市场支持申请单, F-05, R-051, A-04) with
-- the company's approval matrix, and department coordination requests (部门协调单, F-08,
-- WF-22, R-034).

-- The approval matrix (A-04: approvals bound to a role, the holder is data): which kind of
-- request needs whose approval, a role or one user, and the deputy who decides while the
-- approver is away. A kind without a row goes to the general manager (gm).
CREATE TABLE approval_rules (
    id {{ID}},
    kind TEXT NOT NULL UNIQUE,
    approver_role TEXT,
    approver_user_id BIGINT REFERENCES users(id),
    deputy_user_id BIGINT REFERENCES users(id),
    approver_away INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

INSERT INTO approval_rules (kind, approver_role, created_at, updated_at) VALUES
    ('installation', 'gm', '2026-12-05T00:00:00Z', '2026-12-05T00:00:00Z'),
    ('onsite_repair', 'gm', '2026-12-05T00:00:00Z', '2026-12-05T00:00:00Z');

-- One market-support request: filed by sales, decided by the approver the matrix named when
-- it was filed (or the rule's deputy while the approver is away).
CREATE TABLE approvals (
    id {{ID}},
    kind TEXT NOT NULL,
    purpose TEXT NOT NULL,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    site TEXT NOT NULL DEFAULT '',
    units TEXT NOT NULL DEFAULT '',
    technicians INTEGER NOT NULL DEFAULT 1,
    trip_days INTEGER NOT NULL DEFAULT 1,
    cost_fen BIGINT NOT NULL DEFAULT 0,
    ticket_id BIGINT REFERENCES tickets(id),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    -- the approver named when it was filed; the rule's deputy decides while they are away
    rule_id BIGINT REFERENCES approval_rules(id),
    approver_role TEXT,
    approver_user_id BIGINT REFERENCES users(id),
    requested_by BIGINT REFERENCES users(id),
    -- one working day of the company calendar after filing: pending beyond it is overdue
    decision_due_at TEXT,
    decided_by BIGINT REFERENCES users(id),
    decided_at TEXT,
    comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX approvals_status ON approvals(status, decision_due_at);
CREATE INDEX approvals_ticket ON approvals(ticket_id, status);

-- Department coordination (部门协调单): after-sales asks another department for a vehicle,
-- manpower, technical support, a materials check or a delivery date. project_id and
-- shipment_id name records of other modules (no foreign key: those tables may not exist).
CREATE TABLE coordination_requests (
    id {{ID}},
    kind TEXT NOT NULL,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    subject TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    customer_id BIGINT REFERENCES customers(id),
    ticket_id BIGINT REFERENCES tickets(id),
    project_id BIGINT,
    shipment_id BIGINT,
    due_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'raised'
        CHECK (status IN ('raised', 'acknowledged', 'fulfilled', 'refused', 'closed')),
    reply TEXT NOT NULL DEFAULT '',
    replied_by BIGINT REFERENCES users(id),
    replied_at TEXT,
    requested_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX coordination_open ON coordination_requests(status, due_at);
CREATE INDEX coordination_ticket ON coordination_requests(ticket_id);

-- the calendar whose working day bounds an approval's decision (calendars.code)
INSERT INTO settings (key, type, value, updated_at) VALUES
    ('approval_calendar', 'text', '5x8', '2026-12-05T00:00:00Z');
