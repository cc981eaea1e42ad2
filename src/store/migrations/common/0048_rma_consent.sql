-- Review 68 H2 (WF-20 S4-S5, docs/rma.md "Charges"): the charge an RMA's analysis proposes
-- (charge_fen) is billed only once the customer accepts it. The customer's decision, how it
-- reached us (the quote decision's channels: portal, phone, wechat, letter, email,
-- in_person), the note, who recorded it and when.
ALTER TABLE rmas ADD COLUMN consent_decision TEXT CHECK (consent_decision IN ('accept', 'decline'));
ALTER TABLE rmas ADD COLUMN consent_channel TEXT;
ALTER TABLE rmas ADD COLUMN consent_note TEXT NOT NULL DEFAULT '';
ALTER TABLE rmas ADD COLUMN consent_by BIGINT REFERENCES users(id);
ALTER TABLE rmas ADD COLUMN consent_at TEXT;
-- Before, the analysis billed its charge at once: those charges stand as accepted (by nobody,
-- when the analysis billed them), so the RMAs already under way go on as they were.
UPDATE rmas SET consent_decision = 'accept', consent_at = analysed_at,
    consent_note = 'billed at the analysis (before migration 0048)'
    WHERE charge_fen > 0;
