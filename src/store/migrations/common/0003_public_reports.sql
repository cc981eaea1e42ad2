-- The customer's QR fault report: a status token per ticket (the parcel-style status
-- link), and the reporting address for abuse limits that must survive restarts.
ALTER TABLE tickets ADD COLUMN public_token TEXT;
ALTER TABLE tickets ADD COLUMN source_ip TEXT;
-- partial indexes: only QR reports carry these, so other tickets do not pay for them
CREATE UNIQUE INDEX tickets_public_token ON tickets(public_token) WHERE public_token IS NOT NULL;
CREATE INDEX tickets_qr_unit ON tickets(unit_id, received_at) WHERE channel = 'qr';
CREATE INDEX tickets_qr_ip ON tickets(source_ip, received_at) WHERE source_ip IS NOT NULL;
