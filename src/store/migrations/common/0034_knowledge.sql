-- Issue 18 item 4 (R-008, R-072; docs/knowledge.md): the knowledge base of solved difficult
-- problems and seminar lessons, searchable in Chinese like tickets (a trigram text `search`
-- and a character-pair text `search_bi`, indexed per dialect); the tickets each article
-- helped (kb_links, counted in kb_articles.helped_count in the same transaction); customer
-- needs and product feedback forwarded to the technical department (improvement_inputs).

CREATE TABLE kb_articles (
    id {{ID}},
    title TEXT NOT NULL,
    symptom TEXT NOT NULL DEFAULT '',
    model_id BIGINT REFERENCES product_models(id),
    fault_category TEXT NOT NULL DEFAULT '',
    cause TEXT NOT NULL DEFAULT '',
    solution TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT 'ticket' CHECK (source IN ('ticket', 'seminar', 'other')),
    source_ticket_id BIGINT REFERENCES tickets(id),
    source_note TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    helped_count INTEGER NOT NULL DEFAULT 0,
    author_id BIGINT REFERENCES users(id),
    search TEXT NOT NULL DEFAULT '',
    search_bi TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX kb_articles_status ON kb_articles(status, id);
CREATE INDEX kb_articles_model ON kb_articles(model_id);
CREATE INDEX kb_articles_ticket ON kb_articles(source_ticket_id);

-- "this helped" on a ticket: one row per (ticket, article)
CREATE TABLE kb_links (
    id {{ID}},
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    article_id BIGINT NOT NULL REFERENCES kb_articles(id),
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    UNIQUE (ticket_id, article_id)
);
CREATE INDEX kb_links_article ON kb_links(article_id);

-- R-072: a customer need or product feedback forwarded as improvement input
CREATE TABLE improvement_inputs (
    id {{ID}},
    kind TEXT NOT NULL DEFAULT 'customer_need' CHECK (kind IN ('customer_need', 'product_feedback')),
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    ticket_id BIGINT REFERENCES tickets(id),
    customer_id BIGINT REFERENCES customers(id),
    model_id BIGINT REFERENCES product_models(id),
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'accepted', 'rejected', 'done')),
    reply TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX improvement_inputs_status ON improvement_inputs(status, id);
