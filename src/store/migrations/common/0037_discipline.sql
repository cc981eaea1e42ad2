-- Issue 18 item 7: the department's discipline (docs/discipline.md).
-- R-004 (部门负责人职责 4, “不定期抽查和巡视,对所发现的问题及时整改,并作好有关记录”): spot
-- checks and patrols with the problems found, each with its corrective action, owner and due
-- date, followed open → in_progress → done → verified (domain/discipline.c).
CREATE TABLE spot_checks (
    id {{ID}},
    kind TEXT NOT NULL CHECK (kind IN ('spot_check', 'patrol')),
    checked_on TEXT NOT NULL,
    inspector_id BIGINT REFERENCES users(id),
    subject TEXT NOT NULL CHECK (subject IN ('work_order', 'ticket', 'technician', 'site',
                                             'other')),
    work_order_id BIGINT REFERENCES work_orders(id),
    ticket_id BIGINT REFERENCES tickets(id),
    staff_user_id BIGINT REFERENCES users(id),
    site_id BIGINT REFERENCES sites(id),
    summary TEXT NOT NULL,
    finding TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX spot_checks_on ON spot_checks(checked_on);

CREATE TABLE corrective_actions (
    id {{ID}},
    spot_check_id BIGINT NOT NULL REFERENCES spot_checks(id),
    problem TEXT NOT NULL,
    action TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users(id),
    due_date TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'in_progress', 'done',
                                                        'verified')),
    done_note TEXT NOT NULL DEFAULT '',
    done_at TEXT,
    verified_by BIGINT REFERENCES users(id),
    verified_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX corrective_actions_check ON corrective_actions(spot_check_id);
CREATE INDEX corrective_actions_owner ON corrective_actions(owner_id, state);
CREATE INDEX corrective_actions_due ON corrective_actions(state, due_date);

-- R-007 (部门负责人职责 3, “定期进行职业道德、专业技术知识以及安全施工、文明施工的培训”):
-- internal training sessions for staff and who attended with their result.
CREATE TABLE staff_trainings (
    id {{ID}},
    category TEXT NOT NULL CHECK (category IN ('ethics', 'technical', 'safety_civilised',
                                               'other')),
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    trainer_id BIGINT REFERENCES users(id),
    external_trainer TEXT NOT NULL DEFAULT '',
    hours INTEGER,
    location TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX staff_trainings_on ON staff_trainings(held_on);

CREATE TABLE training_attendances (
    id {{ID}},
    training_id BIGINT NOT NULL REFERENCES staff_trainings(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    attended INTEGER NOT NULL DEFAULT 1,
    result TEXT NOT NULL DEFAULT 'none' CHECK (result IN ('none', 'passed', 'failed')),
    score INTEGER,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (training_id, user_id)
);
CREATE INDEX training_attendances_user ON training_attendances(user_id);

-- R-164 (GEN 三.1 “觉不允许顶撞用户和与用户发生口角”, 三.5 “决不允许服务人员向用户索要财务或
-- 变相提出无理要求”): complaints about a staff member's conduct, their own category; read and
-- written only by the department head, the general manager and admin (api/policy.h).
CREATE TABLE conduct_complaints (
    id {{ID}},
    staff_user_id BIGINT NOT NULL REFERENCES users(id),
    category TEXT NOT NULL CHECK (category IN ('arguing', 'asking_money', 'unreasonable_demand',
                                               'other')),
    source TEXT NOT NULL CHECK (source IN ('customer_call', 'survey', 'spot_check', 'other')),
    occurred_on TEXT NOT NULL,
    customer_id BIGINT REFERENCES customers(id),
    ticket_id BIGINT REFERENCES tickets(id),
    description TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'investigating', 'closed')),
    investigation TEXT NOT NULL DEFAULT '',
    outcome TEXT CHECK (outcome IN ('unfounded', 'warning', 'training', 'penalty', 'dismissal')),
    action_taken TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX conduct_complaints_staff ON conduct_complaints(staff_user_id, category);

-- R-206 (员工职责 9, “对上级定期提供一些合理建议和意见”): staff suggestions to a superior and
-- the superior's reply.
CREATE TABLE suggestions (
    id {{ID}},
    author_id BIGINT NOT NULL REFERENCES users(id),
    addressee_id BIGINT NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'accepted',
                                                               'rejected', 'noted')),
    reply TEXT NOT NULL DEFAULT '',
    replied_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX suggestions_author ON suggestions(author_id);
CREATE INDEX suggestions_addressee ON suggestions(addressee_id, status);
