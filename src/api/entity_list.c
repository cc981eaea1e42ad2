/* SPDX-License-Identifier: MIT */
/* The entity handlers' lists: the query string is read here (limit, format, sort, cursor,
 * q, expand and the filters), the list is planned and run by app/entity_list.c, and the
 * page is rendered (or the rows streamed into a CSV or XLSX file, api/export.c). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api/entity_int.h"
#include "api/export.h"
#include "app/resources.h"

#define LIST_DEFAULT 50
#define LIST_MAX     500

/* Sets e to an invalid query parameter: code 400, the field, a reason with its params. */
static enum sh_code bad_param(struct sh_err *e, const char *field, const char *reason,
                              const char *params, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, "%s", params);
}

/* limit= and format= (NULL: JSON; "csv" or "xlsx": an export), then the rest of the query. */
static enum sh_code list_input(struct api_ctx *c, struct ent_list_in *in, const char **format,
                               struct sh_err *e)
{
    memset(in, 0, sizeof(*in));
    in->limit = LIST_DEFAULT;
    const char *ls = http_query(c->req, "limit");
    if (ls) {
        char *end;
        in->limit = strtol(ls, &end, 10);
        if (!*ls || *end || in->limit < 1 || in->limit > LIST_MAX)
            return bad_param(e, "limit", "out_of_range", "{\"min\":1,\"max\":500}",
                             "'limit' must be between 1 and 500");
    }
    const char *fmt = http_query(c->req, "format");
    *format = NULL;
    if (fmt && strcmp(fmt, "json")) {
        if (strcmp(fmt, "csv") && strcmp(fmt, "xlsx"))
            return bad_param(e, "format", "unknown_value",
                             "{\"allowed\":[\"json\",\"csv\",\"xlsx\"]}",
                             "'format' must be json, csv or xlsx");
        *format = fmt;
        in->export = true;
    }
    in->sort = http_query(c->req, "sort");
    in->cursor = http_query(c->req, "cursor");
    in->q = http_query(c->req, "q");
    in->expand = http_query(c->req, "expand");
    struct ent_param *p = sh_arena_alloc(c->a, sizeof(*p) * (size_t)(c->req->nquery + 1));
    for (int i = 0; i < c->req->nquery; i++)
        p[i] = (struct ent_param){c->req->query[i].k, c->req->query[i].v};
    in->params = p;
    in->nparams = c->req->nquery;
    return SH_OK;
}

struct list_ctx {
    struct api_ctx *c;
    struct ent_list l;
    struct ent_page page;
    const char *format;       /* csv or xlsx: an export */
    struct export_sink *sink; /* NULL until the export's read begins it */
    const char **extra;       /* the entity's extra member of each item (read_extra) */
};

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct list_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    enum sh_code rc = uc_ent_list(&u, &x->l, &x->page, e);
    return rc ? rc : uc_ent_read_extra(&u, x->l.ent, &x->page.rows, x->page.shown, &x->extra, e);
}

static enum sh_code export_sink(void *ctx, const struct db_rows *r, struct sh_err *e)
{
    return export_add(ctx, r, e);
}

/* The file is begun inside the read: a read run again (store/db.h) drops the file its first
 * run wrote and writes it afresh. */
static enum sh_code export_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct list_ctx *x = arg;
    if (x->sink)
        export_end(x->sink, false);
    x->sink = NULL;
    enum sh_code rc = export_begin(x->c, x->l.ent, x->format, &x->sink, e);
    if (rc)
        return rc;
    const struct uc u = api_uc(x->c, tx);
    return uc_ent_export(&u, &x->l, export_sink, x->sink, e);
}

static void list_export(struct list_ctx *x, const char *format)
{
    struct sh_err e;
    sh_err_clear(&e);
    x->format = format;
    enum sh_code rc = db_read(x->c->app->db, export_run, x, &e);
    if (x->sink)
        export_end(x->sink, rc == SH_OK);
    if (rc)
        api_reply_err(x->c, &e);
}

static void render_item(struct jw *w, int i, const void *arg)
{
    const struct list_ctx *x = arg;
    ent_render_extra(w, x->l.ent, &x->page.rows, i, api_is_external(x->c), x->extra);
}

static void list_common(struct api_ctx *c, const struct entity *ent, const char *parent_col,
                        int64_t parent_id)
{
    struct list_ctx x = {.c = c};
    struct ent_list_in in;
    const char *format;
    struct sh_err e;
    sh_err_clear(&e);
    const struct uc u = api_uc(c, NULL);
    enum sh_code rc = list_input(c, &in, &format, &e);
    in.parent_col = parent_col;
    in.parent_id = parent_id;
    if (!rc)
        rc = ent_list_plan(&u, ent, &in, &x.l, &e);
    if (rc)
        api_reply_err(c, &e);
    else if (format)
        list_export(&x, format);
    else if (db_read(c->app->db, list_run, &x, &e))
        api_reply_err(c, &e);
    else
        api_reply_page(c, &(struct api_page){.n = x.page.shown,
                                             .item = render_item,
                                             .arg = &x,
                                             .has_total = true,
                                             .total = x.page.total,
                                             .total_capped = x.page.total_capped,
                                             .total_estimated = x.page.total_estimated,
                                             .limit = x.l.limit,
                                             .has_cursor = true,
                                             .next_cursor = x.page.next_cursor});
    if (x.l.ent) /* planned (also when the plan refused) */
        ent_list_release(&x.l);
}

void ent_list(struct api_ctx *c)
{
    list_common(c, c->route->ent, NULL, 0);
}

/* Child lists: the parent must exist and be in the caller's scope. */
struct parent_ctx {
    struct api_ctx *c;
    int64_t id;
};

static enum sh_code parent_check(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct parent_ctx *p = arg;
    const struct uc u = api_uc(p->c, tx);
    return uc_ent_visible(&u, &ent_customers, p->id, e);
}

void ent_list_child(struct api_ctx *c)
{
    /* every child collection so far hangs off a customer: /customers/{id}/<children> */
    struct parent_ctx p = {.c = c};
    if (!api_param_id(c, 0, &p.id))
        return;
    if (!api_read_or_reply(c, parent_check, &p))
        return;
    list_common(c, c->route->ent, "customer_id", p.id);
}
