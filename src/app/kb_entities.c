/* SPDX-License-Identifier: MIT */
/* The knowledge base declared on the entity engine (issue 18 item 4, R-008, R-072;
 * docs/knowledge.md): articles of solved difficult problems and seminar lessons (symptom,
 * model, fault category, cause, solution, source, status draft → published → archived),
 * searchable in Chinese by q= like tickets (trigram and character-pair indexes over the
 * COL_SEARCH columns and the model's code and name), and the improvement inputs forwarded
 * to the technical department. Staff only: no customer or dealer route reads them. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/kb.h"
#include "domain/knowledge.h"

extern const struct entity ent_models, ent_users, ent_tickets, ent_customers;

static const struct col kb_cols[] = {
    COMMON_COLS,
    {"title", F_STR, COL_REQUIRED | COL_SORT | COL_SEARCH, 120, NULL, 0, 0, NULL},
    {"symptom", F_TEXT, COL_SEARCH, 4000, NULL, 0, 0, NULL},
    {"model_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_models},
    {"fault_category", F_STR, COL_FILTER, 40, NULL, 0, 0, NULL},
    {"cause", F_TEXT, COL_SEARCH, 4000, NULL, 0, 0, NULL},
    {"solution", F_TEXT, COL_SEARCH, 4000, NULL, 0, 0, NULL},
    {"source", F_ENUM, COL_FILTER, 0, kb_source_names, 0, 0, NULL},
    {"source_ticket_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_tickets},
    {"source_note", F_STR, COL_SEARCH, 200, NULL, 0, 0, NULL},
    {"status", F_ENUM, COL_FILTER | COL_SORT, 0, kb_status_names, 0, 0, NULL},
    {"helped_count", F_INT, COL_READONLY | COL_SORT, 0, NULL, 0, 0, NULL},
    {"author_id", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0,
     &ent_users},
};

static void set_val(struct ent_write *w, const char *name, const char *text)
{
    struct fval *v = ent_slot(w, name);
    if (!v)
        return;
    v->present = true;
    v->is_null = text == NULL;
    v->text = text;
    v->i = text ? strtoll(text, NULL, 10) : 0;
}

static enum sh_code field_reason(struct sh_err *e, const char *field, const char *reason,
                                 const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

/* A fault category is one of the configured codes (the tickets' list). */
static enum sh_code category_ok(struct ent_write *w, struct sh_err *e)
{
    const char *fc = ent_val(w, "fault_category");
    if (!fc || !*fc || !ent_changed(w, "fault_category"))
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(w->u->tx, w->u->a, "SELECT id FROM fault_categories WHERE code = $1",
                               DB_P(DB_TEXT(fc)), &r, e);
    if (rc || r.nrows)
        return rc;
    sh_err_field(e, SH_INVALID, "fault_category", "no fault category '%s'", fc);
    return sh_err_reason_str1(e, "unknown_reference", "entity", "fault_category");
}

/* RULE issue 18 item 4: an article has a title; a published one says how the problem was
 * solved; an article made from a ticket names it. */
static enum sh_code kb_before(struct ent_write *w, struct sh_err *e)
{
    const char *title = ent_val(w, "title"), *status = ent_val(w, "status");
    if (!title || !*title)
        return field_reason(e, "title", "required", "an article has a title");
    const char *sol = ent_val(w, "solution");
    if (status && !strcmp(status, "published") && (!sol || !*sol))
        return field_reason(e, "solution", "required", "a published article has a solution");
    if (w->creating) {
        if (w->u->who && w->u->who->user_id)
            set_val(w, "author_id", sh_arena_printf(w->u->a, "%" PRId64, w->u->who->user_id));
        if (!ent_val(w, "source"))
            set_val(w, "source", ent_val(w, "source_ticket_id") ? "ticket" : "other");
        if (!status)
            set_val(w, "status", "draft");
    }
    return category_ok(w, e);
}

/* The model's code and name are searchable with the article. */
static const char *kb_search_extra(struct ent_write *w)
{
    const char *m = ent_val(w, "model_id");
    struct db_rows r;
    struct sh_err e = {0};
    if (!m ||
        db_query(w->u->tx, w->u->a, "SELECT code, name FROM product_models WHERE id = $1",
                 DB_P(DB_TEXT(m)), &r, &e) ||
        !r.nrows)
        return NULL;
    return sh_arena_printf(w->u->a, "%s %s", db_get(&r, 0, "code"), db_get(&r, 0, "name"));
}

static const struct list_view kb_views[] = {
    {"mine", "true", "t.author_id = {me}"},
    {NULL, NULL, NULL},
};

const struct entity ent_kb_articles = {
    .name = "kb_article",
    .table = "kb_articles",
    .cols = kb_cols,
    .ncols = NCOLS(kb_cols),
    .label_col = "title",
    .default_sort = "-id",
    .search = true,
    .views = kb_views,
    .before_write = kb_before,
    .search_extra = kb_search_extra,
};

/* ---- improvement input (R-072) ---- */

static const struct col improve_cols[] = {
    COMMON_COLS,
    {"kind", F_ENUM, COL_FILTER, 0, improve_kind_names, 0, 0, NULL},
    {"title", F_STR, COL_REQUIRED | COL_SORT | COL_SEARCH, 120, NULL, 0, 0, NULL},
    {"body", F_TEXT, COL_SEARCH, 4000, NULL, 0, 0, NULL},
    {"ticket_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_tickets},
    {"customer_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"model_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_models},
    {"status", F_ENUM, COL_FILTER | COL_SORT, 0, improve_status_names, 0, 0, NULL},
    {"reply", F_TEXT, COL_SEARCH, 4000, NULL, 0, 0, NULL},
    {"created_by", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0,
     &ent_users},
};

/* RULE issue 18 item 4: an input is linked to a ticket or a customer (the ticket's
 * customer when only the ticket is given); the technical department's answer is its reply:
 * an input is rejected or done only with one. */
static enum sh_code improve_before(struct ent_write *w, struct sh_err *e)
{
    const char *title = ent_val(w, "title"), *status = ent_val(w, "status");
    if (!title || !*title)
        return field_reason(e, "title", "required", "an input has a title");
    const char *tk = ent_val(w, "ticket_id");
    if (!tk && !ent_val(w, "customer_id"))
        return field_reason(e, "ticket_id", "required",
                            "an input is linked to a ticket or a customer");
    if (tk && !ent_val(w, "customer_id")) {
        struct db_rows r;
        enum sh_code rc =
            db_query(w->u->tx, w->u->a, "SELECT customer_id, model_id FROM tickets WHERE id = $1",
                     DB_P(DB_TEXT(tk)), &r, e);
        if (rc)
            return rc;
        if (r.nrows && db_get(&r, 0, "customer_id"))
            set_val(w, "customer_id", db_get(&r, 0, "customer_id"));
        if (r.nrows && db_get(&r, 0, "model_id") && !ent_val(w, "model_id"))
            set_val(w, "model_id", db_get(&r, 0, "model_id"));
    }
    const char *reply = ent_val(w, "reply");
    if (status && (!strcmp(status, "rejected") || !strcmp(status, "done")) && (!reply || !*reply))
        return field_reason(e, "reply", "required", "a rejected or done input has a reply");
    if (w->creating) {
        if (w->u->who && w->u->who->user_id)
            set_val(w, "created_by", sh_arena_printf(w->u->a, "%" PRId64, w->u->who->user_id));
        if (!status)
            set_val(w, "status", "new");
        if (!ent_val(w, "kind"))
            set_val(w, "kind", "customer_need");
    }
    return SH_OK;
}

/* The names of the records it refers to are searchable with it. */
static const char *improvement_input_search_extra(struct ent_write *w)
{
    static const char *const refs[] = {"customer_id", "model_id", "ticket_id", NULL};
    return ent_ref_labels(w, refs);
}

const struct entity ent_improvement_inputs = {
    .name = "improvement_input",
    .table = "improvement_inputs",
    .cols = improve_cols,
    .ncols = NCOLS(improve_cols),
    .label_col = "title",
    .default_sort = "-id",
    .before_write = improve_before,
    .search = true,
    .search_extra = improvement_input_search_extra,
};
