-- Issue 13 item 5: quotes for chargeable work (WF-20, R-106, R-060, R-016). A quote belongs
-- to a ticket (and optionally its work order); a revision is a new row with the next
-- revision number, the one it replaces marked superseded. Lines keep how their amount was
-- made: parts at the unified price list's price, labour hours x rate, travel days x daily
-- rate + transport, fees from a fee rule set's version (docs/quotes.md).

CREATE TABLE quotes (
    id {{ID}},
    number TEXT NOT NULL UNIQUE,
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    work_order_id BIGINT REFERENCES work_orders(id),
    customer_id BIGINT REFERENCES customers(id),
    revision INTEGER NOT NULL DEFAULT 1,
    previous_id BIGINT REFERENCES quotes(id),
    status TEXT NOT NULL DEFAULT 'draft',
    total_fen BIGINT NOT NULL DEFAULT 0,
    valid_until TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    approval_id BIGINT REFERENCES approvals(id),
    token_hash TEXT,
    link_expires_at TEXT,
    sent_at TEXT,
    decided_at TEXT,
    decision_channel TEXT NOT NULL DEFAULT '',
    decision_note TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES users(id),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX quotes_ticket ON quotes(ticket_id, status);
CREATE INDEX quotes_customer ON quotes(customer_id, status);
CREATE UNIQUE INDEX quotes_token ON quotes(token_hash);

CREATE TABLE quote_lines (
    id {{ID}},
    quote_id BIGINT NOT NULL REFERENCES quotes(id),
    pos INTEGER NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    -- hundredths: part quantity, labour hours, travel days
    qty_centi BIGINT NOT NULL DEFAULT 0,
    -- fen: a part's unit price, the hourly or daily rate
    rate_fen BIGINT NOT NULL DEFAULT 0,
    -- fen: travel transport
    extra_fen BIGINT NOT NULL DEFAULT 0,
    amount_fen BIGINT NOT NULL,
    price_source TEXT NOT NULL DEFAULT '',
    fee_version_id BIGINT REFERENCES fee_rule_versions(id),
    -- a fee line: {"rule_set", "version", "inputs", "lines": [...]} as computed
    detail TEXT NOT NULL DEFAULT '',
    UNIQUE (quote_id, pos)
);

-- R-060, WF-20: the company's switches and the amount above which a quote is approved
-- internally (the approval matrix's kind "quote") before it is sent
INSERT INTO settings (key, type, value, updated_at) VALUES
    ('quote_approval_above_fen', 'int', '1000000', '2026-12-05T00:00:00Z'),
    ('quote_valid_days', 'int', '15', '2026-12-05T00:00:00Z'),
    ('quote_before_visit', 'bool', 'false', '2026-12-05T00:00:00Z'),
    ('charge_told_before_close', 'bool', 'false', '2026-12-05T00:00:00Z');

INSERT INTO approval_rules (kind, approver_role, approver_away, note, created_at, updated_at)
VALUES ('quote', 'gm', 0, '', '2026-12-05T00:00:00Z', '2026-12-05T00:00:00Z');
