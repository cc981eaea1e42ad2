-- The search indexes of 0044 (common): pg_trgm for 3+ characters, the pair text's tsvector
-- for 1-2 characters.
CREATE INDEX spot_checks_search_trgm ON spot_checks USING gin (search gin_trgm_ops);
CREATE INDEX spot_checks_search_bi ON spot_checks USING gin (to_tsvector('simple', search_bi));
CREATE INDEX corrective_actions_search_trgm ON corrective_actions USING gin (search gin_trgm_ops);
CREATE INDEX corrective_actions_search_bi ON corrective_actions USING gin (to_tsvector('simple', search_bi));
CREATE INDEX staff_trainings_search_trgm ON staff_trainings USING gin (search gin_trgm_ops);
CREATE INDEX staff_trainings_search_bi ON staff_trainings USING gin (to_tsvector('simple', search_bi));
CREATE INDEX training_attendances_search_trgm ON training_attendances USING gin (search gin_trgm_ops);
CREATE INDEX training_attendances_search_bi ON training_attendances USING gin (to_tsvector('simple', search_bi));
CREATE INDEX conduct_complaints_search_trgm ON conduct_complaints USING gin (search gin_trgm_ops);
CREATE INDEX conduct_complaints_search_bi ON conduct_complaints USING gin (to_tsvector('simple', search_bi));
CREATE INDEX suggestions_search_trgm ON suggestions USING gin (search gin_trgm_ops);
CREATE INDEX suggestions_search_bi ON suggestions USING gin (to_tsvector('simple', search_bi));
CREATE INDEX leads_search_trgm ON leads USING gin (search gin_trgm_ops);
CREATE INDEX leads_search_bi ON leads USING gin (to_tsvector('simple', search_bi));
CREATE INDEX version_rules_search_trgm ON version_rules USING gin (search gin_trgm_ops);
CREATE INDEX version_rules_search_bi ON version_rules USING gin (to_tsvector('simple', search_bi));
CREATE INDEX upgrade_campaigns_search_trgm ON upgrade_campaigns USING gin (search gin_trgm_ops);
CREATE INDEX upgrade_campaigns_search_bi ON upgrade_campaigns USING gin (to_tsvector('simple', search_bi));
CREATE INDEX improvement_inputs_search_trgm ON improvement_inputs USING gin (search gin_trgm_ops);
CREATE INDEX improvement_inputs_search_bi ON improvement_inputs USING gin (to_tsvector('simple', search_bi));
CREATE INDEX phone_records_search_trgm ON phone_records USING gin (search gin_trgm_ops);
CREATE INDEX phone_records_search_bi ON phone_records USING gin (to_tsvector('simple', search_bi));
CREATE INDEX suppliers_search_trgm ON suppliers USING gin (search gin_trgm_ops);
CREATE INDEX suppliers_search_bi ON suppliers USING gin (to_tsvector('simple', search_bi));
