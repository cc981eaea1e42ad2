-- Checklists (issue 11 item 4; R-149…R-153, R-165, R-166, R-169, WF-19): templates per
-- product category, model series and work-order kind, their items in order (a yes/no
-- check, a measurement with a limit in integer hundredths and a unit, a required photo, a
-- conduct rule), what the technician recorded on a work order, and the work order's photos
-- before and after the work (and per item), stored in the attachment blob store.
CREATE TABLE checklist_templates (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    -- NULL: any; otherwise a product model category (product_models.category)
    product_category TEXT,
    -- '': any; otherwise the model's series starts with it (e.g. 整体厨柜)
    model_series TEXT NOT NULL DEFAULT '',
    -- NULL: any; otherwise a work-order kind
    work_order_kind TEXT,
    photos_before_min INTEGER NOT NULL DEFAULT 0,
    photos_after_min INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE checklist_items (
    id {{ID}},
    template_id BIGINT NOT NULL REFERENCES checklist_templates(id),
    position INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL CHECK (kind IN ('check', 'measure', 'photo', 'conduct')),
    label TEXT NOT NULL,
    label_en TEXT NOT NULL DEFAULT '',
    required INTEGER NOT NULL DEFAULT 1,
    -- measurements: bounds in hundredths of the unit (never floats), NULL = no bound
    min_centi BIGINT,
    min_inclusive INTEGER NOT NULL DEFAULT 1,
    max_centi BIGINT,
    max_inclusive INTEGER NOT NULL DEFAULT 0,
    unit TEXT NOT NULL DEFAULT '',
    -- the clause of the source document (e.g. INSTF 二.1)
    source TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX checklist_items_template ON checklist_items(template_id, position, id);

-- Photos of a work order: before / after the work, or for one checklist item (phase check).
CREATE TABLE work_order_photos (
    id {{ID}},
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    phase TEXT NOT NULL CHECK (phase IN ('before', 'after', 'check')),
    item_id BIGINT REFERENCES checklist_items(id),
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX work_order_photos_wo ON work_order_photos(work_order_id, phase, id);

-- The template a work order is checked against: fixed by the first recorded answer, so a
-- later template edit cannot move the goalposts of a checklist under way.
CREATE TABLE work_order_checklists (
    work_order_id BIGINT PRIMARY KEY REFERENCES work_orders(id),
    template_id BIGINT NOT NULL REFERENCES checklist_templates(id),
    created_at TEXT NOT NULL
);

-- What was recorded per item. The limit and label are copied from the item at the time of
-- recording: a failed measurement is kept and shown as it was judged.
CREATE TABLE checklist_results (
    id {{ID}},
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    item_id BIGINT NOT NULL REFERENCES checklist_items(id),
    passed INTEGER NOT NULL,
    value_centi BIGINT,
    min_centi BIGINT,
    min_inclusive INTEGER NOT NULL DEFAULT 1,
    max_centi BIGINT,
    max_inclusive INTEGER NOT NULL DEFAULT 0,
    unit TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    photo_id BIGINT REFERENCES work_order_photos(id),
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (work_order_id, item_id)
);
