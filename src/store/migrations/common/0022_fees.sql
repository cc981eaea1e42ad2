-- Issue 13 items 1, 3 and 4: fee rule sets as data (R-196), versioned, a computation keeps
-- the version it used; secondments (人员借调, WF-12, F-17) and waiting on site (待工, WF-15)
-- with the fee computed from the rule sets. The seeded rule sets are the source documents':
-- CAB 3.1.4, 3.1.7, 3.1.8, 3.2.1; LED 1.3; SLA 3 and 免费培训 (docs/fees.md).

CREATE TABLE fee_rule_sets (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- one definition per version (JSON, checked by app/fee_rules.c on save); a calculation
-- uses the latest version in effect on its date
CREATE TABLE fee_rule_versions (
    id {{ID}},
    rule_set_id BIGINT NOT NULL REFERENCES fee_rule_sets(id),
    number INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    definition TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (rule_set_id, number)
);

-- WF-12, F-17: staff lent to a dealer (at least 5 days); the dealer bears every other cost
CREATE TABLE secondments (
    id {{ID}},
    dealer_id BIGINT NOT NULL REFERENCES customers(id),
    staff TEXT NOT NULL,
    persons INTEGER NOT NULL DEFAULT 1,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    -- decimal days ("5.5"): actual working days and round-trip travel days
    work_days TEXT NOT NULL,
    travel_days TEXT NOT NULL DEFAULT '0',
    status TEXT NOT NULL DEFAULT 'requested',
    agreement_ref TEXT NOT NULL DEFAULT '',
    wage_note TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    fee_fen BIGINT NOT NULL DEFAULT 0,
    fee_version_id BIGINT REFERENCES fee_rule_versions(id),
    fee_lines TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX secondments_dealer ON secondments(dealer_id);

-- WF-15 S6w: waiting on site, on a work order or a project (ids without a foreign key:
-- projects come with issue 13 item 2)
CREATE TABLE waiting_records (
    id {{ID}},
    work_order_id BIGINT,
    project_id BIGINT,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    days TEXT NOT NULL,
    cause TEXT NOT NULL,
    cause_note TEXT NOT NULL DEFAULT '',
    at_fault TEXT NOT NULL DEFAULT 'undetermined',
    confirmed_by TEXT NOT NULL DEFAULT '',
    confirmed_on TEXT,
    notes TEXT NOT NULL DEFAULT '',
    fee_fen BIGINT NOT NULL DEFAULT 0,
    fee_version_id BIGINT REFERENCES fee_rule_versions(id),
    fee_lines TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX waiting_records_work_order ON waiting_records(work_order_id);
CREATE INDEX waiting_records_project ON waiting_records(project_id);

INSERT INTO fee_rule_sets (code, name, description, created_at, updated_at) VALUES
    ('cabinet_install', '厨柜工程安装费',
     'CAB 3.1.4, 3.1.7, 3.2.1: 标准销售价(不含电器及百货配件)× 系列费率; 样板单或20套(含)以内 × 1.2; 管理费 = 安装费 × 10%',
     '2026-12-05T00:00:00Z', '2026-12-05T00:00:00Z'),
    ('secondment', '人员借调劳务派遣费',
     'CAB 3.1.8: 20 元/人/天 × (实际工作天数 + 来回在途天数), 不足一天按一天; 每次不得少于5天',
     '2026-12-05T00:00:00Z', '2026-12-05T00:00:00Z'),
    ('led_waiting', 'LED 待工费',
     'LED 1.3: 确认为客户方原因待工时, 客户承担 300 元/天 (不含吃、住)',
     '2026-12-05T00:00:00Z', '2026-12-05T00:00:00Z'),
    ('led_training', 'LED 培训',
     'SLA 免费培训: 3 人/次免费培训; 超出人数的费用未约定',
     '2026-12-05T00:00:00Z', '2026-12-05T00:00:00Z'),
    ('at_cost', '功能升级与终身维护(按成本)',
     'SLA 3: 功能升级收取成本费用; SLA 1: 保修期结束后终身维护, 更换配件只收取成本费',
     '2026-12-05T00:00:00Z', '2026-12-05T00:00:00Z');

INSERT INTO fee_rule_versions (rule_set_id, number, effective_from, definition, note, created_at)
SELECT id, 1, '2000-01-01', '{"inputs":[{"name":"price_fen","type":"money","required":true,"label":"标准销售价(不含电器及百货配件)"},{"name":"series","type":"text","required":true,"label":"系列"},{"name":"sets","type":"count","required":true,"label":"套数"},{"name":"sample_order","type":"bool","label":"工程样板单"},{"name":"pieces","type":"pieces","label":"电器及百货配件(件)"}],"components":[{"code":"install","kind":"series_rate","label":"厨柜安装费","payer":"dealer","base":"price_fen","key":"series","rows":[{"key":"时尚系列","rate_bp":250},{"key":"经典系列","rate_bp":220},{"key":"经典系列以上","label":"经典系列以上(其他高端系列)","rate_bp":220}],"round":"half_up"},{"code":"pieces","kind":"piece_rate","label":"电器及百货配件安装费(计件)","payer":"dealer","pieces":"pieces","rows":[{"key":"电器","rate_fen":null},{"key":"百货配件","rate_fen":null}],"round":"half_up"},{"code":"uplift","kind":"multiplier","label":"样板单或20套(含)以内由公司安装 × 1.2","num":6,"den":5,"targets":["install"],"when":{"any":[{"input":"sample_order","op":"true"},{"input":"sets","op":"le","value":20}]}},{"code":"management","kind":"percent_of","label":"管理费(安装费的10%)","payer":"dealer","targets":["install"],"rate_bp":1000,"round":"half_up"}]}', 'CAB 3.1.4, 3.1.7, 3.2.1', '2026-12-05T00:00:00Z'
FROM fee_rule_sets WHERE code = 'cabinet_install';

INSERT INTO fee_rule_versions (rule_set_id, number, effective_from, definition, note, created_at)
SELECT id, 1, '2000-01-01', '{"inputs":[{"name":"persons","type":"count","required":true,"label":"借调人数"},{"name":"work_days","type":"days","required":true,"label":"实际工作天数"},{"name":"travel_days","type":"days","label":"来回在途天数"}],"components":[{"code":"minimum","kind":"minimum","label":"每次借调不得少于5天","input":"work_days","min":"5","action":"refuse"},{"code":"dispatch","kind":"per_day","label":"劳务派遣费 20 元/人/天","payer":"dealer","rate_fen":2000,"persons":"persons","days":["work_days","travel_days"],"day_round":"up","round":"half_up"}]}', 'CAB 3.1.8', '2026-12-05T00:00:00Z'
FROM fee_rule_sets WHERE code = 'secondment';

INSERT INTO fee_rule_versions (rule_set_id, number, effective_from, definition, note, created_at)
SELECT id, 1, '2000-01-01', '{"inputs":[{"name":"waiting_days","type":"days","required":true,"label":"待工天数"},{"name":"customer_at_fault","type":"bool","required":true,"label":"确认为客户方原因"}],"components":[{"code":"waiting","kind":"per_day","label":"待工服务费 300 元/天(不含吃、住)","payer":"customer","rate_fen":30000,"days":["waiting_days"],"day_round":"none","round":"half_up","when":{"all":[{"input":"customer_at_fault","op":"true"}]}}]}', 'LED 1.3', '2026-12-05T00:00:00Z'
FROM fee_rule_sets WHERE code = 'led_waiting';

INSERT INTO fee_rule_versions (rule_set_id, number, effective_from, definition, note, created_at)
SELECT id, 1, '2000-01-01', '{"inputs":[{"name":"trainees","type":"count","required":true,"label":"培训人数"},{"name":"sessions","type":"count","label":"培训次数"}],"components":[{"code":"training","kind":"free_quota","label":"免费培训 3 人/次","payer":"customer","units":"trainees","sessions":"sessions","free":3,"rate_fen":null}]}', 'SLA 免费培训', '2026-12-05T00:00:00Z'
FROM fee_rule_sets WHERE code = 'led_training';

INSERT INTO fee_rule_versions (rule_set_id, number, effective_from, definition, note, created_at)
SELECT id, 1, '2000-01-01', '{"inputs":[{"name":"upgrade_cost_fen","type":"money","label":"功能升级成本(设备及软件)"},{"name":"parts_cost_fen","type":"money","label":"更换配件成本"}],"components":[{"code":"upgrade","kind":"at_cost","label":"功能升级(按成本)","payer":"customer","base":"upgrade_cost_fen"},{"code":"parts","kind":"at_cost","label":"终身维护更换配件(按成本)","payer":"customer","base":"parts_cost_fen"}]}', 'SLA 1, 3', '2026-12-05T00:00:00Z'
FROM fee_rule_sets WHERE code = 'at_cost';
