/* SPDX-License-Identifier: MIT */
/* The audit trail: one row per write, inside the write's transaction,
 * and GET /api/v1/audit?entity=&id= to read it. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "app/audit_row.h"

enum sh_code audit_write(struct db_tx *tx, const struct principal *who, const char *entity,
                         int64_t id, const char *action, const char *before, const char *after,
                         struct sh_err *e)
{
    const struct uc u = {.tx = tx, .who = who, .now = sh_now()};
    return uc_audit(&u, entity, id, action, before, after, e);
}

struct audit_ctx {
    struct api_ctx *c;
    const char *entity;
    int64_t id;
    int64_t before_id;
    long limit;
    struct db_rows rows;
};

static enum sh_code audit_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct audit_ctx *x = arg;
    return db_query(
        tx, x->c->a,
        "SELECT a.id, a.at, a.user_id, a.username, NULLIF(us.display_name, '') AS user_name, "
        "a.entity, a.entity_id, a.action, a.before_json, a.after_json FROM audit_log a LEFT "
        "JOIN users us ON us.id = a.user_id WHERE ($1 = '' OR a.entity = $1) AND "
        "($2 = 0 OR a.entity_id = $2) AND a.id < $3 ORDER BY a.id DESC LIMIT $4",
        DB_P(DB_TEXT(x->entity), DB_INT(x->id), DB_INT(x->before_id), DB_INT(x->limit + 1)),
        &x->rows, e);
}

static void audit_item(struct jw *w, int i, const void *arg)
{
    const struct db_rows *r = arg;
    jw_obj_begin(w);
    jw_kintstr(w, "id", db_get(r, i, "id"));
    jw_kstr(w, "at", db_get(r, i, "at"));
    jw_kintstr(w, "user_id", db_get(r, i, "user_id"));
    jw_kstr(w, "username", db_get(r, i, "username"));
    jw_kstr(w, "user_name", db_get(r, i, "user_name")); /* the display name */
    jw_kstr(w, "entity", db_get(r, i, "entity"));
    jw_kintstr(w, "entity_id", db_get(r, i, "entity_id"));
    jw_kstr(w, "action", db_get(r, i, "action"));
    const char *b = db_get(r, i, "before_json"), *a = db_get(r, i, "after_json");
    jw_key(w, "before");
    if (b)
        jw_raw(w, b);
    else
        jw_null(w);
    jw_key(w, "after");
    if (a)
        jw_raw(w, a);
    else
        jw_null(w);
    jw_obj_end(w);
}

/* Renders audit rows (newest first) as {"items": [...], "next_cursor": …}. */
void audit_render(struct jw *w, const struct db_rows *r, long limit)
{
    int shown = r->nrows > limit ? (int)limit : r->nrows;
    api_page_render(
        w, &(struct api_page){.n = shown,
                              .item = audit_item,
                              .arg = r,
                              .has_cursor = true,
                              .next_cursor = r->nrows > limit ? db_get(r, shown - 1, "id") : NULL});
}

/* The object j of ent without staff-only and internal fields, as JSON text; NULL when j is
 * not an object or belongs to another owner (scope column != customer_id). */
static char *owned_json(const struct entity *ent, json_t *j, int64_t customer_id)
{
    if (!json_is_object(j))
        return NULL;
    const char *scope = ent->scope_col ? ent->scope_col : "customer_id";
    json_t *owner = json_object_get(j, scope);
    if (!json_is_integer(owner) || json_integer_value(owner) != customer_id)
        return NULL;
    json_t *out = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v)
    {
        int i = ent_colidx(ent, k);
        if (i >= 0 && !(ent->cols[i].flags & (COL_STAFF | COL_INTERNAL)))
            json_object_set(out, k, v);
    }
    char *s = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    return s;
}

static void render_owned_row(struct jw *w, const struct db_rows *r, int i, const char *after,
                             const char *before)
{
    jw_obj_begin(w);
    jw_kintstr(w, "id", db_get(r, i, "id"));
    jw_kstr(w, "at", db_get(r, i, "at"));
    jw_knull(w, "user_id"); /* staff login names are not for customers */
    jw_knull(w, "username");
    jw_knull(w, "user_name");
    jw_kstr(w, "entity", db_get(r, i, "entity"));
    jw_kintstr(w, "entity_id", db_get(r, i, "entity_id"));
    jw_kstr(w, "action", db_get(r, i, "action"));
    jw_key(w, "before");
    if (before)
        jw_raw(w, before);
    else
        jw_null(w);
    jw_key(w, "after");
    if (after)
        jw_raw(w, after);
    else
        jw_null(w);
    jw_obj_end(w);
}

struct owned {
    const struct db_rows *r;
    const struct entity *ent;
    int64_t customer_id;
};

/* Row i when it is of this ownership: its resulting state is (a delete: its last state). */
static void owned_item(struct jw *w, int i, const void *arg)
{
    const struct owned *o = arg;
    const char *bs = db_get(o->r, i, "before_json"), *as = db_get(o->r, i, "after_json");
    json_t *bj = bs ? json_loads(bs, 0, NULL) : NULL, *aj = as ? json_loads(as, 0, NULL) : NULL;
    char *after = owned_json(o->ent, aj, o->customer_id),
         *before = owned_json(o->ent, bj, o->customer_id);
    if (aj ? after != NULL : before != NULL)
        render_owned_row(w, o->r, i, after, before);
    free(after);
    free(before);
    json_decref(aj);
    json_decref(bj);
}

void audit_render_owned(struct jw *w, const struct db_rows *r, long limit, const struct entity *ent,
                        int64_t customer_id)
{
    struct owned o = {r, ent, customer_id};
    api_page_render(w, &(struct api_page){.n = r->nrows > limit ? (int)limit : r->nrows,
                                          .item = owned_item,
                                          .arg = &o,
                                          .has_cursor = true});
}

void h_audit_list(struct api_ctx *c)
{
    struct audit_ctx x = {.c = c, .entity = "", .before_id = INT64_MAX, .limit = 50};
    const char *ent = http_query(c->req, "entity");
    const char *id = http_query(c->req, "id");
    const char *cur = http_query(c->req, "cursor");
    const char *lim = http_query(c->req, "limit");
    char *end;
    if (ent) {
        if (strlen(ent) > 40) {
            api_reply_error(c, SH_INVALID, "entity", "'entity' is too long");
            return;
        }
        x.entity = ent;
    }
    if (id) {
        x.id = strtoll(id, &end, 10);
        if (!*id || *end || x.id <= 0) {
            api_reply_error(c, SH_INVALID, "id", "'id' must be a positive integer");
            return;
        }
    }
    if (cur) {
        x.before_id = strtoll(cur, &end, 10);
        if (!*cur || *end || x.before_id <= 0) {
            api_reply_error(c, SH_INVALID, "cursor", "'cursor' is not a cursor this list returned");
            return;
        }
    }
    if (lim) {
        x.limit = strtol(lim, &end, 10);
        if (!*lim || *end || x.limit < 1 || x.limit > 500) {
            api_reply_error(c, SH_INVALID, "limit", "'limit' must be between 1 and 500");
            return;
        }
    }
    if (!api_read_or_reply(c, audit_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    audit_render(&w, &x.rows, x.limit);
    api_reply_jw(c, 200, &b, &w);
}
