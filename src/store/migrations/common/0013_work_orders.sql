-- Work orders (派工单, issue 11 items 1, 2 and 8): a ticket has one or more, each with a lead
-- technician and helpers, an appointment held as a window (R-118…R-120), a status, the work
-- done and the parts used. A second visit is a new work order linked by previous_id (R-061).
CREATE TABLE work_orders (
    id {{ID}},
    number TEXT NOT NULL UNIQUE,
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    kind TEXT NOT NULL CHECK (kind IN ('onsite_repair', 'installation', 'periodic_visit',
                                       'training', 'factory_repair')),
    status TEXT NOT NULL CHECK (status IN ('planned', 'confirmed', 'departed', 'on_site', 'done',
                                           'not_fixed', 'needs_factory', 'cancelled')),
    lead_id BIGINT REFERENCES users(id),
    appointment_at TEXT,
    -- the local (Asia/Shanghai) date of the appointment: the day view and the day= filter
    appointment_day TEXT,
    tolerance_min INTEGER NOT NULL DEFAULT 30,
    early_target_min INTEGER NOT NULL DEFAULT 5,
    -- the planned time on site: two bookings of one person overlap within it (item 8)
    duration_min INTEGER NOT NULL DEFAULT 90,
    latest_notice_at TEXT,
    eta_at TEXT,
    late_notice_at TEXT,
    late_notice TEXT NOT NULL DEFAULT '' CHECK (late_notice IN ('', 'in_time', 'late', 'missing')),
    confirmed_at TEXT,
    departed_at TEXT,
    arrived_at TEXT,
    arrived_lat DOUBLE PRECISION,
    arrived_lon DOUBLE PRECISION,
    lateness_min INTEGER,
    finished_at TEXT,
    result_note TEXT NOT NULL DEFAULT '',
    findings TEXT NOT NULL DEFAULT '',
    work_done TEXT NOT NULL DEFAULT '',
    labour_minutes INTEGER NOT NULL DEFAULT 0,
    customer_comment TEXT NOT NULL DEFAULT '',
    -- item 8: a booking that overrode its conflicts says why (audited)
    override_reason TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    previous_id BIGINT REFERENCES work_orders(id),
    visit_plan_id BIGINT,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX work_orders_ticket ON work_orders(ticket_id, id);
CREATE INDEX work_orders_lead ON work_orders(lead_id, appointment_at);
CREATE INDEX work_orders_day ON work_orders(appointment_day, appointment_at);
CREATE INDEX work_orders_status ON work_orders(status, appointment_at);

CREATE TABLE work_order_helpers (
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (work_order_id, user_id)
);
CREATE INDEX work_order_helpers_user ON work_order_helpers(user_id);

-- parts used, free text until the parts catalogue arrives
CREATE TABLE work_order_parts (
    id {{ID}},
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    name TEXT NOT NULL,
    quantity DOUBLE PRECISION NOT NULL DEFAULT 1,
    unit TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX work_order_parts_wo ON work_order_parts(work_order_id, id);

-- the appointment policy of the company (R-197, A-18): minutes, and whether late notices
-- are sent to the customer
INSERT INTO settings (key, type, value, updated_at) VALUES
    ('appointment_tolerance_min', 'int', '30', '2026-12-05T00:00:00Z'),
    ('appointment_early_target_min', 'int', '5', '2026-12-05T00:00:00Z'),
    ('appointment_notice_lead_min', 'int', '30', '2026-12-05T00:00:00Z'),
    ('appointment_precall_min', 'int', '120', '2026-12-05T00:00:00Z'),
    ('appointment_duration_min', 'int', '90', '2026-12-05T00:00:00Z'),
    ('appointment_messages', 'bool', 'true', '2026-12-05T00:00:00Z');
