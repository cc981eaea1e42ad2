-- The search indexes of 0044 (common): trigram (3+ characters) and pair (1-2 characters)
-- FTS5 tables over the rows' texts, kept by row triggers, built once from the rows.
CREATE VIRTUAL TABLE spot_checks_fts USING fts5(search, content='spot_checks', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE spot_checks_bi USING fts5(search_bi, content='spot_checks', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER spot_checks_s_ai AFTER INSERT ON spot_checks BEGIN
    INSERT INTO spot_checks_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO spot_checks_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER spot_checks_s_ad AFTER DELETE ON spot_checks BEGIN
    INSERT INTO spot_checks_fts(spot_checks_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO spot_checks_bi(spot_checks_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER spot_checks_s_au AFTER UPDATE OF search, search_bi ON spot_checks BEGIN
    INSERT INTO spot_checks_fts(spot_checks_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO spot_checks_bi(spot_checks_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO spot_checks_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO spot_checks_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO spot_checks_fts(spot_checks_fts) VALUES ('rebuild');
INSERT INTO spot_checks_bi(spot_checks_bi) VALUES ('rebuild');
CREATE VIRTUAL TABLE corrective_actions_fts USING fts5(search, content='corrective_actions', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE corrective_actions_bi USING fts5(search_bi, content='corrective_actions', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER corrective_actions_s_ai AFTER INSERT ON corrective_actions BEGIN
    INSERT INTO corrective_actions_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO corrective_actions_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER corrective_actions_s_ad AFTER DELETE ON corrective_actions BEGIN
    INSERT INTO corrective_actions_fts(corrective_actions_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO corrective_actions_bi(corrective_actions_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER corrective_actions_s_au AFTER UPDATE OF search, search_bi ON corrective_actions BEGIN
    INSERT INTO corrective_actions_fts(corrective_actions_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO corrective_actions_bi(corrective_actions_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO corrective_actions_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO corrective_actions_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO corrective_actions_fts(corrective_actions_fts) VALUES ('rebuild');
INSERT INTO corrective_actions_bi(corrective_actions_bi) VALUES ('rebuild');
CREATE VIRTUAL TABLE staff_trainings_fts USING fts5(search, content='staff_trainings', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE staff_trainings_bi USING fts5(search_bi, content='staff_trainings', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER staff_trainings_s_ai AFTER INSERT ON staff_trainings BEGIN
    INSERT INTO staff_trainings_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO staff_trainings_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER staff_trainings_s_ad AFTER DELETE ON staff_trainings BEGIN
    INSERT INTO staff_trainings_fts(staff_trainings_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO staff_trainings_bi(staff_trainings_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER staff_trainings_s_au AFTER UPDATE OF search, search_bi ON staff_trainings BEGIN
    INSERT INTO staff_trainings_fts(staff_trainings_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO staff_trainings_bi(staff_trainings_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO staff_trainings_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO staff_trainings_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO staff_trainings_fts(staff_trainings_fts) VALUES ('rebuild');
INSERT INTO staff_trainings_bi(staff_trainings_bi) VALUES ('rebuild');
CREATE VIRTUAL TABLE training_attendances_fts USING fts5(search, content='training_attendances', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE training_attendances_bi USING fts5(search_bi, content='training_attendances', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER training_attendances_s_ai AFTER INSERT ON training_attendances BEGIN
    INSERT INTO training_attendances_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO training_attendances_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER training_attendances_s_ad AFTER DELETE ON training_attendances BEGIN
    INSERT INTO training_attendances_fts(training_attendances_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO training_attendances_bi(training_attendances_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER training_attendances_s_au AFTER UPDATE OF search, search_bi ON training_attendances BEGIN
    INSERT INTO training_attendances_fts(training_attendances_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO training_attendances_bi(training_attendances_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO training_attendances_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO training_attendances_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO training_attendances_fts(training_attendances_fts) VALUES ('rebuild');
INSERT INTO training_attendances_bi(training_attendances_bi) VALUES ('rebuild');
CREATE VIRTUAL TABLE conduct_complaints_fts USING fts5(search, content='conduct_complaints', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE conduct_complaints_bi USING fts5(search_bi, content='conduct_complaints', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER conduct_complaints_s_ai AFTER INSERT ON conduct_complaints BEGIN
    INSERT INTO conduct_complaints_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO conduct_complaints_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER conduct_complaints_s_ad AFTER DELETE ON conduct_complaints BEGIN
    INSERT INTO conduct_complaints_fts(conduct_complaints_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO conduct_complaints_bi(conduct_complaints_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER conduct_complaints_s_au AFTER UPDATE OF search, search_bi ON conduct_complaints BEGIN
    INSERT INTO conduct_complaints_fts(conduct_complaints_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO conduct_complaints_bi(conduct_complaints_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO conduct_complaints_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO conduct_complaints_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO conduct_complaints_fts(conduct_complaints_fts) VALUES ('rebuild');
INSERT INTO conduct_complaints_bi(conduct_complaints_bi) VALUES ('rebuild');
CREATE VIRTUAL TABLE suggestions_fts USING fts5(search, content='suggestions', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE suggestions_bi USING fts5(search_bi, content='suggestions', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER suggestions_s_ai AFTER INSERT ON suggestions BEGIN
    INSERT INTO suggestions_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO suggestions_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER suggestions_s_ad AFTER DELETE ON suggestions BEGIN
    INSERT INTO suggestions_fts(suggestions_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO suggestions_bi(suggestions_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER suggestions_s_au AFTER UPDATE OF search, search_bi ON suggestions BEGIN
    INSERT INTO suggestions_fts(suggestions_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO suggestions_bi(suggestions_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO suggestions_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO suggestions_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO suggestions_fts(suggestions_fts) VALUES ('rebuild');
INSERT INTO suggestions_bi(suggestions_bi) VALUES ('rebuild');
CREATE VIRTUAL TABLE leads_fts USING fts5(search, content='leads', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE leads_bi USING fts5(search_bi, content='leads', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER leads_s_ai AFTER INSERT ON leads BEGIN
    INSERT INTO leads_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO leads_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER leads_s_ad AFTER DELETE ON leads BEGIN
    INSERT INTO leads_fts(leads_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO leads_bi(leads_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER leads_s_au AFTER UPDATE OF search, search_bi ON leads BEGIN
    INSERT INTO leads_fts(leads_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO leads_bi(leads_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO leads_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO leads_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO leads_fts(leads_fts) VALUES ('rebuild');
INSERT INTO leads_bi(leads_bi) VALUES ('rebuild');
CREATE VIRTUAL TABLE version_rules_fts USING fts5(search, content='version_rules', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE version_rules_bi USING fts5(search_bi, content='version_rules', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER version_rules_s_ai AFTER INSERT ON version_rules BEGIN
    INSERT INTO version_rules_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO version_rules_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER version_rules_s_ad AFTER DELETE ON version_rules BEGIN
    INSERT INTO version_rules_fts(version_rules_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO version_rules_bi(version_rules_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER version_rules_s_au AFTER UPDATE OF search, search_bi ON version_rules BEGIN
    INSERT INTO version_rules_fts(version_rules_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO version_rules_bi(version_rules_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO version_rules_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO version_rules_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO version_rules_fts(version_rules_fts) VALUES ('rebuild');
INSERT INTO version_rules_bi(version_rules_bi) VALUES ('rebuild');
CREATE VIRTUAL TABLE upgrade_campaigns_fts USING fts5(search, content='upgrade_campaigns', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE upgrade_campaigns_bi USING fts5(search_bi, content='upgrade_campaigns', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER upgrade_campaigns_s_ai AFTER INSERT ON upgrade_campaigns BEGIN
    INSERT INTO upgrade_campaigns_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO upgrade_campaigns_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER upgrade_campaigns_s_ad AFTER DELETE ON upgrade_campaigns BEGIN
    INSERT INTO upgrade_campaigns_fts(upgrade_campaigns_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO upgrade_campaigns_bi(upgrade_campaigns_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER upgrade_campaigns_s_au AFTER UPDATE OF search, search_bi ON upgrade_campaigns BEGIN
    INSERT INTO upgrade_campaigns_fts(upgrade_campaigns_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO upgrade_campaigns_bi(upgrade_campaigns_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO upgrade_campaigns_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO upgrade_campaigns_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO upgrade_campaigns_fts(upgrade_campaigns_fts) VALUES ('rebuild');
INSERT INTO upgrade_campaigns_bi(upgrade_campaigns_bi) VALUES ('rebuild');
CREATE VIRTUAL TABLE improvement_inputs_fts USING fts5(search, content='improvement_inputs', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE improvement_inputs_bi USING fts5(search_bi, content='improvement_inputs', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER improvement_inputs_s_ai AFTER INSERT ON improvement_inputs BEGIN
    INSERT INTO improvement_inputs_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO improvement_inputs_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER improvement_inputs_s_ad AFTER DELETE ON improvement_inputs BEGIN
    INSERT INTO improvement_inputs_fts(improvement_inputs_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO improvement_inputs_bi(improvement_inputs_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER improvement_inputs_s_au AFTER UPDATE OF search, search_bi ON improvement_inputs BEGIN
    INSERT INTO improvement_inputs_fts(improvement_inputs_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO improvement_inputs_bi(improvement_inputs_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO improvement_inputs_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO improvement_inputs_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO improvement_inputs_fts(improvement_inputs_fts) VALUES ('rebuild');
INSERT INTO improvement_inputs_bi(improvement_inputs_bi) VALUES ('rebuild');
CREATE VIRTUAL TABLE phone_records_fts USING fts5(search, content='phone_records', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE phone_records_bi USING fts5(search_bi, content='phone_records', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER phone_records_s_ai AFTER INSERT ON phone_records BEGIN
    INSERT INTO phone_records_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO phone_records_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER phone_records_s_ad AFTER DELETE ON phone_records BEGIN
    INSERT INTO phone_records_fts(phone_records_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO phone_records_bi(phone_records_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER phone_records_s_au AFTER UPDATE OF search, search_bi ON phone_records BEGIN
    INSERT INTO phone_records_fts(phone_records_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO phone_records_bi(phone_records_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO phone_records_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO phone_records_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO phone_records_fts(phone_records_fts) VALUES ('rebuild');
INSERT INTO phone_records_bi(phone_records_bi) VALUES ('rebuild');
CREATE VIRTUAL TABLE suppliers_fts USING fts5(search, content='suppliers', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE suppliers_bi USING fts5(search_bi, content='suppliers', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER suppliers_s_ai AFTER INSERT ON suppliers BEGIN
    INSERT INTO suppliers_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO suppliers_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER suppliers_s_ad AFTER DELETE ON suppliers BEGIN
    INSERT INTO suppliers_fts(suppliers_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO suppliers_bi(suppliers_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER suppliers_s_au AFTER UPDATE OF search, search_bi ON suppliers BEGIN
    INSERT INTO suppliers_fts(suppliers_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO suppliers_bi(suppliers_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO suppliers_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO suppliers_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO suppliers_fts(suppliers_fts) VALUES ('rebuild');
INSERT INTO suppliers_bi(suppliers_bi) VALUES ('rebuild');
