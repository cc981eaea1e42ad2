-- Review 68 M9, WF-08 S3-S4: the advance exchange (先换后返) of a DOA unit. The replacement
-- ships at once (the RMA's shipment_id, old_unit_handling 'returned') and the RMA waits for
-- the old unit until return_due (the exchange's local date + 14 days, domain/rma.h
-- RMA_RETURN_DAYS). docs/rma.md "Advance exchange".
ALTER TABLE rmas ADD COLUMN advance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rmas ADD COLUMN return_due TEXT;
CREATE INDEX rmas_return_due ON rmas(state, return_due);
