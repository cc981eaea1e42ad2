/* SPDX-License-Identifier: MIT */
/* /api/v1/notifications: the outbox with its delivery state (list, retry, a test message)
 * and the channels' settings (admin). docs/notifications.md. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "app/notifications.h"
#include "base/date.h"

struct nt_call {
    struct api_ctx *c;
    struct notify_list_in in;
    struct notify_list_out out;
    struct notify_row row;
    int64_t id;
    const char *channel, *to;
    struct notify_channel ch[5];
    int nch;
    struct notify_channel_in set;
};

static void row_render(struct jw *w, const struct notify_row *r)
{
    jw_obj_begin(w);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "created_at", r->created_at);
    jw_kstr(w, "kind", r->kind);
    jw_kstr(w, "channel", r->channel);
    if (r->recipient_user_id)
        jw_kint(w, "recipient_user_id", r->recipient_user_id);
    else
        jw_knull(w, "recipient_user_id");
    jw_kstr(w, "recipient", r->recipient);
    jw_kstr(w, "address", r->address);
    jw_kstr(w, "subject", r->subject);
    jw_kstr(w, "state", r->state);
    jw_kint(w, "attempts", r->attempts);
    jw_kstr(w, "deliver_after", r->deliver_after);
    jw_kstr(w, "next_attempt_at", r->next_attempt_at);
    jw_kstr(w, "sent_at", r->sent_at);
    jw_kstr(w, "last_error", r->last_error);
    if (r->ticket_id)
        jw_kint(w, "ticket_id", r->ticket_id);
    else
        jw_knull(w, "ticket_id");
    jw_kstr(w, "locale", r->locale);
    if (r->task_id)
        jw_kint(w, "task_id", r->task_id);
    else
        jw_knull(w, "task_id");
    jw_kstr(w, "printed_at", r->printed_at);
    jw_obj_end(w);
}

static void list_item(struct jw *w, int i, const void *arg)
{
    row_render(w, (const struct notify_row *)arg + i);
}

static enum sh_code list_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct nt_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_notify_list(&u, &x->in, &x->out, e);
}

static bool one_of(const char *v, const char *const *names)
{
    for (; *names; names++)
        if (!strcmp(v, *names))
            return true;
    return false;
}

static bool list_params(struct api_ctx *c, struct notify_list_in *in)
{
    static const char *const states[] = {"pending", "sending", "sent",    "failed",
                                         "held",    "dead",    "skipped", NULL};
    static const char *const chans[] = {"email",   "sms",   "wecom",  "dingtalk",
                                        "webhook", "phone", "letter", NULL};
    in->state = http_query(c->req, "state");
    in->channel = http_query(c->req, "channel");
    in->recipient = http_query(c->req, "recipient");
    if (in->state && !one_of(in->state, states))
        return api_reply_error(c, SH_INVALID, "state", "unknown state"), false;
    if (in->channel && !one_of(in->channel, chans))
        return api_reply_error(c, SH_INVALID, "channel", "unknown channel"), false;
    static const char *const names[2] = {"from", "to"};
    for (int i = 0; i < 2; i++) {
        const char *v = http_query(c->req, names[i]);
        struct sh_date d;
        if (v && !sh_date_parse(v, &d))
            return api_reply_error(c, SH_INVALID, names[i], "'%s' must be a date YYYY-MM-DD",
                                   names[i]),
                   false;
        if (v)
            *(i ? &in->to : &in->from) =
                sh_arena_printf(c->a, "%sT%s", v, i ? "23:59:59Z" : "00:00:00Z");
    }
    const char *lim = http_query(c->req, "limit"), *cur = http_query(c->req, "cursor");
    char *end = NULL;
    in->limit = lim ? (int)strtol(lim, &end, 10) : 50;
    if (lim && (*end || in->limit < 1 || in->limit > 500))
        return api_reply_error(c, SH_INVALID, "limit", "limit must be 1 to 500"), false;
    in->before_id = cur ? strtoll(cur, &end, 10) : 0;
    if (cur && (*end || in->before_id < 1))
        return api_reply_error(c, SH_INVALID, "cursor", "bad cursor"), false;
    return true;
}

void h_notify_list(struct api_ctx *c)
{
    struct nt_call x = {.c = c};
    if (!list_params(c, &x.in) || !api_read_or_reply(c, list_run, &x))
        return;
    const char *next =
        x.out.more ? sh_arena_printf(c->a, "%" PRId64, x.out.rows[x.out.n - 1].id) : NULL;
    api_reply_page(c, &(struct api_page){.n = x.out.n,
                                         .item = list_item,
                                         .arg = x.out.rows,
                                         .limit = x.in.limit,
                                         .has_cursor = true,
                                         .next_cursor = next});
}

static enum sh_code retry_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct nt_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_notify_retry(&u, x->id, &x->row, e);
}

static void reply_row(struct api_ctx *c, int status, const struct notify_row *r)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    row_render(&w, r);
    api_reply_jw(c, status, &b, &w);
}

/* A body is optional; when sent it must be an empty JSON object. */
static bool empty_body_ok(struct api_ctx *c)
{
    if (!c->req->body.len)
        return true;
    json_t *root;
    struct sh_err e;
    sh_err_clear(&e);
    if (api_load_object(c->req->body.buf, c->req->body.len, &root, &e)) {
        api_reply_err(c, &e);
        return false;
    }
    bool empty = json_object_size(root) == 0;
    json_decref(root);
    if (!empty)
        api_reply_error(c, SH_INVALID, NULL, "this action takes no fields");
    return empty;
}

void h_notify_retry(struct api_ctx *c)
{
    struct nt_call x = {.c = c};
    if (api_param_id(c, 0, &x.id) && empty_body_ok(c) && api_write_or_reply(c, retry_run, &x))
        reply_row(c, 200, &x.row);
}

static enum sh_code test_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct nt_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    enum sh_code rc = uc_notify_test(&u, x->channel, x->to, &x->id, e);
    return rc ? rc : uc_notify_get(&u, x->id, &x->row, e);
}

static const char *str_member(struct api_ctx *c, json_t *o, const char *k, bool *bad)
{
    json_t *v = json_object_get(o, k);
    if (v && !json_is_string(v))
        *bad = true;
    return json_is_string(v) ? sh_arena_strdup(c->a, json_string_value(v)) : NULL;
}

void h_notify_test(struct api_ctx *c)
{
    struct nt_call x = {.c = c};
    json_t *root;
    struct sh_err e;
    sh_err_clear(&e);
    if (api_load_object(c->req->body.buf, c->req->body.len, &root, &e)) {
        api_reply_err(c, &e);
        return;
    }
    bool bad = false;
    x.channel = str_member(c, root, "channel", &bad);
    x.to = str_member(c, root, "to", &bad);
    const char *k;
    json_t *v;
    json_object_foreach(root, k, v) if (strcmp(k, "channel") && strcmp(k, "to")) bad = true;
    json_decref(root);
    if (bad) {
        api_reply_error(c, SH_INVALID, NULL, "the body takes channel and to, both text");
        return;
    }
    if (api_write_or_reply(c, test_run, &x))
        reply_row(c, 201, &x.row);
}

static void channel_render(struct jw *w, const struct notify_channel *ch)
{
    jw_obj_begin(w);
    jw_kstr(w, "channel", ch->channel);
    jw_kbool(w, "enabled", ch->enabled);
    jw_key(w, "config");
    jw_raw(w, *ch->config ? ch->config : "{}");
    jw_kbool(w, "secret_set", ch->secret && *ch->secret);
    jw_kstr(w, "updated_at", ch->updated_at);
    jw_kint(w, "version", ch->version);
    jw_obj_end(w);
}

static enum sh_code channels_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct nt_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_notify_channels(&u, x->ch, &x->nch, e);
}

static void channel_item(struct jw *w, int i, const void *arg)
{
    channel_render(w, &((const struct nt_call *)arg)->ch[i]);
}

void h_notify_channels(struct api_ctx *c)
{
    struct nt_call x = {.c = c};
    if (!api_read_or_reply(c, channels_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.nch, .item = channel_item, .arg = &x});
}

static enum sh_code set_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct nt_call *x = arg;
    struct uc u = api_uc(x->c, tx);
    return uc_notify_channel_set(&u, &x->set, &x->ch[0], e);
}

static bool parse_set(struct api_ctx *c, json_t *root, struct notify_channel_in *in)
{
    const char *k;
    json_t *v;
    in->enabled = -1;
    json_object_foreach(root, k, v)
    {
        if (!strcmp(k, "enabled") && json_is_boolean(v))
            in->enabled = json_is_true(v);
        else if (!strcmp(k, "config") && json_is_object(v))
            in->config = "";
        else if (!strcmp(k, "secret") && json_is_string(v))
            in->secret = sh_arena_strdup(c->a, json_string_value(v));
        else
            return api_reply_error(c, SH_INVALID, k, "not a channel setting or of a wrong type"),
                   false;
        if (!strcmp(k, "config")) {
            char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
            in->config = sh_arena_strdup(c->a, s ? s : "{}");
            free(s);
        }
    }
    return true;
}

void h_notify_channel_put(struct api_ctx *c)
{
    struct nt_call x = {.c = c};
    x.set.channel = c->req->nparams > 0 ? c->req->params[0] : "";
    json_t *root;
    struct sh_err e;
    sh_err_clear(&e);
    if (api_load_object(c->req->body.buf, c->req->body.len, &root, &e)) {
        api_reply_err(c, &e);
        return;
    }
    bool ok = parse_set(c, root, &x.set);
    json_decref(root);
    if (!ok || !api_write_or_reply(c, set_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    channel_render(&w, &x.ch[0]);
    api_reply_jw(c, 200, &b, &w);
}
