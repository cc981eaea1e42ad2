-- Business trips (出差, issue 12 item 4, WF-02 S5-S10, F-06, F-07; R-052, R-053, R-033,
-- R-180): the technicians, the destination told before departure, the estimated days, the
-- progress reports with photos during the trip, the expenses in fen and the feedback form
-- (售后服务信息反馈单) handed in on return, without which the trip does not close.
CREATE TABLE trips (
    id {{ID}},
    status TEXT NOT NULL CHECK (status IN ('planned', 'departed', 'returned', 'closed',
                                           'cancelled')),
    lead_id BIGINT NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL,
    -- the destination (R-052)
    customer_id BIGINT REFERENCES customers(id),
    site_id BIGINT REFERENCES sites(id),
    address TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    site_details TEXT NOT NULL DEFAULT '',
    ticket_id BIGINT REFERENCES tickets(id),
    -- the installation project (issue 12 item 2): no foreign key, built in parallel
    project_id BIGINT,
    est_days INTEGER NOT NULL,
    planned_departure_at TEXT NOT NULL,
    -- the time the technicians are away: planned, then the actual departure and return
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    departed_at TEXT,
    returned_at TEXT,
    closed_at TEXT,
    cancelled_at TEXT,
    cancel_reason TEXT NOT NULL DEFAULT '',
    last_report_at TEXT,
    expense_transport_fen BIGINT NOT NULL DEFAULT 0,
    expense_lodging_fen BIGINT NOT NULL DEFAULT 0,
    expense_allowance_fen BIGINT NOT NULL DEFAULT 0,
    expense_other_fen BIGINT NOT NULL DEFAULT 0,
    -- the feedback form F-07: customer, work done, result of the trip, problems and feedback
    feedback_at TEXT,
    feedback_by BIGINT REFERENCES users(id),
    feedback_work_done TEXT NOT NULL DEFAULT '',
    feedback_result TEXT NOT NULL DEFAULT '',
    feedback_problems TEXT NOT NULL DEFAULT '',
    feedback_customer_opinion TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX trips_status ON trips(status, start_at);
CREATE INDEX trips_ticket ON trips(ticket_id);

-- the technicians: the lead and the others (lead = 1 for the lead)
CREATE TABLE trip_members (
    trip_id BIGINT NOT NULL REFERENCES trips(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    lead INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (trip_id, user_id)
);
CREATE INDEX trip_members_user ON trip_members(user_id);

CREATE TABLE trip_work_orders (
    trip_id BIGINT NOT NULL REFERENCES trips(id),
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    PRIMARY KEY (trip_id, work_order_id)
);

-- progress reports during the trip (R-053)
CREATE TABLE trip_reports (
    id {{ID}},
    trip_id BIGINT NOT NULL REFERENCES trips(id),
    body TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX trip_reports_trip ON trip_reports(trip_id, id);

-- photos of a progress report, in the attachment blob store like work-order photos
CREATE TABLE trip_photos (
    id {{ID}},
    trip_id BIGINT NOT NULL REFERENCES trips(id),
    report_id BIGINT NOT NULL REFERENCES trip_reports(id),
    filename TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX trip_photos_report ON trip_photos(report_id, id);

-- a departed trip with no progress report within this many hours is flagged (R-053)
INSERT INTO settings (key, type, value, updated_at) VALUES
    ('trip_report_interval_h', 'int', '24', '2026-12-05T00:00:00Z');
