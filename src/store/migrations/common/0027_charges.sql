-- Issue 13 item 6 (R-143, R-147, R-173, R-183; docs/charges.md): charge lines on a ticket,
-- work order, installation project, trip or dealer application, each split among payers
-- (customer, dealer, the responsible sales person) by shares in basis points that add up to
-- 10000; payments against a payer's part (no tax invoicing: an invoice number only); cost
-- lines per trip or ticket beside the trip's own expenses.
CREATE TABLE charges (
    id {{ID}},
    -- the owner: kind + id (checked by app/charges.c; no foreign key, the kinds differ)
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    customer_id BIGINT REFERENCES customers(id),
    dealer_id BIGINT REFERENCES customers(id),
    sales_user_id BIGINT REFERENCES users(id),
    -- a trip's lead: a technician sees the charges of their own trips
    technician_user_id BIGINT REFERENCES users(id),
    category TEXT NOT NULL DEFAULT 'other',
    series TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    source TEXT NOT NULL DEFAULT 'manual',
    -- checked by app/charges.c (fee_rule_versions; quotes come with issue 13 item 5)
    fee_version_id BIGINT,
    quote_id BIGINT,
    charged_on TEXT NOT NULL,
    invoice_no TEXT NOT NULL DEFAULT '',
    customer_share_bp INTEGER NOT NULL DEFAULT 0,
    dealer_share_bp INTEGER NOT NULL DEFAULT 0,
    sales_share_bp INTEGER NOT NULL DEFAULT 0,
    customer_fen BIGINT NOT NULL DEFAULT 0,
    dealer_fen BIGINT NOT NULL DEFAULT 0,
    sales_fen BIGINT NOT NULL DEFAULT 0,
    paid_customer_fen BIGINT NOT NULL DEFAULT 0,
    paid_dealer_fen BIGINT NOT NULL DEFAULT 0,
    paid_sales_fen BIGINT NOT NULL DEFAULT 0,
    paid_fen BIGINT NOT NULL DEFAULT 0,
    pay_state TEXT NOT NULL DEFAULT 'unpaid',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX charges_owner ON charges(owner_kind, owner_id);
CREATE INDEX charges_customer ON charges(customer_id, charged_on);
CREATE INDEX charges_dealer ON charges(dealer_id, charged_on);

CREATE TABLE charge_payments (
    id {{ID}},
    charge_id BIGINT NOT NULL REFERENCES charges(id),
    payer TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    paid_on TEXT NOT NULL,
    method TEXT NOT NULL DEFAULT 'transfer',
    reference TEXT NOT NULL DEFAULT '',
    -- the charge's customer, copied: a customer reads the payments of their own charges
    customer_id BIGINT REFERENCES customers(id),
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX charge_payments_charge ON charge_payments(charge_id, paid_on);

-- costs beside a trip's own expenses (R-147): parts at cost, extra travel, lodging
CREATE TABLE cost_lines (
    id {{ID}},
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    category TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    incurred_on TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cost_lines_owner ON cost_lines(owner_kind, owner_id);
CREATE INDEX cost_lines_date ON cost_lines(incurred_on);
