-- Shipments (发货流程, WF-01, issue 12 items 1 and 6): the payment finance confirmed on a
-- contract (货款到账), the shipping request of sales (发货申请单, F-01) and the shipping order
-- finance issues from it (发货单, F-02), the copies handed to logistics and the warehouse
-- (two tasks, source 'shipment'), one line per unit with its serial number, production and
-- ship dates (R-047), the waybill and quality certificate (F-03, F-04) and the customer's
-- receipt (R-048). A replacement shipment for a dead-on-arrival ticket (WF-08) has no
-- payment gate.
CREATE TABLE payments (
    id {{ID}},
    contract_id BIGINT NOT NULL REFERENCES contracts(id),
    amount_fen BIGINT NOT NULL,
    received_on TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX payments_contract ON payments(contract_id);

CREATE TABLE shipments (
    id {{ID}},
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL DEFAULT 'sale' CHECK (kind IN ('sale', 'replacement')),
    state TEXT NOT NULL CHECK (state IN ('requested', 'ordered', 'handed_over', 'on_hold',
                                         'released', 'in_transit', 'arrived', 'received',
                                         'cancelled')),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    site_id BIGINT REFERENCES sites(id),
    contract_id BIGINT REFERENCES contracts(id),
    payment_id BIGINT REFERENCES payments(id),
    ticket_id BIGINT REFERENCES tickets(id),
    includes_installation INTEGER NOT NULL DEFAULT 0,
    ship_to TEXT NOT NULL DEFAULT '',
    packaging TEXT NOT NULL DEFAULT '',
    requested_by BIGINT REFERENCES users(id),
    order_no TEXT,
    order_issued_at TEXT,
    handed_over_at TEXT,
    hold_reason TEXT NOT NULL DEFAULT '' CHECK (hold_reason IN ('', 'defect', 'stock_out')),
    hold_note TEXT NOT NULL DEFAULT '',
    instruction TEXT NOT NULL DEFAULT '',
    released_at TEXT,
    carrier TEXT NOT NULL DEFAULT '',
    waybill_no TEXT NOT NULL DEFAULT '',
    certificate_sent INTEGER NOT NULL DEFAULT 0,
    dispatched_at TEXT,
    arrival_due_on TEXT,
    arrived_on TEXT,
    received_on TEXT,
    received_signer TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX shipments_state ON shipments(state, arrival_due_on);
CREATE INDEX shipments_customer ON shipments(customer_id, id);
CREATE INDEX shipments_ticket ON shipments(ticket_id);

CREATE TABLE shipment_lines (
    id {{ID}},
    shipment_id BIGINT NOT NULL REFERENCES shipments(id),
    line_no INTEGER NOT NULL,
    model_id BIGINT NOT NULL REFERENCES product_models(id),
    serial_no TEXT NOT NULL DEFAULT '',
    production_date TEXT,
    ship_date TEXT,
    unit_id BIGINT REFERENCES units(id),
    UNIQUE (shipment_id, line_no)
);
CREATE INDEX shipment_lines_unit ON shipment_lines(unit_id);

CREATE TABLE shipment_events (
    id {{ID}},
    shipment_id BIGINT NOT NULL REFERENCES shipments(id),
    action TEXT NOT NULL,
    from_state TEXT NOT NULL DEFAULT '',
    to_state TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    actor_id BIGINT REFERENCES users(id),
    at TEXT NOT NULL
);
CREATE INDEX shipment_events_shipment ON shipment_events(shipment_id, id);

-- arrival expected this many days after dispatch (R-048), per carrier as "name=days" pairs
-- separated by commas; dead on arrival: a failure reported within this many days of receipt
INSERT INTO settings (key, type, value, updated_at) VALUES
    ('shipment_arrival_days', 'int', '7', '2026-12-05T00:00:00Z'),
    ('shipment_carrier_days', 'text', '', '2026-12-05T00:00:00Z'),
    ('doa_days', 'int', '15', '2026-12-05T00:00:00Z');
