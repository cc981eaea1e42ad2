-- An Idempotency-Key reused with a different request is refused (422): the key keeps a
-- hash of the method, path and body it was first used with. Older keys have none and are
-- compared by method and path only.
ALTER TABLE idempotency_keys ADD COLUMN request_hash TEXT;
