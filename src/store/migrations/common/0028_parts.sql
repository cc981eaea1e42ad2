-- Issue 14 item 1: spare parts (零配件) with a catalogue (R-016 unified price, cost), stock
-- locations (warehouses and technicians' vans), stock as a ledger of movements with one
-- balance row per (part, location) kept in the same transaction (never below zero), reorder
-- minimums per location, and the faulty parts removed on site (旧件). docs/parts.md.

CREATE TABLE parts (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    models TEXT NOT NULL DEFAULT '',
    unit TEXT NOT NULL DEFAULT '个',
    price_fen BIGINT NOT NULL DEFAULT 0,
    cost_fen BIGINT NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- a warehouse, or a technician's van (technician_id: the user who carries it; one van each)
CREATE TABLE stock_locations (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'warehouse',
    technician_id BIGINT UNIQUE REFERENCES users(id),
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- the ledger: a movement is never edited; qty > 0 leaves from_location_id and/or enters
-- to_location_id. A consumption carries its work order and the priced amount (app/parts.c).
CREATE TABLE stock_movements (
    id {{ID}},
    kind TEXT NOT NULL,
    part_id BIGINT NOT NULL REFERENCES parts(id),
    qty BIGINT NOT NULL CHECK (qty > 0),
    from_location_id BIGINT REFERENCES stock_locations(id),
    to_location_id BIGINT REFERENCES stock_locations(id),
    work_order_id BIGINT REFERENCES work_orders(id),
    ticket_id BIGINT REFERENCES tickets(id),
    billing TEXT NOT NULL DEFAULT '',
    price_basis TEXT NOT NULL DEFAULT '',
    unit_price_fen BIGINT NOT NULL DEFAULT 0,
    amount_fen BIGINT NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX stock_movements_in ON stock_movements(part_id, to_location_id, qty);
CREATE INDEX stock_movements_out ON stock_movements(part_id, from_location_id, qty);
CREATE INDEX stock_movements_wo ON stock_movements(work_order_id);
CREATE INDEX stock_movements_created ON stock_movements(created_at);

-- the stock on hand, one row per (part, location), changed only with a movement in the same
-- transaction: UPDATE … SET qty = qty - n WHERE … AND qty >= n (row lock on PostgreSQL)
CREATE TABLE stock_balances (
    part_id BIGINT NOT NULL REFERENCES parts(id),
    location_id BIGINT NOT NULL REFERENCES stock_locations(id),
    qty BIGINT NOT NULL DEFAULT 0 CHECK (qty >= 0),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (part_id, location_id)
);
CREATE INDEX stock_balances_location ON stock_balances(location_id);

-- reorder alerts: the minimum of a part at a location
CREATE TABLE stock_minimums (
    id {{ID}},
    part_id BIGINT NOT NULL REFERENCES parts(id),
    location_id BIGINT NOT NULL REFERENCES stock_locations(id),
    min_qty BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (part_id, location_id)
);

-- 旧件: a faulty part removed on site, with the technician → back to the factory → received,
-- or scrapped; a third-party (bought-in) component opens a task for purchasing (WF-09 S3a)
CREATE TABLE faulty_parts (
    id {{ID}},
    part_id BIGINT NOT NULL REFERENCES parts(id),
    work_order_id BIGINT REFERENCES work_orders(id),
    technician_id BIGINT REFERENCES users(id),
    qty BIGINT NOT NULL DEFAULT 1,
    serial_no TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'with_technician',
    third_party INTEGER NOT NULL DEFAULT 0,
    supplier TEXT NOT NULL DEFAULT '',
    fault TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    task_id BIGINT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX faulty_parts_technician ON faulty_parts(technician_id);
CREATE INDEX faulty_parts_work_order ON faulty_parts(work_order_id);
