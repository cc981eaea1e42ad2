-- Issue 18 item 3 (WF-17, R-094; docs/versions.md): software and firmware versions of each
-- unit, the version rules per model (版本使用规范) and upgrade campaigns.
--
-- The ledger of a unit's versions: one row per version set, never changed; a component's
-- current version is its latest row (highest id).
CREATE TABLE unit_versions (
    id {{ID}},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    component TEXT NOT NULL,
    sw_version TEXT NOT NULL,
    ticket_id BIGINT REFERENCES tickets(id),
    work_order_id BIGINT REFERENCES work_orders(id),
    campaign_id BIGINT,
    note TEXT NOT NULL DEFAULT '',
    set_by BIGINT REFERENCES users(id),
    set_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX unit_versions_unit ON unit_versions(unit_id, component, id);
CREATE INDEX unit_versions_comp ON unit_versions(component, sw_version);

-- The rules per model and component: a version is current, allowed or withdrawn.
CREATE TABLE version_rules (
    id {{ID}},
    model_id BIGINT NOT NULL REFERENCES product_models(id),
    component TEXT NOT NULL,
    sw_version TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('current', 'allowed', 'withdrawn')),
    reason TEXT NOT NULL DEFAULT '',
    withdrawn_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (model_id, component, sw_version)
);

-- An upgrade campaign: every unit of the model on a withdrawn version gets an upgrade ticket.
CREATE TABLE upgrade_campaigns (
    id {{ID}},
    name TEXT NOT NULL,
    model_id BIGINT NOT NULL REFERENCES product_models(id),
    component TEXT NOT NULL,
    target_version TEXT NOT NULL,
    -- the versions it replaces, comma-separated
    withdrawn_versions TEXT NOT NULL,
    upgrade_kind TEXT NOT NULL DEFAULT 'functional'
        CHECK (upgrade_kind IN ('display', 'playback', 'functional')),
    -- the cost of one unit's upgrade, priced by the fee rules when chargeable
    cost_fen BIGINT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'launched')),
    launched_at TEXT,
    launched_by BIGINT REFERENCES users(id),
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- The tickets a launch created: one per unit, with the unit's entitlement at launch.
CREATE TABLE upgrade_campaign_tickets (
    campaign_id BIGINT NOT NULL REFERENCES upgrade_campaigns(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    from_version TEXT NOT NULL,
    billing TEXT NOT NULL,
    reason TEXT NOT NULL,
    amount_fen BIGINT,
    recorded_at TEXT,
    PRIMARY KEY (campaign_id, unit_id)
);
CREATE INDEX upgrade_campaign_tickets_ticket ON upgrade_campaign_tickets(ticket_id);
