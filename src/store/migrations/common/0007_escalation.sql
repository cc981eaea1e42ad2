-- The escalation chain of an SLA policy: after a breach the assignee is told at once, the
-- department head after escalate_dept_head_minutes, the general manager after
-- escalate_gm_minutes; at_risk_notify warns the assignee before the breach.
ALTER TABLE sla_policies ADD COLUMN escalate_dept_head_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sla_policies ADD COLUMN escalate_gm_minutes INTEGER NOT NULL DEFAULT 1440;
ALTER TABLE sla_policies ADD COLUMN at_risk_notify INTEGER NOT NULL DEFAULT 1;
