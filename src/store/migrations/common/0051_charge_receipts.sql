-- Review 68 M7 and M11 (docs/charges.md "Receipts and credits"): one receipt allocated across a
-- payer's open charges, oldest first (kind receipt); a credit line applied to the same payer's
-- open charges (kind offset: a payment with method offset on each target, and on the credit
-- line its consumed part, a payment below zero); a credit paid back (kind refund: a payment
-- below zero on the credit line). The payments of one receipt share its receipt_id.
CREATE TABLE charge_receipts (
    id {{ID}},
    kind TEXT NOT NULL,
    payer TEXT NOT NULL,
    -- the payer's customer or dealer (customers.id) or sales person (users.id)
    party_id BIGINT NOT NULL,
    -- offset and refund: the credit line drawn on
    credit_id BIGINT REFERENCES charges(id),
    amount_fen BIGINT NOT NULL,
    paid_on TEXT NOT NULL,
    method TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX charge_receipts_credit ON charge_receipts(credit_id);

ALTER TABLE charge_payments ADD COLUMN receipt_id BIGINT REFERENCES charge_receipts(id);
CREATE INDEX charge_payments_receipt ON charge_payments(receipt_id);
