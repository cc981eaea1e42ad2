-- Search index maintenance at the end of each group commit instead of inside each
-- request's SAVEPOINT. FTS5 writes its pending terms to disk at every savepoint it takes
-- part in: with the server's one SAVEPOINT per request, every request made a new index
-- segment in each of two indexes (63 us of the writer's 108 us per POST /units, and twice
-- the pages written per commit). Now the row triggers only note which rows changed (and
-- the text that was indexed before), and `INSERT INTO search_flush VALUES (0)` brings
-- both indexes of every table up to date in one pass: the writer runs it after the last
-- request of a group, before COMMIT, in the same transaction (store/db_sqlite.c), so a
-- committed row is always searchable. Anything else that writes these tables directly
-- (bench loaders, the sqlite3 shell) runs the same statement before its COMMIT.
CREATE TABLE search_queue (
    seq INTEGER PRIMARY KEY,
    tbl TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    had_old INTEGER NOT NULL DEFAULT 0, -- 1: old_search/old_bi are what the indexes hold
    old_search TEXT,
    old_bi TEXT
);
CREATE VIEW search_flush AS SELECT 0 AS n;

DROP TRIGGER customers_fts_ai;
DROP TRIGGER customers_fts_ad;
DROP TRIGGER customers_fts_au;
DROP TRIGGER customers_bi_ai;
DROP TRIGGER customers_bi_ad;
DROP TRIGGER customers_bi_au;
CREATE TRIGGER customers_sq_ai AFTER INSERT ON customers BEGIN
    INSERT INTO search_queue (tbl, row_id) VALUES ('customers', new.id);
END;
CREATE TRIGGER customers_sq_ad AFTER DELETE ON customers BEGIN
    INSERT INTO search_queue (tbl, row_id, had_old, old_search, old_bi) VALUES ('customers', old.id, 1, old.search, old.search_bi);
END;
CREATE TRIGGER customers_sq_au AFTER UPDATE OF search, search_bi ON customers BEGIN
    INSERT INTO search_queue (tbl, row_id, had_old, old_search, old_bi) VALUES ('customers', old.id, 1, old.search, old.search_bi);
END;
DROP TRIGGER units_fts_ai;
DROP TRIGGER units_fts_ad;
DROP TRIGGER units_fts_au;
DROP TRIGGER units_bi_ai;
DROP TRIGGER units_bi_ad;
DROP TRIGGER units_bi_au;
CREATE TRIGGER units_sq_ai AFTER INSERT ON units BEGIN
    INSERT INTO search_queue (tbl, row_id) VALUES ('units', new.id);
END;
CREATE TRIGGER units_sq_ad AFTER DELETE ON units BEGIN
    INSERT INTO search_queue (tbl, row_id, had_old, old_search, old_bi) VALUES ('units', old.id, 1, old.search, old.search_bi);
END;
CREATE TRIGGER units_sq_au AFTER UPDATE OF search, search_bi ON units BEGIN
    INSERT INTO search_queue (tbl, row_id, had_old, old_search, old_bi) VALUES ('units', old.id, 1, old.search, old.search_bi);
END;
DROP TRIGGER product_models_fts_ai;
DROP TRIGGER product_models_fts_ad;
DROP TRIGGER product_models_fts_au;
DROP TRIGGER product_models_bi_ai;
DROP TRIGGER product_models_bi_ad;
DROP TRIGGER product_models_bi_au;
CREATE TRIGGER product_models_sq_ai AFTER INSERT ON product_models BEGIN
    INSERT INTO search_queue (tbl, row_id) VALUES ('product_models', new.id);
END;
CREATE TRIGGER product_models_sq_ad AFTER DELETE ON product_models BEGIN
    INSERT INTO search_queue (tbl, row_id, had_old, old_search, old_bi) VALUES ('product_models', old.id, 1, old.search, old.search_bi);
END;
CREATE TRIGGER product_models_sq_au AFTER UPDATE OF search, search_bi ON product_models BEGIN
    INSERT INTO search_queue (tbl, row_id, had_old, old_search, old_bi) VALUES ('product_models', old.id, 1, old.search, old.search_bi);
END;
DROP TRIGGER tickets_fts_ai;
DROP TRIGGER tickets_fts_ad;
DROP TRIGGER tickets_fts_au;
DROP TRIGGER tickets_bi_ai;
DROP TRIGGER tickets_bi_ad;
DROP TRIGGER tickets_bi_au;
CREATE TRIGGER tickets_sq_ai AFTER INSERT ON tickets BEGIN
    INSERT INTO search_queue (tbl, row_id) VALUES ('tickets', new.id);
END;
CREATE TRIGGER tickets_sq_ad AFTER DELETE ON tickets BEGIN
    INSERT INTO search_queue (tbl, row_id, had_old, old_search, old_bi) VALUES ('tickets', old.id, 1, old.search, old.search_bi);
END;
CREATE TRIGGER tickets_sq_au AFTER UPDATE OF search, search_bi ON tickets BEGIN
    INSERT INTO search_queue (tbl, row_id, had_old, old_search, old_bi) VALUES ('tickets', old.id, 1, old.search, old.search_bi);
END;
-- Per row: remove what its first change in the queue says was indexed, then index what
-- the row holds now (if it still exists).
CREATE TRIGGER search_flush_run INSTEAD OF INSERT ON search_flush BEGIN
    INSERT INTO customers_fts (customers_fts, rowid, search) SELECT 'delete', q.row_id, q.old_search FROM search_queue q
        WHERE q.tbl = 'customers' AND q.had_old = 1 AND q.seq = (SELECT min(seq) FROM search_queue WHERE tbl = 'customers' AND row_id = q.row_id);
    INSERT INTO customers_bi (customers_bi, rowid, search_bi) SELECT 'delete', q.row_id, q.old_bi FROM search_queue q
        WHERE q.tbl = 'customers' AND q.had_old = 1 AND q.seq = (SELECT min(seq) FROM search_queue WHERE tbl = 'customers' AND row_id = q.row_id);
    INSERT INTO customers_fts (rowid, search) SELECT id, search FROM customers WHERE id IN (SELECT row_id FROM search_queue WHERE tbl = 'customers');
    INSERT INTO customers_bi (rowid, search_bi) SELECT id, search_bi FROM customers WHERE id IN (SELECT row_id FROM search_queue WHERE tbl = 'customers');
    INSERT INTO units_fts (units_fts, rowid, search) SELECT 'delete', q.row_id, q.old_search FROM search_queue q
        WHERE q.tbl = 'units' AND q.had_old = 1 AND q.seq = (SELECT min(seq) FROM search_queue WHERE tbl = 'units' AND row_id = q.row_id);
    INSERT INTO units_bi (units_bi, rowid, search_bi) SELECT 'delete', q.row_id, q.old_bi FROM search_queue q
        WHERE q.tbl = 'units' AND q.had_old = 1 AND q.seq = (SELECT min(seq) FROM search_queue WHERE tbl = 'units' AND row_id = q.row_id);
    INSERT INTO units_fts (rowid, search) SELECT id, search FROM units WHERE id IN (SELECT row_id FROM search_queue WHERE tbl = 'units');
    INSERT INTO units_bi (rowid, search_bi) SELECT id, search_bi FROM units WHERE id IN (SELECT row_id FROM search_queue WHERE tbl = 'units');
    INSERT INTO product_models_fts (product_models_fts, rowid, search) SELECT 'delete', q.row_id, q.old_search FROM search_queue q
        WHERE q.tbl = 'product_models' AND q.had_old = 1 AND q.seq = (SELECT min(seq) FROM search_queue WHERE tbl = 'product_models' AND row_id = q.row_id);
    INSERT INTO product_models_bi (product_models_bi, rowid, search_bi) SELECT 'delete', q.row_id, q.old_bi FROM search_queue q
        WHERE q.tbl = 'product_models' AND q.had_old = 1 AND q.seq = (SELECT min(seq) FROM search_queue WHERE tbl = 'product_models' AND row_id = q.row_id);
    INSERT INTO product_models_fts (rowid, search) SELECT id, search FROM product_models WHERE id IN (SELECT row_id FROM search_queue WHERE tbl = 'product_models');
    INSERT INTO product_models_bi (rowid, search_bi) SELECT id, search_bi FROM product_models WHERE id IN (SELECT row_id FROM search_queue WHERE tbl = 'product_models');
    INSERT INTO tickets_fts (tickets_fts, rowid, search) SELECT 'delete', q.row_id, q.old_search FROM search_queue q
        WHERE q.tbl = 'tickets' AND q.had_old = 1 AND q.seq = (SELECT min(seq) FROM search_queue WHERE tbl = 'tickets' AND row_id = q.row_id);
    INSERT INTO tickets_bi (tickets_bi, rowid, search_bi) SELECT 'delete', q.row_id, q.old_bi FROM search_queue q
        WHERE q.tbl = 'tickets' AND q.had_old = 1 AND q.seq = (SELECT min(seq) FROM search_queue WHERE tbl = 'tickets' AND row_id = q.row_id);
    INSERT INTO tickets_fts (rowid, search) SELECT id, search FROM tickets WHERE id IN (SELECT row_id FROM search_queue WHERE tbl = 'tickets');
    INSERT INTO tickets_bi (rowid, search_bi) SELECT id, search_bi FROM tickets WHERE id IN (SELECT row_id FROM search_queue WHERE tbl = 'tickets');
    DELETE FROM search_queue;
END;
