-- One- and two-character search terms (漏水, 跳闸, a surname) cannot use the trigram
-- indexes: a character-pair text (base/bigram.c) is kept beside each search text and
-- indexed per dialect. Existing rows are filled in by the migration's C step.
ALTER TABLE customers ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
ALTER TABLE product_models ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN search_bi TEXT NOT NULL DEFAULT '';
