-- Foundation schema: organisation, accounts, audit, customers and the installed base.
-- Timestamps are UTC text "YYYY-MM-DDTHH:MM:SSZ"; dates "YYYY-MM-DD"; money integer fen;
-- flags 0/1 integers. `version` backs ETag / If-Match.

CREATE TABLE departments (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT 'other',
    parent_id BIGINT REFERENCES departments(id),
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE customers (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('company', 'individual', 'dealer')),
    is_key INTEGER NOT NULL DEFAULT 0,
    province TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    first_contact_at TEXT,
    first_contact_note TEXT NOT NULL DEFAULT '',
    search TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX customers_phone ON customers(phone);
CREATE INDEX customers_name ON customers(name, id);
CREATE INDEX customers_province ON customers(province);

CREATE TABLE users (
    id {{ID}},
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    roles TEXT NOT NULL,
    department_id BIGINT REFERENCES departments(id),
    customer_id BIGINT REFERENCES customers(id),
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'zh-CN',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE login_failures (
    id {{ID}},
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, at);
CREATE INDEX login_failures_ip ON login_failures(ip, at);

CREATE TABLE audit_log (
    id {{ID}},
    at TEXT NOT NULL,
    user_id BIGINT,
    username TEXT NOT NULL DEFAULT '',
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id, id);

CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL,
    key TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE contacts (
    id {{ID}},
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_customer ON contacts(customer_id);
CREATE INDEX contacts_phone ON contacts(phone);

CREATE TABLE sites (
    id {{ID}},
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    name TEXT NOT NULL,
    province TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL,
    latitude REAL,
    longitude REAL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX sites_customer ON sites(customer_id);

CREATE TABLE product_models (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    series TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL CHECK (category IN ('equipment', 'material', 'part', 'appliance', 'accessory', 'software')),
    warranty_months INTEGER NOT NULL DEFAULT 12,
    install_required INTEGER NOT NULL DEFAULT 0,
    required_skills TEXT NOT NULL DEFAULT '',
    price_fen BIGINT NOT NULL DEFAULT 0,
    search TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE contracts (
    id {{ID}},
    number TEXT NOT NULL UNIQUE,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    signed_date TEXT,
    start_date TEXT NOT NULL,
    end_date TEXT,
    warranty_months INTEGER,
    installation_included INTEGER NOT NULL DEFAULT 0,
    training_seats INTEGER NOT NULL DEFAULT 3,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contracts_customer ON contracts(customer_id);

CREATE TABLE units (
    id {{ID}},
    serial_no TEXT NOT NULL,
    model_id BIGINT NOT NULL REFERENCES product_models(id),
    customer_id BIGINT REFERENCES customers(id),
    site_id BIGINT REFERENCES sites(id),
    contract_id BIGINT REFERENCES contracts(id),
    status TEXT NOT NULL DEFAULT 'shipped',
    production_date TEXT,
    ship_date TEXT,
    install_date TEXT,
    warranty_end_override TEXT,
    warranty_end TEXT,
    warranty_basis TEXT NOT NULL DEFAULT 'none',
    warranty_start TEXT,
    warranty_months INTEGER,
    notes TEXT NOT NULL DEFAULT '',
    search TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (model_id, serial_no)
);
CREATE INDEX units_serial ON units(serial_no);
CREATE INDEX units_customer ON units(customer_id, id);
CREATE INDEX units_contract ON units(contract_id);
CREATE INDEX units_warranty_end ON units(warranty_end);

INSERT INTO departments (code, name, name_en, kind, created_at, updated_at) VALUES
    ('after_sales', '售后部', 'After-sales', 'after_sales', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('technical', '技术部', 'Technical', 'technical', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('qc', '质检部', 'Quality inspection', 'qc', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('finance', '财务部', 'Finance', 'finance', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('logistics', '物流', 'Logistics', 'logistics', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('warehouse', '库房', 'Warehouse', 'warehouse', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('sales', '业务部', 'Sales', 'sales', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('purchasing', '采购部', 'Purchasing', 'purchasing', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('production', '生产部', 'Production', 'production', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('hr', '人事部', 'Human resources', 'hr', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('engineering', '工程部', 'Engineering', 'engineering', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
