/* SPDX-License-Identifier: MIT */
/* The knowledge base's use cases (issue 18 item 4; docs/knowledge.md): the entities
 * (app/kb_entities.c), the suggestions for a fault description and model, "this helped" on
 * a ticket, and an article drafted from a resolved ticket. */
#ifndef SH_APP_KB_H
#define SH_APP_KB_H

#include "app/entity.h"
#include "app/uc.h"

extern const struct entity ent_kb_articles, ent_improvement_inputs;

#define KB_SUGGEST_MAX 10

struct kb_suggest_in {
    const char *text; /* the fault description */
    int64_t model_id; /* 0: none */
    int limit;        /* 1..KB_SUGGEST_MAX */
};

struct kb_suggestion {
    int64_t id, model_id, helped_count, score;
    int matched; /* the description's pairs found in the article */
    const char *title, *symptom, *model_name, *fault_category;
};

struct kb_suggest_out {
    struct kb_suggestion *items;
    int n;
};

/* The published articles that match text and model, best first (domain/knowledge.h). */
SH_WUR enum sh_code uc_kb_suggest(const struct uc *u, const struct kb_suggest_in *in,
                                  struct kb_suggest_out *out, struct sh_err *e);

struct kb_link_out {
    bool created;
    int64_t helped_count;
};
/* "This article helped this ticket": the ticket as the caller may see it (404), a published
 * article (404 when absent, 409 guard otherwise). */
SH_WUR enum sh_code uc_kb_link(const struct uc *u, int64_t ticket_id, int64_t article_id,
                               struct kb_link_out *out, struct sh_err *e);

/* The articles marked as helping a ticket: rows id, title, helped_count. */
SH_WUR enum sh_code uc_kb_links_of(const struct uc *u, int64_t ticket_id, struct db_rows *out,
                                   struct sh_err *e);

/* A draft article from a resolved or closed ticket (409 guard otherwise): symptom from the
 * description, cause from the work orders' findings, solution from the resolution notes and
 * the work done. */
SH_WUR enum sh_code uc_kb_from_ticket(const struct uc *u, int64_t ticket_id,
                                      struct ent_written *out, struct sh_err *e);

#endif
