CREATE INDEX tickets_search_ext_trgm ON tickets USING gin (search_ext gin_trgm_ops);
CREATE INDEX tickets_search_ext_bi ON tickets USING gin (to_tsvector('simple', search_ext_bi));
