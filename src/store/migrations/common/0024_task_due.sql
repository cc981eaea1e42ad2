-- Issue 11 item 7 (WF-10 S5 FOLLOW_UP): a task has a due time; the follow-up task a periodic
-- visit's opinions open for the technical department is due this many days after the visit's
-- findings were recorded.
ALTER TABLE tasks ADD COLUMN due_at TEXT;

INSERT INTO settings (key, type, value, updated_at) VALUES
    ('visit_follow_up_days', 'int', '7', '2026-12-05T00:00:00Z');
