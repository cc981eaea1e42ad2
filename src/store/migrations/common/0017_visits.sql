-- Periodic visits (issue 11 item 7, WF-10, R-185): plans for key customers and owned
-- sites, the visits generated from them (one per plan and due date, whatever the number
-- of job instances), and the findings of a visit routed to the technical department.

CREATE TABLE visit_plans (
    id {{ID}},
    name TEXT NOT NULL,
    -- 'visit' (走访 a key customer) or 'patrol' (巡查维护 an owned site)
    purpose TEXT NOT NULL DEFAULT 'visit' CHECK (purpose IN ('visit', 'patrol')),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    site_id BIGINT REFERENCES sites(id),
    -- the sales region the plan is reported under (the customer's when blank at creation)
    region TEXT NOT NULL DEFAULT '',
    every_n INTEGER NOT NULL,
    period TEXT NOT NULL CHECK (period IN ('week', 'month')),
    start_date TEXT NOT NULL,
    end_date TEXT,
    -- local time of the appointment on the due date, "HH:MM" (Asia/Shanghai)
    visit_time TEXT NOT NULL DEFAULT '09:00',
    kind TEXT NOT NULL DEFAULT 'periodic_visit',
    lead_id BIGINT REFERENCES users(id),
    -- create the visit this many days before its due date
    lead_days INTEGER NOT NULL DEFAULT 14,
    active INTEGER NOT NULL DEFAULT 1,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX visit_plans_customer ON visit_plans(customer_id);

-- one row per plan and due date: the primary key makes generation idempotent, also
-- with several job instances on one PostgreSQL database (ON CONFLICT DO NOTHING)
CREATE TABLE visit_plan_runs (
    plan_id BIGINT NOT NULL REFERENCES visit_plans(id),
    due_date TEXT NOT NULL,
    ticket_id BIGINT REFERENCES tickets(id),
    work_order_id BIGINT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, due_date)
);
CREATE INDEX visit_plan_runs_due ON visit_plan_runs(due_date);

-- what the customer said on a visit: product usage and opinions on design, assembly and
-- process (GEN 二.4), routed to the technical department as feedback
CREATE TABLE visit_findings (
    id {{ID}},
    work_order_id BIGINT NOT NULL UNIQUE,
    ticket_id BIGINT REFERENCES tickets(id),
    usage TEXT NOT NULL DEFAULT '',
    design TEXT NOT NULL DEFAULT '',
    assembly TEXT NOT NULL DEFAULT '',
    process TEXT NOT NULL DEFAULT '',
    other TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TEXT NOT NULL,
    routed_department_id BIGINT REFERENCES departments(id),
    routed_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
