-- Issue 11 item 6: the satisfaction survey (满意度调查表, F-10, R-036) of a completed ticket
-- (or of one of its work orders), and follow-up tasks (a score <= 2 opens one for the
-- department head; later issues reuse tasks, e.g. telephone records forwarded upwards).
CREATE TABLE surveys (
    id {{ID}},
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    work_order_id BIGINT,
    -- whose work it rates: the ticket's assignee when the work was completed
    technician_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'submitted', 'refused')),
    channel TEXT NOT NULL DEFAULT '' CHECK (channel IN ('', 'link', 'phone')),
    -- the customer's no-login link: only the BLAKE2b hash of its random token is kept
    token_hash TEXT UNIQUE,
    expires_at TEXT,
    sent_at TEXT,
    recipient TEXT NOT NULL DEFAULT '',
    score_speed INTEGER CHECK (score_speed BETWEEN 1 AND 5),
    score_skill INTEGER CHECK (score_skill BETWEEN 1 AND 5),
    score_attitude INTEGER CHECK (score_attitude BETWEEN 1 AND 5),
    score_overall INTEGER CHECK (score_overall BETWEEN 1 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    respondent TEXT NOT NULL DEFAULT '',
    refusal_reason TEXT NOT NULL DEFAULT '',
    answered_at TEXT,
    recorded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX surveys_ticket ON surveys(ticket_id);
CREATE INDEX surveys_technician ON surveys(technician_id, answered_at);

CREATE TABLE tasks (
    id {{ID}},
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    -- for one person, or for every holder of a role (in a department when one is named)
    assignee_id BIGINT REFERENCES users(id),
    role TEXT NOT NULL DEFAULT '',
    department_id BIGINT REFERENCES departments(id),
    ticket_id BIGINT REFERENCES tickets(id),
    source TEXT NOT NULL DEFAULT '',
    source_id BIGINT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    reply TEXT NOT NULL DEFAULT '',
    done_at TEXT,
    done_by BIGINT REFERENCES users(id),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tasks_assignee ON tasks(assignee_id, status);
CREATE INDEX tasks_role ON tasks(role, status);
CREATE INDEX tasks_source ON tasks(source, source_id);

-- how long the customer's survey link stays valid
INSERT INTO settings (key, type, value, updated_at) VALUES
    ('survey_link_days', 'int', '14', '2026-12-05T00:00:00Z');
