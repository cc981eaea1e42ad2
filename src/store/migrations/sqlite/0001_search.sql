-- Chinese substring search: FTS5 trigram indexes kept in step by triggers.
CREATE VIRTUAL TABLE customers_fts USING fts5(search, content='customers', content_rowid='id', tokenize='trigram');
CREATE TRIGGER customers_fts_ai AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts(rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER customers_fts_ad AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts(customers_fts, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER customers_fts_au AFTER UPDATE OF search ON customers BEGIN
    INSERT INTO customers_fts(customers_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO customers_fts(rowid, search) VALUES (new.id, new.search);
END;

CREATE VIRTUAL TABLE units_fts USING fts5(search, content='units', content_rowid='id', tokenize='trigram');
CREATE TRIGGER units_fts_ai AFTER INSERT ON units BEGIN
    INSERT INTO units_fts(rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER units_fts_ad AFTER DELETE ON units BEGIN
    INSERT INTO units_fts(units_fts, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER units_fts_au AFTER UPDATE OF search ON units BEGIN
    INSERT INTO units_fts(units_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO units_fts(rowid, search) VALUES (new.id, new.search);
END;

CREATE VIRTUAL TABLE product_models_fts USING fts5(search, content='product_models', content_rowid='id', tokenize='trigram');
CREATE TRIGGER product_models_fts_ai AFTER INSERT ON product_models BEGIN
    INSERT INTO product_models_fts(rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER product_models_fts_ad AFTER DELETE ON product_models BEGIN
    INSERT INTO product_models_fts(product_models_fts, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER product_models_fts_au AFTER UPDATE OF search ON product_models BEGIN
    INSERT INTO product_models_fts(product_models_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO product_models_fts(rowid, search) VALUES (new.id, new.search);
END;
