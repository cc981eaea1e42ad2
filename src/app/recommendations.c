/* SPDX-License-Identifier: MIT */
/* Recommendations and sales leads (app/recommendations.h). */
#include "app/recommendations.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/resources.h"
#include "app/tasks.h"
#include "app/ticket_entities.h"
#include "app/work_orders.h"

static const char *const item_kinds[] = {"product", "part", "other", NULL};
static const char *const lead_statuses[] = {"new", "contacted", "won", "lost", NULL};

static const struct col rec_cols[] = {
    COMMON_COLS,
    {"work_order_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0, NULL},
    {"ticket_id", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0,
     &ent_tickets},
    {"customer_id", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0,
     &ent_customers},
    {"item_kind", F_ENUM, COL_REQUIRED | COL_FILTER, 0, item_kinds, 0, 0, NULL},
    {"code", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"description", F_STR, COL_REQUIRED, 500, NULL, 0, 0, NULL},
    {"quantity", F_INT, 0, 0, NULL, 1, 100000, NULL},
    {"note", F_TEXT, COL_STAFF, 1000, NULL, 0, 0, NULL},
    {"created_by", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_STAFF, 0, NULL, 0, 0,
     &ent_users},
};

static void set(struct ent_write *w, const char *name, const char *text)
{
    struct fval *v = ent_slot(w, name);
    if (!v)
        return;
    v->present = true;
    v->is_null = text == NULL;
    v->text = text;
    v->i = text ? strtoll(text, NULL, 10) : 0; /* ids: the engine reads .i too */
}

static const char *id_text(const struct uc *u, int64_t id)
{
    return id ? sh_arena_printf(u->a, "%" PRId64, id) : NULL;
}

/* RULE R-170: recorded on a work order the caller may see (a technician: one they lead or
 * help on); the ticket and its customer come from it. */
static enum sh_code rec_before(struct ent_write *w, struct sh_err *e)
{
    const struct uc *u = w->u;
    if (!w->creating)
        return SH_OK;
    const char *wo = ent_val(w, "work_order_id");
    struct wo_view v;
    enum sh_code rc = uc_work_order_load(u, wo ? strtoll(wo, NULL, 10) : 0, &v, e);
    if (rc == SH_NOT_FOUND) {
        sh_err_clear(e);
        sh_err_field(e, SH_INVALID, "work_order_id", "no such work order %s", wo ? wo : "");
        return sh_err_reason(e, "unknown_reference", NULL);
    }
    if (rc)
        return rc;
    struct db_rows r;
    if ((rc = db_query(u->tx, u->a, "SELECT customer_id FROM tickets WHERE id = $1",
                       DB_P(DB_INT(v.row.ticket_id)), &r, e)))
        return rc;
    set(w, "ticket_id", id_text(u, v.row.ticket_id));
    set(w, "customer_id", r.nrows ? id_text(u, db_get_int(&r, 0, "customer_id", 0)) : NULL);
    set(w, "created_by", id_text(u, u->who ? u->who->user_id : 0));
    if (!ent_val(w, "quantity"))
        set(w, "quantity", "1");
    return SH_OK;
}

static void put(struct fval *v, const char *name, const char *text)
{
    int i = ent_colidx(&ent_leads, name);
    if (i >= 0)
        v[i] = (struct fval){.present = true,
                             .is_null = text == NULL,
                             .text = text,
                             .i = text ? strtoll(text, NULL, 10) : 0};
}

/* RULE R-098: every recommendation is a lead for sales (status new) and a task for the sales
 * role, in the same transaction. */
static enum sh_code rec_after(struct ent_write *w, struct sh_err *e)
{
    const struct uc *u = w->u;
    if (!w->creating)
        return SH_OK;
    const char *code = ent_val(w, "code"), *qty = ent_val(w, "quantity");
    const char *title =
        sh_arena_printf(u->a, "%s%s%s × %s", code && *code ? code : "", code && *code ? " " : "",
                        ent_val(w, "description"), qty ? qty : "1");
    size_t sz = sizeof(struct fval) * (size_t)ent_leads.ncols;
    struct fval *v = sh_arena_alloc(u->a, sz);
    memset(v, 0, sz);
    put(v, "recommendation_id", id_text(u, w->id));
    put(v, "customer_id", ent_val(w, "customer_id"));
    put(v, "ticket_id", ent_val(w, "ticket_id"));
    put(v, "work_order_id", ent_val(w, "work_order_id"));
    put(v, "title", title);
    put(v, "status", "new");
    int64_t lead = 0, task = 0;
    enum sh_code rc = uc_ent_insert(u, &ent_leads, v, &lead, NULL, e);
    if (rc)
        return rc;
    const char *tk = ent_val(w, "ticket_id");
    struct task_in ti = {.kind = "sales_lead",
                         .title = title,
                         .body = ent_val(w, "note") ? ent_val(w, "note") : "",
                         .role = "sales",
                         .ticket_id = tk ? strtoll(tk, NULL, 10) : 0,
                         .source = "lead",
                         .source_id = lead};
    return uc_task_create(u, &ti, &task, e);
}

const struct entity ent_recommendations = {
    .name = "recommendation",
    .table = "recommendations",
    .cols = rec_cols,
    .ncols = NCOLS(rec_cols),
    .scope_col = "customer_id",
    /* a technician reads the recommendations of their own work orders (as they record them) */
    .tech_scope = WO_CREW_SCOPE,
    .label_col = "description",
    .default_sort = "-id",
    .before_write = rec_before,
    .after_write = rec_after,
};

static const struct col lead_cols[] = {
    COMMON_COLS,
    {"title", F_STR, COL_REQUIRED | COL_SEARCH, 600, NULL, 0, 0, NULL},
    {"status", F_ENUM, COL_FILTER | COL_SORT, 0, lead_statuses, 0, 0, NULL},
    {"customer_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"owner_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"note", F_TEXT, COL_SEARCH, 2000, NULL, 0, 0, NULL},
    {"recommendation_id", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0,
     0, &ent_recommendations},
    {"ticket_id", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0,
     &ent_tickets},
    {"work_order_id", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0,
     NULL},
};

/* A lead entered by hand starts new. */
static enum sh_code lead_before(struct ent_write *w, struct sh_err *e)
{
    (void)e;
    if (w->creating && !ent_val(w, "status"))
        set(w, "status", "new");
    return SH_OK;
}

/* The names of the records it refers to are searchable with it. */
static const char *lead_search_extra(struct ent_write *w)
{
    static const char *const refs[] = {"customer_id", "owner_id", NULL};
    return ent_ref_labels(w, refs);
}

const struct entity ent_leads = {
    .name = "lead",
    .table = "leads",
    .cols = lead_cols,
    .ncols = NCOLS(lead_cols),
    .label_col = "title",
    .default_sort = "-id",
    .before_write = lead_before,
    .search = true,
    .search_extra = lead_search_extra,
};
