-- Messages from templates (issue 15 item 2, docs/notifications.md): a customer's language
-- and preferred channel (sms, email, a phone call a staff member makes, or a printed
-- letter, R-199); an outbox row's locale, the phone task it opened and when its letter was
-- printed; the secret calendar feed of each technician (issue 15 item 5): its token is shown on the
-- profile page (a read-only feed, rotated by replacing the token).
ALTER TABLE customers ADD COLUMN locale TEXT NOT NULL DEFAULT 'zh-CN';
ALTER TABLE customers ADD COLUMN notify_channel TEXT NOT NULL DEFAULT 'sms';
ALTER TABLE outbox ADD COLUMN locale TEXT NOT NULL DEFAULT 'zh-CN';
ALTER TABLE outbox ADD COLUMN task_id BIGINT;
ALTER TABLE outbox ADD COLUMN printed_at TEXT;

CREATE TABLE ical_feeds (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    token TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
