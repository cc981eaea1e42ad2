-- Knowledge articles: pg_trgm for 3+ characters, the pair text's tsvector for 1-2
-- characters and for the suggestions' OR of the description's pairs.
CREATE INDEX kb_articles_search_trgm ON kb_articles USING gin (search gin_trgm_ops);
CREATE INDEX kb_articles_search_bi ON kb_articles USING gin (to_tsvector('simple', search_bi));
