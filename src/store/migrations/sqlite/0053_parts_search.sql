-- The search indexes of 0053 (common): trigram (3+ characters) and pair (1-2 characters).
CREATE VIRTUAL TABLE parts_fts USING fts5(search, content='parts', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE parts_bi USING fts5(search_bi, content='parts', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER parts_s_ai AFTER INSERT ON parts BEGIN
    INSERT INTO parts_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO parts_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER parts_s_ad AFTER DELETE ON parts BEGIN
    INSERT INTO parts_fts(parts_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO parts_bi(parts_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER parts_s_au AFTER UPDATE OF search, search_bi ON parts BEGIN
    INSERT INTO parts_fts(parts_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO parts_bi(parts_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO parts_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO parts_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
INSERT INTO parts_fts(parts_fts) VALUES ('rebuild');
INSERT INTO parts_bi(parts_bi) VALUES ('rebuild');
