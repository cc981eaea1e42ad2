-- Issue 18 items 4, 7 and 8 (docs/knowledge.md, docs/discipline.md): attachments of knowledge
-- articles (photos and PDFs in the ticket attachments' blob store, by content hash), and q=
-- text search on the department's own lists (spot checks, corrective actions, trainings and
-- attendances, conduct complaints, suggestions, leads, version rules, upgrade campaigns,
-- improvement inputs, telephone records, suppliers): a trigram text `search` and a
-- character-pair text `search_bi` as on tickets, indexed per dialect. Rows that existed
-- before get their search text here and their pair text from the migration's C step.

CREATE TABLE kb_attachments (
    id {{ID}},
    article_id BIGINT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    filename TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX kb_attachments_article ON kb_attachments(article_id, id);

ALTER TABLE spot_checks ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE spot_checks ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE spot_checks SET search = COALESCE(summary, '') || ' ' || COALESCE(finding, '') || ' ';
ALTER TABLE corrective_actions ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE corrective_actions ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE corrective_actions SET search = COALESCE(problem, '') || ' ' || COALESCE(action, '') || ' ';
ALTER TABLE staff_trainings ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE staff_trainings ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE staff_trainings SET search = COALESCE(title, '') || ' ' || COALESCE(external_trainer, '') || ' ' || COALESCE(location, '') || ' ' || COALESCE(content, '') || ' ';
ALTER TABLE training_attendances ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE training_attendances ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE training_attendances SET search = COALESCE(note, '') || ' ';
ALTER TABLE conduct_complaints ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE conduct_complaints ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE conduct_complaints SET search = COALESCE(description, '') || ' ' || COALESCE(investigation, '') || ' ' || COALESCE(action_taken, '') || ' ';
ALTER TABLE suggestions ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE suggestions ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE suggestions SET search = COALESCE(title, '') || ' ' || COALESCE(body, '') || ' ';
ALTER TABLE leads ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE leads ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE leads SET search = COALESCE(title, '') || ' ' || COALESCE(note, '') || ' ';
ALTER TABLE version_rules ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE version_rules ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE version_rules SET search = COALESCE(component, '') || ' ' || COALESCE(sw_version, '') || ' ' || COALESCE(reason, '') || ' ';
ALTER TABLE upgrade_campaigns ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE upgrade_campaigns ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE upgrade_campaigns SET search = COALESCE(name, '') || ' ' || COALESCE(component, '') || ' ' || COALESCE(target_version, '') || ' ' || COALESCE(withdrawn_versions, '') || ' ' || COALESCE(notes, '') || ' ';
ALTER TABLE improvement_inputs ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE improvement_inputs ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE improvement_inputs SET search = COALESCE(title, '') || ' ' || COALESCE(body, '') || ' ' || COALESCE(reply, '') || ' ';
ALTER TABLE phone_records ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE phone_records ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE phone_records SET search = COALESCE(caller, '') || ' ' || COALESCE(callee, '') || ' ' || COALESCE(phone, '') || ' ' || COALESCE(address, '') || ' ' || COALESCE(content, '') || ' ' || COALESCE(key_matters, '') || ' ' || COALESCE(result, '') || ' ';
ALTER TABLE suppliers ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE suppliers ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE suppliers SET search = COALESCE(name, '') || ' ' || COALESCE(contact, '') || ' ' || COALESCE(phone, '') || ' ' || COALESCE(email, '') || ' ' || COALESCE(address, '') || ' ' || COALESCE(notes, '') || ' ';
