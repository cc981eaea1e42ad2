/* SPDX-License-Identifier: MIT */
/* /api/v1/notification-templates: the message templates per event and locale (admin). */
#include <string.h>

#include "api/handlers.h"
#include "app/notify_templates.h"

struct tpl_call {
    struct api_ctx *c;
    struct notify_template_list list;
    struct notify_template one;
    const char *kind, *locale, *subject, *body;
};

static void tpl_render(struct jw *w, const struct notify_template *t)
{
    jw_obj_begin(w);
    jw_kstr(w, "kind", t->kind);
    jw_kstr(w, "locale", t->locale);
    jw_kstr(w, "subject", t->subject);
    jw_kstr(w, "body", t->body);
    jw_key(w, "variables");
    jw_arr_begin(w);
    for (const char *const *v = t->vars; *v; v++)
        jw_str(w, *v);
    jw_arr_end(w);
    jw_kbool(w, "customized", t->customized);
    jw_kstr(w, "updated_at", t->updated_at);
    jw_obj_end(w);
}

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct tpl_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_notify_templates(&u, &x->list, e);
}

static void tpl_item(struct jw *w, int i, const void *arg)
{
    tpl_render(w, &((const struct tpl_call *)arg)->list.items[i]);
}

void h_notify_templates(struct api_ctx *c)
{
    struct tpl_call x = {.c = c};
    if (!api_read_or_reply(c, list_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.list.n, .item = tpl_item, .arg = &x});
}

static enum sh_code set_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct tpl_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_notify_template_set(&u, x->kind, x->locale, x->subject, x->body, &x->one, e);
}

void h_notify_template_put(struct api_ctx *c)
{
    struct tpl_call x = {.c = c};
    x.kind = c->req->nparams > 1 ? c->req->params[0] : "";
    x.locale = c->req->nparams > 1 ? c->req->params[1] : "";
    json_t *root;
    struct sh_err e;
    sh_err_clear(&e);
    if (api_load_object(c->req->body.buf, c->req->body.len, &root, &e)) {
        api_reply_err(c, &e);
        return;
    }
    const char *k;
    json_t *v;
    bool bad = false;
    json_object_foreach(root, k, v)
    {
        if ((strcmp(k, "subject") && strcmp(k, "body")) || !json_is_string(v))
            bad = true;
        else if (!strcmp(k, "subject"))
            x.subject = sh_arena_strdup(c->a, json_string_value(v));
        else
            x.body = sh_arena_strdup(c->a, json_string_value(v));
    }
    json_decref(root);
    if (bad) {
        api_reply_error(c, SH_INVALID, NULL, "the body takes subject and body, both text");
        return;
    }
    if (!api_write_or_reply(c, set_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    tpl_render(&w, &x.one);
    api_reply_jw(c, 200, &b, &w);
}
