-- Issue 10 items 7 and 11: API tokens may expire; the retention job prunes failed
-- sign-in records and idempotency keys by age (indexes for its DELETEs).
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
CREATE INDEX login_failures_at ON login_failures(at);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
