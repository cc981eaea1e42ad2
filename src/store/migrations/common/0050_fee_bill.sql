-- Review 68 M1 (docs/fees.md "Billing"): a secondment or waiting record is billed as one
-- charge (source fee, with the record's fee_version_id); the record keeps its charge. Deleting
-- that charge (finance, while nothing is paid on it) makes the record billable again.
ALTER TABLE secondments ADD COLUMN charge_id BIGINT REFERENCES charges(id) ON DELETE SET NULL;
ALTER TABLE waiting_records ADD COLUMN charge_id BIGINT REFERENCES charges(id) ON DELETE SET NULL;
