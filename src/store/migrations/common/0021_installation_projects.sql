-- Issue 12 items 2 and 5: installation projects (WF-02, R-049), their acceptance (项目验收单,
-- F-24) and training record (培训确认单, F-25, R-189), and the warranty start event (R-136).
-- A project is opened for the units of a contract that includes installation, on receipt of
-- the goods (shipment_id: the shipment of engineer `ship`, no FK while it is built in
-- parallel) or by after-sales; its visits are installation work orders on the project's
-- ticket, linked by work_orders.project_id.
CREATE TABLE installation_projects (
    id {{ID}},
    number TEXT NOT NULL UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    site_id BIGINT REFERENCES sites(id),
    contract_id BIGINT REFERENCES contracts(id),
    ticket_id BIGINT REFERENCES tickets(id),
    shipment_id BIGINT,
    status TEXT NOT NULL CHECK (status IN ('open', 'scheduled', 'in_progress', 'accepted',
                                           'closed')),
    agreed_date TEXT,
    -- the installation deadline (GEN 二.3 “在规定的时间内”): an SLA clock on the company
    -- calendar, from opened_at to deadline_at
    deadline_days INTEGER NOT NULL DEFAULT 10,
    deadline_at TEXT NOT NULL,
    free_seats INTEGER NOT NULL DEFAULT 3,
    training_required INTEGER NOT NULL DEFAULT 1,
    note TEXT NOT NULL DEFAULT '',
    accepted_at TEXT,
    closed_at TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX installation_projects_status ON installation_projects(status, deadline_at);
CREATE INDEX installation_projects_customer ON installation_projects(customer_id, id);

CREATE TABLE installation_project_units (
    project_id BIGINT NOT NULL REFERENCES installation_projects(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (project_id, unit_id)
);
CREATE INDEX installation_project_units_unit ON installation_project_units(unit_id);

ALTER TABLE work_orders ADD COLUMN project_id BIGINT REFERENCES installation_projects(id);
CREATE INDEX work_orders_project ON work_orders(project_id, id);

-- The signed forms: one acceptance (F-24) and one training record (F-25) per project. The
-- content is frozen as JSON (customer, site, units with serials, result; trainees, topics,
-- free seats); the customer's signature is a PNG in the blob store, named by its SHA-256.
CREATE TABLE project_signoffs (
    id {{ID}},
    project_id BIGINT NOT NULL REFERENCES installation_projects(id),
    kind TEXT NOT NULL CHECK (kind IN ('acceptance', 'training')),
    snapshot TEXT NOT NULL,
    signature_sha256 TEXT NOT NULL,
    signature_size INTEGER NOT NULL,
    signature_width INTEGER NOT NULL,
    signature_height INTEGER NOT NULL,
    signer_name TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    trainees INTEGER NOT NULL DEFAULT 0,
    chargeable INTEGER NOT NULL DEFAULT 0,
    signed_at TEXT NOT NULL,
    signed_by BIGINT REFERENCES users(id),
    UNIQUE (project_id, kind)
);

-- R-136 (A-11): the event the warranty starts from; the training topics (R-110: the 9 of
-- the LED SLA, one a line); the installation deadline in working days when the contract
-- gives none.
INSERT INTO settings (key, type, value, updated_at) VALUES
    ('warranty_start_event', 'text', 'install', '2026-12-05T00:00:00Z'),
    ('install_deadline_workdays', 'int', '10', '2026-12-05T00:00:00Z'),
    ('training_topics', 'text', '系统的软件安装
设备在系统中的作用及正确使用方法
设备的检查、调整及测试,常用测量仪表和仪器的使用方法
设备的接地与防雷
显示信息的日常维护
简单的软件故障处理
简单的硬件故障处理
设备的维护保养
系统的日常维护与安全注意事项', '2026-12-05T00:00:00Z');
