/* SPDX-License-Identifier: MIT */
/* One claimed message through its channel: the channel's stored settings become the
 * notify/ request (SMTP, the SMS providers, robots, webhooks) and the answer a result. */
#include <inttypes.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "app/notifications.h"
#include "base/jw.h"
#include "notify/notify.h"

#define GATEWAY_TIMEOUT_S 15

static const char *cfg_str(json_t *cfg, const char *k, const char *def)
{
    const char *v = json_string_value(json_object_get(cfg, k));
    return v && *v ? v : def;
}

static const struct notify_channel *channel_of(const struct notify_batch *b, const char *name)
{
    for (int i = 0; i < b->nch; i++)
        if (!strcmp(b->ch[i].channel, name))
            return &b->ch[i];
    return NULL;
}

/* The SMTP server of the e-mail channel's settings, with the defaults the sender uses. */
static struct nt_smtp smtp_of(json_t *cfg, const struct notify_channel *ch)
{
    const char *tls = cfg_str(cfg, "tls", "starttls");
    struct nt_smtp s = {
        .host = cfg_str(cfg, "host", "localhost"),
        .port = (int)json_integer_value(json_object_get(cfg, "port")),
        .tls = !strcmp(tls, "tls")    ? NT_TLS_IMPLICIT
               : !strcmp(tls, "none") ? NT_TLS_NONE
                                      : NT_TLS_STARTTLS,
        .user = cfg_str(cfg, "username", ""),
        .password = ch->secret,
        .timeout_s = GATEWAY_TIMEOUT_S,
    };
    if (!s.port)
        s.port = s.tls == NT_TLS_IMPLICIT ? 465 : 587;
    return s;
}

enum sh_code notify_mail_probe(const struct notify_channel *ch, char *where, size_t n,
                               struct sh_err *e)
{
    json_t *cfg = json_loads(ch->config ? ch->config : "{}", 0, NULL);
    struct nt_smtp s = smtp_of(cfg, ch);
    snprintf(where, n, "%s:%d", s.host, s.port);
    enum sh_code rc = nt_smtp_probe(&s, e);
    json_decref(cfg);
    return rc;
}

static const char *send_email(struct sh_arena *a, json_t *cfg, const struct notify_channel *ch,
                              const struct notify_msg *m, int64_t now)
{
    struct nt_smtp s = smtp_of(cfg, ch);
    const char *from = cfg_str(cfg, "from", "shouhou@localhost");
    const char *name = cfg_str(cfg, "from_name", NULL);
    struct nt_mail mail = {
        .from = name ? sh_arena_printf(a, "%s <%s>", nt_mime_words(a, name), from) : from,
        .to = m->address,
        .subject = m->subject,
        .body = m->body,
        .message_id = sh_arena_printf(a, "outbox-%" PRId64 "@shouhou", m->id),
    };
    struct sh_err e;
    sh_err_clear(&e);
    return nt_smtp_send(&s, &mail, now, a, &e) ? sh_arena_strdup(a, e.msg) : NULL;
}

/* The template parameters: the message's params object, or {"content": subject}. */
static void sms_params(struct sh_arena *a, const struct notify_msg *m, struct nt_sms *s)
{
    json_t *p = json_loads(m->params ? m->params : "", 0, NULL);
    size_t n = json_is_object(p) ? json_object_size(p) : 0;
    const char **names = sh_arena_alloc(a, sizeof(char *) * (n + 1));
    const char **values = sh_arena_alloc(a, sizeof(char *) * (n + 1));
    int k = 0;
    const char *key;
    json_t *v;
    if (n) {
        json_object_foreach(p, key, v)
        {
            names[k] = sh_arena_strdup(a, key);
            values[k++] = sh_arena_strdup(a, json_is_string(v) ? json_string_value(v) : "");
        }
    } else {
        names[k] = "content";
        values[k++] = *m->subject ? m->subject : m->body;
    }
    json_decref(p);
    s->names = names;
    s->values = values;
    s->n = k;
}

static const char *do_http(struct sh_arena *a, const struct nt_http_req *r,
                           int (*ok)(struct sh_arena *, const struct nt_http_res *, const char **))
{
    struct nt_http_res res;
    struct sh_err e;
    sh_err_clear(&e);
    if (nt_http_send(r, GATEWAY_TIMEOUT_S, a, &res, &e))
        return sh_arena_strdup(a, e.msg);
    const char *why = NULL;
    if (ok)
        return ok(a, &res, &why) ? NULL : why;
    if (res.status >= 200 && res.status < 300)
        return NULL;
    return sh_arena_printf(a, "webhook: HTTP %ld", res.status);
}

static const char *send_sms(struct sh_arena *a, json_t *cfg, const struct notify_channel *ch,
                            const struct notify_msg *m, int64_t now)
{
    json_t *tpl = json_object_get(json_object_get(cfg, "templates"), m->kind);
    struct nt_sms s = {
        .phone = m->address,
        .sign_name = cfg_str(cfg, "sign_name", ""),
        .template_code =
            json_is_string(tpl) ? json_string_value(tpl) : cfg_str(cfg, "template_code", ""),
        .out_id = sh_arena_printf(a, "%" PRId64, m->id),
    };
    sms_params(a, m, &s);
    struct nt_http_req r;
    if (!strcmp(cfg_str(cfg, "provider", "aliyun"), "tencent")) {
        struct nt_tencent t = {cfg_str(cfg, "base_url", "https://sms.tencentcloudapi.com"),
                               cfg_str(cfg, "key_id", ""), ch->secret, cfg_str(cfg, "region", ""),
                               cfg_str(cfg, "sdk_app_id", "")};
        nt_tencent_request(a, &t, &s, now, &r);
        return do_http(a, &r, nt_tencent_ok);
    }
    struct nt_aliyun al = {cfg_str(cfg, "base_url", "https://dysmsapi.aliyuncs.com"),
                           cfg_str(cfg, "key_id", ""), ch->secret, cfg_str(cfg, "region", "")};
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof(rnd));
    nt_aliyun_request(a, &al, &s, nt_hex(a, rnd, 16), now, &r);
    return do_http(a, &r, nt_aliyun_ok);
}

static char *webhook_body(struct sh_arena *a, const struct notify_msg *m)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kint(&w, "id", m->id);
    jw_kstr(&w, "kind", m->kind);
    jw_kstr(&w, "subject", m->subject);
    jw_kstr(&w, "body", m->body);
    if (m->ticket_id)
        jw_kint(&w, "ticket_id", m->ticket_id);
    else
        jw_knull(&w, "ticket_id");
    jw_kstr(&w, "created_at", m->created_at);
    jw_obj_end(&w);
    char *r = sh_arena_strndup(a, b.buf, b.len);
    sh_buf_release(&b);
    return r;
}

const char *notify_send(struct sh_arena *a, const struct notify_batch *b,
                        const struct notify_msg *m, int64_t now)
{
    const struct notify_channel *ch = channel_of(b, m->channel);
    if (!ch || !ch->enabled)
        return "channel disabled";
    json_t *cfg = json_loads(ch->config, 0, NULL);
    const char *err = NULL;
    const char *url = cfg_str(cfg, "url", "");
    const char *text = *m->body ? sh_arena_printf(a, "%s\n%s", m->subject, m->body) : m->subject;
    struct nt_http_req r;
    if (!strcmp(m->channel, "email")) {
        err = send_email(a, cfg, ch, m, now);
    } else if (!strcmp(m->channel, "sms")) {
        err = send_sms(a, cfg, ch, m, now);
    } else if (!*url) {
        err = "no url configured";
    } else if (!strcmp(m->channel, "wecom")) {
        nt_wecom_request(a, url, text, &r);
        err = do_http(a, &r, nt_robot_ok);
    } else if (!strcmp(m->channel, "dingtalk")) {
        nt_dingtalk_request(a, url, ch->secret, now * 1000, text, &r);
        err = do_http(a, &r, nt_robot_ok);
    } else {
        nt_webhook_request(a, url, ch->secret, now, sh_arena_printf(a, "%" PRId64, m->id),
                           webhook_body(a, m), &r);
        err = do_http(a, &r, NULL);
    }
    json_decref(cfg);
    return err;
}
