-- Service requests (工单): intake, lifecycle events, SLA clocks, attachments, the
-- notification outbox. Calendars and SLA policies are data, chosen per ticket.

CREATE TABLE fault_categories (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    product_category TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE calendars (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('24x7', '6x24', 'hours')),
    utc_offset_minutes INTEGER NOT NULL DEFAULT 480,
    -- for kind 'hours': weekly intervals "1-5 08:30-12:00,13:00-17:30;6 09:00-12:00"
    hours TEXT NOT NULL DEFAULT '',
    use_cn_holidays INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- public holidays and make-up working days (调休), loaded per year
CREATE TABLE calendar_days (
    id {{ID}},
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL DEFAULT '',
    calendar_id BIGINT REFERENCES calendars(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX calendar_days_day ON calendar_days(day, COALESCE(calendar_id, 0));

CREATE TABLE sla_policies (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    calendar_id BIGINT NOT NULL REFERENCES calendars(id),
    contract_id BIGINT REFERENCES contracts(id),
    customer_tier TEXT CHECK (customer_tier IN ('key', 'normal')),
    ticket_type TEXT,
    reply_minutes INTEGER NOT NULL DEFAULT 1440,
    remote_minutes INTEGER NOT NULL DEFAULT 120,
    onsite_minutes INTEGER NOT NULL DEFAULT 2880,
    onsite_start TEXT NOT NULL DEFAULT 'not_remote_fixable' CHECK (onsite_start IN ('received', 'not_remote_fixable', 'visit_scheduled')),
    resolve_minutes INTEGER,
    at_risk_percent INTEGER NOT NULL DEFAULT 80,
    notify_around_clock INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE ticket_counters (
    day TEXT PRIMARY KEY,
    n INTEGER NOT NULL
);

CREATE TABLE tickets (
    id {{ID}},
    number TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    priority TEXT NOT NULL DEFAULT 'normal',
    customer_id BIGINT REFERENCES customers(id),
    unit_id BIGINT REFERENCES units(id),
    model_id BIGINT REFERENCES product_models(id),
    region TEXT NOT NULL DEFAULT '',
    caller_name TEXT NOT NULL DEFAULT '',
    caller_phone TEXT NOT NULL DEFAULT '',
    fault_category TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    required_arrival_at TEXT,
    received_at TEXT NOT NULL,
    assignee_id BIGINT REFERENCES users(id),
    department_id BIGINT REFERENCES departments(id),
    sla_policy_id BIGINT REFERENCES sla_policies(id),
    sla_state TEXT NOT NULL DEFAULT 'ok',
    next_due_at TEXT,
    billing TEXT NOT NULL DEFAULT 'warranty',
    warranty_status TEXT NOT NULL DEFAULT 'unknown',
    warranty_json TEXT,
    exclusion TEXT,
    exclusion_reason TEXT,
    repeat_of BIGINT REFERENCES tickets(id),
    merged_into BIGINT REFERENCES tickets(id),
    -- SLA events: the first instant of each (A-03)
    replied_at TEXT,
    remote_solved_at TEXT,
    not_remote_at TEXT,
    visit_scheduled_at TEXT,
    visit_at TEXT,
    arrived_at TEXT,
    promised_arrival_at TEXT,
    resolved_at TEXT,
    closed_at TEXT,
    next_check_at TEXT,
    search TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tickets_status ON tickets(status, id);
CREATE INDEX tickets_customer ON tickets(customer_id, id);
CREATE INDEX tickets_unit ON tickets(unit_id, id);
-- only tickets with a clock running are ever due for the scanner
CREATE INDEX tickets_next_check ON tickets(next_check_at) WHERE next_check_at IS NOT NULL;
CREATE INDEX tickets_received ON tickets(received_at);
CREATE INDEX tickets_caller_phone ON tickets(caller_phone);

-- one row per SLA target of a ticket: reply, remote, onsite, resolve
CREATE TABLE ticket_sla (
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    target TEXT NOT NULL,
    started_at TEXT,
    due_at TEXT,
    done_at TEXT,
    budget_seconds BIGINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'running',
    escalation_level INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (ticket_id, target)
);
CREATE INDEX ticket_sla_due ON ticket_sla(state, due_at);

-- the clock pauses while the ticket waits on the customer
CREATE TABLE ticket_pauses (
    id {{ID}},
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    started_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX ticket_pauses_ticket ON ticket_pauses(ticket_id);

CREATE TABLE ticket_events (
    id {{ID}},
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    at TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    actor TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    visibility TEXT NOT NULL DEFAULT 'internal' CHECK (visibility IN ('internal', 'customer')),
    body TEXT NOT NULL DEFAULT '',
    data TEXT
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);

CREATE TABLE attachments (
    id {{ID}},
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    event_id BIGINT REFERENCES ticket_events(id),
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX attachments_ticket ON attachments(ticket_id);

CREATE TABLE outbox (
    id {{ID}},
    created_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT 'email',
    recipient_user_id BIGINT REFERENCES users(id),
    recipient TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    ticket_id BIGINT REFERENCES tickets(id),
    deliver_after TEXT NOT NULL,
    sent_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    dedupe_key TEXT UNIQUE
);
CREATE INDEX outbox_pending ON outbox(sent_at, deliver_after);

INSERT INTO calendars (code, name, kind, hours, created_at, updated_at) VALUES
    ('24x7', '全天候 24x7', '24x7', '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('6x24', '周一至周六 6x24', '6x24', '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('5x8', '工作日 08:30-17:30', 'hours', '1-5 08:30-12:00,13:00-17:30', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');

INSERT INTO sla_policies (code, name, calendar_id, reply_minutes, remote_minutes, onsite_minutes, created_at, updated_at) VALUES
    ('default', '标准服务 (24h 回复 / 2h 远程 / 48h 到场)', 3, 1440, 120, 2880, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
INSERT INTO sla_policies (code, name, calendar_id, customer_tier, reply_minutes, remote_minutes, onsite_minutes, created_at, updated_at) VALUES
    ('key-6x24', '重点客户 6x24', 2, 'key', 240, 120, 1440, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');

INSERT INTO fault_categories (code, name, name_en, product_category, created_at, updated_at) VALUES
    ('no_power', '无法开机/不通电', 'Does not power on', 'equipment', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('display', '显示异常/坏点/花屏', 'Display fault', 'equipment', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('mechanical', '机械故障/异响', 'Mechanical fault', 'equipment', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('electrical', '电气故障/跳闸', 'Electrical fault', 'equipment', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('software', '软件/系统故障', 'Software fault', 'software', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('network', '网络/通讯故障', 'Network fault', 'equipment', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('calibration', '精度/校准偏差', 'Calibration drift', 'equipment', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('leak', '漏水/漏气', 'Leak', 'equipment', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('material_quality', '材料质量问题', 'Material quality', 'material', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('installation', '安装质量问题', 'Installation workmanship', 'accessory', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('damage', '运输/到货损坏', 'Damaged on arrival', 'equipment', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('usage', '使用咨询', 'How-to question', '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('other', '其他', 'Other', '', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
