-- Issue 10 item 5: a customer account searched the staff text (internal comments, call
-- summaries, action notes). Each ticket now keeps a second text, only what the customer may
-- read, indexed like the first; external accounts search it. Both texts of every ticket are
-- rebuilt by the migration's C step (store/tickets.c), which also restores tickets whose
-- text a PATCH had emptied (item 12).
ALTER TABLE tickets ADD COLUMN search_ext TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN search_ext_bi TEXT NOT NULL DEFAULT '';
-- Item 19: a ticket whose warranty is unknown has an unknown billing, not warranty.
UPDATE tickets SET billing = 'unknown' WHERE warranty_status = 'unknown';
-- Company-level switches (issue 9 item 5, R-198): one typed value per key. The guards the
-- source documents disagree on are off until the company switches them on.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('bool', 'int', 'text')),
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO settings (key, type, value, updated_at) VALUES
    ('approval_before_dispatch', 'bool', 'false', '2026-12-05T00:00:00Z'),
    ('survey_before_close', 'bool', 'false', '2026-12-05T00:00:00Z');
