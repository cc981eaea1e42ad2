/* SPDX-License-Identifier: MIT */
/* The handlers of the generic entity engine (app/entity.h): parse the request, call the
 * use case, render. This file: get (ETag, If-None-Match) and the caller's scope; lists are
 * in entity_list.c, writes in entity_write.c. */
#include <string.h>

#include "api/entity_int.h"

bool ent_row_in_scope(const struct api_ctx *c, const struct entity *ent, const struct db_rows *r,
                      int row)
{
    return ent_row_visible(&c->who, ent, r, row);
}

void set_etag(struct api_ctx *c, const char *version)
{
    http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%s\"", version ? version : "0"));
}

struct get_ctx {
    struct api_ctx *c;
    int64_t id;
    struct db_rows rows;
    const char **extra; /* the entity's extra member (read_extra) */
};

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct get_ctx *g = arg;
    const struct uc u = api_uc(g->c, tx);
    enum sh_code rc =
        uc_ent_get(&u, g->c->route->ent, g->id, http_query(g->c->req, "expand"), &g->rows, e);
    return rc ? rc : uc_ent_read_extra(&u, g->c->route->ent, &g->rows, 1, &g->extra, e);
}

void ent_get(struct api_ctx *c)
{
    struct get_ctx g = {.c = c};
    if (!api_param_id(c, 0, &g.id))
        return;
    if (!api_read_or_reply(c, get_run, &g))
        return;
    const char *inm = http_header(c->req, "If-None-Match");
    const char *ver = db_get(&g.rows, 0, "version");
    set_etag(c, ver);
    if (inm && !strncmp(inm, "W/", 2))
        inm += 2;
    if (inm && ver && (!strcmp(inm, "*") || !strcmp(inm, sh_arena_printf(c->a, "\"%s\"", ver)))) {
        c->req->status = 304;
        return;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    ent_render_extra(&w, c->route->ent, &g.rows, 0, api_is_external(c), g.extra);
    api_reply_jw(c, 200, &b, &w);
}
