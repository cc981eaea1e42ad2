-- Issue 14 items 4 and 5 (WF-07, WF-09, WF-21, R-037, R-066, R-068, R-164; form F-11
-- 客户抱怨(退货)通知单; docs/complaints.md): the complaint/return notice with its routing to the
-- responsible departments, the escalation of a serious quality problem (重大质量问题) to the
-- general manager, the analysis, the action taken, QA's verification and the decision with
-- its charge or credit; and the material-sample requests of the after-sales side.
CREATE TABLE complaints (
    id {{ID}},
    number TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL DEFAULT 'received'
        CHECK (state IN ('received', 'routed', 'analysed', 'action_taken', 'verified', 'closed',
                         'refused')),
    -- F-11: how it came in (信件、传真件、上门投诉、寄上质量问题的样品, or a call)
    channel TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT 'quality',
    -- where the defect was found: the customer, or the company's own installation, visit, picking
    source TEXT NOT NULL DEFAULT 'customer',
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    ticket_id BIGINT REFERENCES tickets(id),
    unit_id BIGINT REFERENCES units(id),
    model_id BIGINT REFERENCES product_models(id),
    product TEXT NOT NULL DEFAULT '',
    batch TEXT NOT NULL DEFAULT '',
    quantity INTEGER NOT NULL DEFAULT 1,
    description TEXT NOT NULL,
    request TEXT NOT NULL,
    sample_received INTEGER NOT NULL DEFAULT 0,
    sample_received_on TEXT,
    received_on TEXT NOT NULL,
    defect TEXT,
    serious INTEGER NOT NULL DEFAULT 0,
    escalated_at TEXT,
    bought_in INTEGER NOT NULL DEFAULT 0,
    staff_user_id BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    cause_category TEXT CHECK (cause_category IN ('manufacturing', 'assembly', 'material',
                                                  'design', 'installation', 'use')),
    cause_analysis TEXT NOT NULL DEFAULT '',
    corrective_action TEXT NOT NULL DEFAULT '',
    analysed_by BIGINT REFERENCES users(id),
    analysed_at TEXT,
    decision TEXT CHECK (decision IN ('repair', 'replace', 'refuse', 'credit')),
    action_note TEXT NOT NULL DEFAULT '',
    charge_fen BIGINT,
    credit_fen BIGINT,
    charge_id BIGINT REFERENCES charges(id),
    acted_by BIGINT REFERENCES users(id),
    acted_at TEXT,
    verification TEXT NOT NULL DEFAULT '',
    verified_by BIGINT REFERENCES users(id),
    verified_at TEXT,
    closed_at TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX complaints_state ON complaints(state, id);
CREATE INDEX complaints_received ON complaints(received_on);
CREATE INDEX complaints_customer ON complaints(customer_id);
CREATE INDEX complaints_ticket ON complaints(ticket_id);

-- The departments (or roles) a notice is routed to, each acknowledging it (由相关部门做出处理).
CREATE TABLE complaint_routes (
    id {{ID}},
    complaint_id BIGINT NOT NULL REFERENCES complaints(id),
    department_id BIGINT REFERENCES departments(id),
    role TEXT,
    note TEXT NOT NULL DEFAULT '',
    acknowledged_by BIGINT REFERENCES users(id),
    acknowledged_at TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX complaint_routes_complaint ON complaint_routes(complaint_id, id);

-- The notice's timeline: every action with its note.
CREATE TABLE complaint_events (
    id {{ID}},
    complaint_id BIGINT NOT NULL REFERENCES complaints(id),
    action TEXT NOT NULL,
    from_state TEXT NOT NULL DEFAULT '',
    to_state TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    actor_id BIGINT REFERENCES users(id),
    at TEXT NOT NULL
);
CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, id);

-- WF-21 (DEN 5.2): material samples and sample making asked for by the after-sales side.
CREATE TABLE material_samples (
    id {{ID}},
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    customer_id BIGINT REFERENCES customers(id),
    complaint_id BIGINT REFERENCES complaints(id),
    quantity INTEGER NOT NULL DEFAULT 1,
    requested_by BIGINT REFERENCES users(id),
    owner_id BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    due_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'requested'
        CHECK (status IN ('requested', 'in_progress', 'done', 'cancelled')),
    result TEXT NOT NULL DEFAULT '',
    done_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX material_samples_open ON material_samples(status, due_on);
