-- Issue 13 item 2: dealers' installation applications (工程项目安装服务申请表 F-15, 工程部安装服务协议
-- F-16; WF-11, R-123…R-127, R-182; docs/dealer-applications.md). A dealer account files from the
-- portal; after-sales answers within one working day in order of submission; the agreement is
-- sent within two working days of approval with the fee of the cabinet_install rule set; the
-- dealer confirms one working day before departure, else the linked trip does not start.
CREATE TABLE dealer_applications (
    id {{ID}},
    dealer_id BIGINT NOT NULL REFERENCES customers(id),
    -- F-15: the project (备案 ref and whether it was registered with factory installation)
    project_name TEXT NOT NULL,
    project_ref TEXT NOT NULL DEFAULT '',
    install_flagged INTEGER NOT NULL DEFAULT 1,
    sets INTEGER NOT NULL,
    sample_order INTEGER NOT NULL DEFAULT 0,
    series TEXT NOT NULL,
    site_address TEXT NOT NULL,
    site_contact TEXT NOT NULL DEFAULT '',
    site_phone TEXT NOT NULL DEFAULT '',
    wanted_from TEXT NOT NULL,
    wanted_to TEXT,
    notes TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'submitted',
    submitted_by BIGINT REFERENCES users(id),
    submitted_at TEXT NOT NULL,
    -- R-123: the answer within one working day of submission
    answer_due_at TEXT NOT NULL,
    answered_by BIGINT REFERENCES users(id),
    answered_at TEXT,
    answer_note TEXT NOT NULL DEFAULT '',
    -- answered while an earlier application was still waiting (flagged, with the note why)
    out_of_order INTEGER NOT NULL DEFAULT 0,
    queue_note TEXT NOT NULL DEFAULT '',
    -- R-124, F-16: the agreement within two working days of approval
    agreement_due_at TEXT,
    agreement_sent_at TEXT,
    agreement_by BIGINT REFERENCES users(id),
    order_no TEXT NOT NULL DEFAULT '',
    price_fen BIGINT,
    appliances INTEGER NOT NULL DEFAULT 0,
    accessories INTEGER NOT NULL DEFAULT 0,
    departure_date TEXT,
    install_fee_fen BIGINT,
    management_fee_fen BIGINT,
    fee_fen BIGINT,
    -- the fee_rule_versions row the fee was computed with (no foreign key: written only by
    -- the calculation that read it)
    fee_version_id BIGINT,
    fee_lines TEXT NOT NULL DEFAULT '',
    -- R-125: the dealer's confirmation one working day before departure
    confirm_due_at TEXT,
    confirmed_at TEXT,
    confirmed_by BIGINT REFERENCES users(id),
    -- the trip whose departure this confirmation guards (no foreign key: checked on link)
    trip_id BIGINT,
    dispatched_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX dealer_applications_queue ON dealer_applications(status, submitted_at);
CREATE INDEX dealer_applications_dealer ON dealer_applications(dealer_id, id);
CREATE INDEX dealer_applications_trip ON dealer_applications(trip_id);
