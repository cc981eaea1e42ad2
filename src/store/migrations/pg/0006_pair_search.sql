-- Pair indexes: the simple configuration keeps each pair as a lexeme; prefix queries find one character.
CREATE INDEX customers_search_bi ON customers USING gin (to_tsvector('simple', search_bi));
CREATE INDEX units_search_bi ON units USING gin (to_tsvector('simple', search_bi));
CREATE INDEX product_models_search_bi ON product_models USING gin (to_tsvector('simple', search_bi));
CREATE INDEX tickets_search_bi ON tickets USING gin (to_tsvector('simple', search_bi));
