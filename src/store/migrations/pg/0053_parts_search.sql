-- The search indexes of 0053 (common): pg_trgm for 3+ characters, the pair text's tsvector.
CREATE INDEX parts_search_trgm ON parts USING gin (search gin_trgm_ops);
CREATE INDEX parts_search_bi ON parts USING gin (to_tsvector('simple', search_bi));
