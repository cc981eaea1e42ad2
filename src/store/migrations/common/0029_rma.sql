-- Issue 14 items 2 and 3: return to factory (返厂维修, WF-05, R-063) and replacement
-- (产品更换, WF-06, R-065). docs/rma.md.
--
-- One RMA per return of a unit: opened by the ticket's send_to_factory, received, inspected
-- by QC on arrival (findings, photos in the attachment blob store), analysed by the
-- technical department (cause category), repaired or replaced, inspected by QC before it
-- leaves, shipped back through a shipment (WF-01) and closed; the charge flag and amount
-- when the unit is out of warranty.
CREATE TABLE rmas (
    id {{ID}},
    number TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('awaiting_return', 'received', 'inspected', 'analysed',
                                         'repaired', 'replaced', 'qc_passed', 'shipped_back',
                                         'closed', 'cancelled')),
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    site_id BIGINT REFERENCES sites(id),
    warranty_status TEXT NOT NULL DEFAULT 'unknown',
    chargeable INTEGER NOT NULL DEFAULT 0,
    charge_fen BIGINT,
    fault TEXT NOT NULL DEFAULT '',
    received_at TEXT,
    incoming_findings TEXT NOT NULL DEFAULT '',
    incoming_by BIGINT REFERENCES users(id),
    incoming_at TEXT,
    cause_category TEXT CHECK (cause_category IN ('manufacturing', 'assembly', 'material',
                                                  'design', 'installation', 'use')),
    cause_analysis TEXT NOT NULL DEFAULT '',
    analysed_by BIGINT REFERENCES users(id),
    analysed_at TEXT,
    work_note TEXT NOT NULL DEFAULT '',
    worked_by BIGINT REFERENCES users(id),
    worked_at TEXT,
    outgoing_findings TEXT NOT NULL DEFAULT '',
    outgoing_by BIGINT REFERENCES users(id),
    outgoing_at TEXT,
    shipment_id BIGINT REFERENCES shipments(id),
    -- a replacement (WF-06): what happens to the old unit, and the unit that replaced it
    old_unit_handling TEXT CHECK (old_unit_handling IN ('returned', 'scrapped', 'kept')),
    new_unit_id BIGINT REFERENCES units(id),
    closed_at TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rmas_ticket ON rmas(ticket_id);
CREATE INDEX rmas_unit ON rmas(unit_id);
CREATE INDEX rmas_state ON rmas(state, id);

-- The timeline of an RMA: every action with its note.
CREATE TABLE rma_events (
    id {{ID}},
    rma_id BIGINT NOT NULL REFERENCES rmas(id),
    action TEXT NOT NULL,
    from_state TEXT NOT NULL DEFAULT '',
    to_state TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    actor_id BIGINT REFERENCES users(id),
    at TEXT NOT NULL
);
CREATE INDEX rma_events_rma ON rma_events(rma_id, id);

-- QC photos of an inspection (incoming or outgoing): the content lives in the attachment
-- blob store of tickets and work orders (by SHA-256), this row links it to the RMA.
CREATE TABLE rma_photos (
    id {{ID}},
    rma_id BIGINT NOT NULL REFERENCES rmas(id),
    phase TEXT NOT NULL CHECK (phase IN ('incoming', 'outgoing')),
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL DEFAULT '',
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX rma_photos_rma ON rma_photos(rma_id, phase, id);

-- WF-06: a replacement is approved by the role the approval matrix names (kind replacement);
-- the after-sales department head by default, changed like any rule (/api/v1/approval-rules).
INSERT INTO approval_rules (kind, approver_role, created_at, updated_at) VALUES
    ('replacement', 'dept_head', '2026-12-05T00:00:00Z', '2026-12-05T00:00:00Z');
