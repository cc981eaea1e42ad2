-- Chinese substring search: trigram GIN indexes serve ILIKE '%…%'.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX customers_search_trgm ON customers USING gin (search gin_trgm_ops);
CREATE INDEX units_search_trgm ON units USING gin (search gin_trgm_ops);
CREATE INDEX product_models_search_trgm ON product_models USING gin (search gin_trgm_ops);
