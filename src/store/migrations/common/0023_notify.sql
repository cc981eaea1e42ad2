-- Delivery of the outbox (issue 15 item 1, docs/notifications.md): each message's state,
-- attempts with back-off, the last error and the claim of the worker delivering it; the
-- channels' settings (password and keys kept apart, never returned); per-contact opt-out
-- and quiet hours; the retry policy as company settings.
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
ALTER TABLE outbox ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN params TEXT NOT NULL DEFAULT '';
UPDATE outbox SET state = 'sent' WHERE sent_at IS NOT NULL;
CREATE INDEX outbox_state_due ON outbox(state, deliver_after);
CREATE INDEX outbox_retry_due ON outbox(state, next_attempt_at);

CREATE TABLE notify_channels (
    channel TEXT PRIMARY KEY,
    enabled INTEGER NOT NULL DEFAULT 0,
    config TEXT NOT NULL DEFAULT '{}',
    secret TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1
);
INSERT INTO notify_channels (channel, updated_at) VALUES
    ('email', '2026-12-05T00:00:00Z'), ('sms', '2026-12-05T00:00:00Z'),
    ('wecom', '2026-12-05T00:00:00Z'), ('dingtalk', '2026-12-05T00:00:00Z'),
    ('webhook', '2026-12-05T00:00:00Z');

ALTER TABLE contacts ADD COLUMN notify_opt_out TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN quiet_hours TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN quiet_hours TEXT NOT NULL DEFAULT '';

INSERT INTO settings (key, type, value, updated_at) VALUES
    ('notify_max_attempts', 'int', '5', '2026-12-05T00:00:00Z'),
    ('notify_retry_base_seconds', 'int', '60', '2026-12-05T00:00:00Z');

-- Templates per event and locale, edited per company (issue 15 item 2); a missing row is the
-- built-in default of app/notify_templates.c.
CREATE TABLE notify_templates (
    kind TEXT NOT NULL,
    locale TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (kind, locale)
);
