-- Knowledge articles: the trigram index (3+ characters) and the pair index (1-2 characters,
-- and the suggestions' OR of the description's pairs), kept by row triggers. Articles are
-- written rarely, so they stay out of the tickets' group-commit search queue (0008).
CREATE VIRTUAL TABLE kb_articles_fts USING fts5(search, content='kb_articles', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE kb_articles_bi USING fts5(search_bi, content='kb_articles', content_rowid='id', tokenize='unicode61');
CREATE TRIGGER kb_articles_ai AFTER INSERT ON kb_articles BEGIN
    INSERT INTO kb_articles_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO kb_articles_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
CREATE TRIGGER kb_articles_ad AFTER DELETE ON kb_articles BEGIN
    INSERT INTO kb_articles_fts(kb_articles_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO kb_articles_bi(kb_articles_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
END;
CREATE TRIGGER kb_articles_au AFTER UPDATE OF search, search_bi ON kb_articles BEGIN
    INSERT INTO kb_articles_fts(kb_articles_fts, rowid, search) VALUES ('delete', old.id, old.search);
    INSERT INTO kb_articles_bi(kb_articles_bi, rowid, search_bi) VALUES ('delete', old.id, old.search_bi);
    INSERT INTO kb_articles_fts(rowid, search) VALUES (new.id, new.search);
    INSERT INTO kb_articles_bi(rowid, search_bi) VALUES (new.id, new.search_bi);
END;
