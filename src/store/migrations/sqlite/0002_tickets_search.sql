-- Ticket search over description, comments and call summaries (kept in tickets.search).
CREATE VIRTUAL TABLE tickets_fts USING fts5(search, content='tickets', content_rowid='id', tokenize='trigram');
CREATE TRIGGER tickets_fts_ai AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts(rowid, search) VALUES (new.id, new.search);
END;
CREATE TRIGGER tickets_fts_ad AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_fts(tickets_fts, rowid, search) VALUES ('delete', old.id, old.search);
END;
CREATE TRIGGER tickets_fts_au AFTER UPDATE OF search ON tickets BEGIN
    INSERT INTO tickets_fts(tickets_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO tickets_fts(rowid, search) VALUES (new.id, new.search);
END;
