-- Review 72 #11: what a customer or dealer account may upload (src/app/ticket_attach.c):
-- files per ticket and bytes in 24 hours across its tickets
INSERT INTO settings (key, type, value, updated_at) VALUES
    ('external_attachments_per_ticket', 'int', '20', '2026-12-08T00:00:00Z'),
    ('external_upload_bytes_per_day', 'int', '52428800', '2026-12-08T00:00:00Z');
