-- Review 72 #3 (R-016): a quote line finds its catalogue part by the code's key
-- (domain/parts.h part_code_key: case and full width folded, dashes as '-'), so `mb-300` or
-- `ＭＢ-300` takes the unified price of MB-300 instead of passing as a part priced by hand.
-- The catalogue's writes keep the key (app/parts_entities.c); the parts that existed before
-- get theirs from the migration's C step (src/store/migrate.c).
ALTER TABLE parts ADD COLUMN code_key TEXT NOT NULL DEFAULT '';
CREATE INDEX parts_by_code_key ON parts (code_key);
