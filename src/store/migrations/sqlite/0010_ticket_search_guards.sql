-- The customer-visible search text of tickets (common/0010) gets its two indexes, kept by
-- the same queue as the others (0008): the ticket triggers also note the old customer text,
-- and the flush brings the two new indexes up to date. Only non-empty customer texts are
-- indexed: an empty one means "the same as the staff text" (store/tickets.c), which the
-- staff indexes answer, so a ticket at intake costs these indexes nothing.
CREATE VIRTUAL TABLE tickets_ext_fts USING fts5(search_ext, content='tickets', content_rowid='id', tokenize='trigram');
CREATE VIRTUAL TABLE tickets_ext_bi USING fts5(search_ext_bi, content='tickets', content_rowid='id', tokenize='unicode61');
ALTER TABLE search_queue ADD COLUMN old_ext TEXT;
ALTER TABLE search_queue ADD COLUMN old_ext_bi TEXT;
DROP TRIGGER tickets_sq_ad;
DROP TRIGGER tickets_sq_au;
CREATE TRIGGER tickets_sq_ad AFTER DELETE ON tickets BEGIN
    INSERT INTO search_queue (tbl, row_id, had_old, old_search, old_bi, old_ext, old_ext_bi) VALUES ('tickets', old.id, 1, old.search, old.search_bi, old.search_ext, old.search_ext_bi);
END;
CREATE TRIGGER tickets_sq_au AFTER UPDATE OF search, search_bi, search_ext, search_ext_bi ON tickets BEGIN
    INSERT INTO search_queue (tbl, row_id, had_old, old_search, old_bi, old_ext, old_ext_bi) VALUES ('tickets', old.id, 1, old.search, old.search_bi, old.search_ext, old.search_ext_bi);
END;
DROP TRIGGER search_flush_run;
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
    INSERT INTO tickets_ext_fts (tickets_ext_fts, rowid, search_ext) SELECT 'delete', q.row_id, q.old_ext FROM search_queue q
        WHERE q.tbl = 'tickets' AND q.had_old = 1 AND q.old_ext <> '' AND q.seq = (SELECT min(seq) FROM search_queue WHERE tbl = 'tickets' AND row_id = q.row_id);
    INSERT INTO tickets_ext_bi (tickets_ext_bi, rowid, search_ext_bi) SELECT 'delete', q.row_id, q.old_ext_bi FROM search_queue q
        WHERE q.tbl = 'tickets' AND q.had_old = 1 AND q.old_ext_bi <> '' AND q.seq = (SELECT min(seq) FROM search_queue WHERE tbl = 'tickets' AND row_id = q.row_id);
    INSERT INTO tickets_ext_fts (rowid, search_ext) SELECT id, search_ext FROM tickets WHERE search_ext <> '' AND id IN (SELECT row_id FROM search_queue WHERE tbl = 'tickets');
    INSERT INTO tickets_ext_bi (rowid, search_ext_bi) SELECT id, search_ext_bi FROM tickets WHERE search_ext_bi <> '' AND id IN (SELECT row_id FROM search_queue WHERE tbl = 'tickets');
    DELETE FROM search_queue;
END;
