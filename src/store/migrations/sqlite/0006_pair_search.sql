-- Pair indexes: unicode61 tokens are the pairs; a prefix query finds one character.
CREATE VIRTUAL TABLE customers_bi USING fts5(search_bi, content='customers', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER customers_bi_ai AFTER INSERT ON customers BEGIN
    INSERT INTO customers_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER customers_bi_ad AFTER DELETE ON customers BEGIN
    INSERT INTO customers_bi(customers_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER customers_bi_au AFTER UPDATE OF search_bi ON customers BEGIN
    INSERT INTO customers_bi(customers_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO customers_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE VIRTUAL TABLE units_bi USING fts5(search_bi, content='units', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER units_bi_ai AFTER INSERT ON units BEGIN
    INSERT INTO units_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER units_bi_ad AFTER DELETE ON units BEGIN
    INSERT INTO units_bi(units_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER units_bi_au AFTER UPDATE OF search_bi ON units BEGIN
    INSERT INTO units_bi(units_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO units_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE VIRTUAL TABLE product_models_bi USING fts5(search_bi, content='product_models', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER product_models_bi_ai AFTER INSERT ON product_models BEGIN
    INSERT INTO product_models_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER product_models_bi_ad AFTER DELETE ON product_models BEGIN
    INSERT INTO product_models_bi(product_models_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER product_models_bi_au AFTER UPDATE OF search_bi ON product_models BEGIN
    INSERT INTO product_models_bi(product_models_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO product_models_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE VIRTUAL TABLE tickets_bi USING fts5(search_bi, content='tickets', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER tickets_bi_ai AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER tickets_bi_ad AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_bi(tickets_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER tickets_bi_au AFTER UPDATE OF search_bi ON tickets BEGIN
    INSERT INTO tickets_bi(tickets_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO tickets_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
