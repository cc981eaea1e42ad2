-- Technicians (issue 5): the people the dispatch optimizer plans for, and the
-- catalogue of skill and authorisation codes their records and jobs refer to.

CREATE TABLE skills (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'skill' CHECK (kind IN ('skill', 'authorisation')),
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE technicians (
    id {{ID}},
    user_id BIGINT NOT NULL UNIQUE REFERENCES users(id),
    name TEXT NOT NULL DEFAULT '',
    -- "code:level[:expires_on]" separated by commas, e.g. "hvac:3:2026-12-31,elec:2"
    skills TEXT NOT NULL DEFAULT '',
    -- "code[:expires_on]" separated by commas, e.g. "hv_permit:2026-06-30"
    authorisations TEXT NOT NULL DEFAULT '',
    home_latitude DOUBLE PRECISION,
    home_longitude DOUBLE PRECISION,
    -- weekday hours in local time: "1-5 08:30-17:30;6 09:00-12:00"
    shift TEXT NOT NULL DEFAULT '1-5 08:30-17:30',
    -- "YYYY-MM-DD/YYYY-MM-DD" (inclusive) separated by commas
    leave_periods TEXT NOT NULL DEFAULT '',
    max_travel_km DOUBLE PRECISION,
    department_id BIGINT REFERENCES departments(id),
    active INTEGER NOT NULL DEFAULT 1,
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX technicians_active ON technicians(active);
