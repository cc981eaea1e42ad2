/* SPDX-License-Identifier: MIT */
/* GET/PATCH /api/v1/settings: the company switches (admin only, audited, ETag). */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "api/ifmatch.h"
#include "app/settings.h"
#include "base/date.h"

struct settings_call {
    struct api_ctx *c;
    struct settings_update_in in;
    struct setting_list out;
};

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct settings_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_settings_get(&u, &x->out, e);
}

static enum sh_code patch_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct settings_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_settings_update(&u, &x->in, &x->out, e);
}

static void reply(struct api_ctx *c, const struct setting_list *s)
{
    const char *js = settings_json(c->a, s);
    if (!js) {
        api_reply_error(c, SH_TOO_BIG, NULL, "response too large");
        return;
    }
    http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%" PRId64 "\"", s->version));
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    if (sh_buf_adds(&b, js) == SH_OK)
        api_reply_json(c, 200, &b);
    else
        api_reply_error(c, SH_TOO_BIG, NULL, "response too large");
    sh_buf_release(&b);
}

void h_settings_get(struct api_ctx *c)
{
    struct settings_call x = {.c = c};
    if (api_read_or_reply(c, get_run, &x))
        reply(c, &x.out);
}

/* {"key": value, ...}: the JSON type of each value becomes the change's type. */
static enum sh_code parse_changes(struct api_ctx *c, struct settings_update_in *in,
                                  struct sh_err *e)
{
    json_t *root;
    enum sh_code rc = api_load_object(c->req->body.buf, c->req->body.len, &root, e);
    if (rc)
        return rc;
    size_t n = json_object_size(root);
    struct setting_change *ch = sh_arena_alloc(c->a, sizeof(*ch) * (n ? n : 1));
    const char *k;
    json_t *v;
    int i = 0;
    json_object_foreach(root, k, v)
    {
        ch[i].key = sh_arena_strdup(c->a, k);
        if (json_is_boolean(v)) {
            ch[i].type = "bool";
            ch[i].value = json_is_true(v) ? "true" : "false";
        } else if (json_is_integer(v)) {
            ch[i].type = "int";
            ch[i].value = sh_arena_printf(c->a, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        } else if (json_is_string(v) && utf8_len(json_string_value(v)) <= 2000) {
            ch[i].type = "text";
            ch[i].value = sh_arena_strdup(c->a, json_string_value(v));
        } else {
            ch[i].type = "other"; /* refused by the use case as invalid_format */
            ch[i].value = "";
        }
        i++;
    }
    json_decref(root);
    in->items = ch;
    in->n = i;
    return SH_OK;
}

void h_settings_patch(struct api_ctx *c)
{
    struct settings_call x = {.c = c};
    struct sh_err e;
    sh_err_clear(&e);
    if (api_if_match(c->req, &x.in.if_match, &e) || parse_changes(c, &x.in, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (api_write_or_reply(c, patch_run, &x))
        reply(c, &x.out);
}
