-- Issue 11 item 5: the service report (售后服务报告单, F-09, R-035). Signing freezes a
-- version: the report's content as a JSON snapshot of the work order (customer, unit,
-- serial, fault, findings, work done, parts, labour, times, checklist results, photos,
-- charges, technicians), its SHA-256 (a changed work order no longer matches it, and the
-- next signature makes the next version), the customer's signature (a PNG in the blob store
-- of the ticket attachments, named by its SHA-256), the signer, the time and the comment.
-- Versions are never updated or deleted.
CREATE TABLE service_reports (
    id {{ID}},
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    version INTEGER NOT NULL,
    snapshot TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    signature_sha256 TEXT NOT NULL,
    signature_size INTEGER NOT NULL,
    signature_width INTEGER NOT NULL,
    signature_height INTEGER NOT NULL,
    signer_name TEXT NOT NULL,
    customer_comment TEXT NOT NULL DEFAULT '',
    signed_at TEXT NOT NULL,
    signed_by BIGINT REFERENCES users(id),
    UNIQUE (work_order_id, version)
);
CREATE INDEX service_reports_ticket ON service_reports(ticket_id, work_order_id);
-- R-198: the report guard on resolve from on site, on unless the company switches it off.
INSERT INTO settings (key, type, value, updated_at) VALUES
    ('report_before_resolve', 'bool', 'true', '2026-12-05T00:00:00Z');
