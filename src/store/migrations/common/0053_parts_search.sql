-- q= text search on the parts catalogue (docs/parts.md; review 68 L6: the quote editor's part
-- picker finds a part by part of its code or name): a trigram text `search` and a
-- character-pair text `search_bi` as on the other searchable lists, indexed per dialect.
-- Parts that existed before get their search text here and their pair text from the
-- migration's C step (src/store/migrate.c).
ALTER TABLE parts ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE parts ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
UPDATE parts SET search = COALESCE(code, '') || ' ' || COALESCE(name, '') || ' ' || COALESCE(models, '') || ' ';
