CREATE INDEX tickets_search_trgm ON tickets USING gin (search gin_trgm_ops);
