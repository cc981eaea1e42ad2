/* SPDX-License-Identifier: MIT */
/* The channels' settings: which keys each channel takes, checked when saved; the secret
 * (SMTP password, SMS access key secret, robot signing secret, webhook secret) is stored
 * apart and never returned. */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "app/notifications.h"
#include "base/date.h"
#include "notify/notify.h"

struct key_rule {
    const char *channel, *key;
    int kind; /* 0 text, 1 port, 2 url, 3 enum tls, 4 enum provider, 5 object of text */
};

static const struct key_rule rules[] = {
    {"email", "host", 0},        {"email", "port", 1},     {"email", "tls", 3},
    {"email", "username", 0},    {"email", "from", 0},     {"email", "from_name", 0},
    {"sms", "provider", 4},      {"sms", "base_url", 2},   {"sms", "key_id", 0},
    {"sms", "region", 0},        {"sms", "sdk_app_id", 0}, {"sms", "sign_name", 0},
    {"sms", "template_code", 0}, {"sms", "templates", 5},  {"wecom", "url", 2},
    {"dingtalk", "url", 2},      {"webhook", "url", 2},
};

static int rule_of(const char *channel, const char *key)
{
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (!strcmp(rules[i].channel, channel) && !strcmp(rules[i].key, key))
            return rules[i].kind;
    return -1;
}

static enum sh_code bad(struct sh_err *e, const char *key, const char *reason, const char *msg)
{
    sh_err_field(e, SH_INVALID, key, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

static bool is_url(const char *s)
{
    return s && (!strncmp(s, "http://", 7) || !strncmp(s, "https://", 8)) && strlen(s) <= 500;
}

SH_WUR static enum sh_code check_value(const char *key, int kind, json_t *v, struct sh_err *e)
{
    const char *s = json_string_value(v);
    if (kind == 1)
        return json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) < 65536
                   ? SH_OK
                   : bad(e, key, "out_of_range", "port must be 1 to 65535");
    if (kind == 5) {
        const char *k;
        json_t *x;
        if (!json_is_object(v))
            return bad(e, key, "invalid_format", "templates must map event kinds to codes");
        json_object_foreach(v, k, x) if (!json_is_string(x)) return bad(
            e, key, "invalid_format", "templates must map event kinds to codes");
        return SH_OK;
    }
    if (!s)
        return bad(e, key, "invalid_format", "must be text");
    if (strlen(s) > 500)
        return bad(e, key, "too_long", "too long");
    if (kind == 2 && *s && !is_url(s))
        return bad(e, key, "invalid_format", "must be an http(s) URL");
    if (kind == 3 && strcmp(s, "starttls") && strcmp(s, "tls") && strcmp(s, "none"))
        return bad(e, key, "invalid_format", "tls must be starttls, tls or none");
    if (kind == 4 && strcmp(s, "aliyun") && strcmp(s, "tencent"))
        return bad(e, key, "invalid_format", "provider must be aliyun or tencent");
    return SH_OK;
}

SH_WUR static enum sh_code check_config(const char *channel, const char *text, struct sh_err *e)
{
    json_t *cfg = json_loads(text, 0, NULL);
    enum sh_code rc =
        json_is_object(cfg) ? SH_OK : bad(e, "config", "invalid_format", "must be an object");
    const char *k;
    json_t *v;
    if (!rc) {
        json_object_foreach(cfg, k, v)
        {
            int kind = rule_of(channel, k);
            rc = kind < 0 ? bad(e, k, "unknown_field", "not a setting of this channel")
                          : check_value(k, kind, v, e);
            if (rc)
                break;
        }
    }
    json_decref(cfg);
    return rc;
}

enum sh_code uc_notify_channels(const struct uc *u, struct notify_channel out[5], int *n,
                                struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT channel, enabled, config, secret, updated_at, version FROM "
                               "notify_channels ORDER BY channel",
                               DB_NOP, &r, e);
    *n = 0;
    for (int i = 0; !rc && i < r.nrows && i < 5; i++) {
        struct notify_channel *c = &out[(*n)++];
        c->channel = db_get(&r, i, "channel");
        c->enabled = db_get_int(&r, i, "enabled", 0) != 0;
        c->config = db_get(&r, i, "config");
        c->secret = db_get(&r, i, "secret");
        c->updated_at = db_get(&r, i, "updated_at");
        c->version = db_get_int(&r, i, "version", 1);
    }
    return rc;
}

enum sh_code uc_notify_channel_set(const struct uc *u, const struct notify_channel_in *in,
                                   struct notify_channel *out, struct sh_err *e)
{
    struct notify_channel all[5];
    int n = 0;
    enum sh_code rc = uc_notify_channels(u, all, &n, e);
    if (rc)
        return rc;
    const struct notify_channel *cur = NULL;
    for (int i = 0; i < n; i++)
        if (!strcmp(all[i].channel, in->channel))
            cur = &all[i];
    if (!cur)
        return sh_err_set(e, SH_NOT_FOUND, "no channel '%s'", in->channel);
    if (in->config && (rc = check_config(in->channel, in->config, e)))
        return rc;
    if (in->secret && strlen(in->secret) > 500)
        return bad(e, "secret", "too_long", "the secret is too long");
    char now[21];
    sh_ts_format(u->now, now);
    *out = *cur;
    out->enabled = in->enabled < 0 ? cur->enabled : in->enabled != 0;
    out->config = in->config ? in->config : cur->config;
    out->secret = in->secret ? in->secret : cur->secret;
    out->updated_at = sh_arena_strdup(u->a, now);
    out->version = cur->version + 1;
    return db_exec(u->tx,
                   "UPDATE notify_channels SET enabled = $2, config = $3, secret = $4, "
                   "updated_at = $5, updated_by = $6, version = version + 1 WHERE channel = $1",
                   DB_P(DB_TEXT(in->channel), DB_INT(out->enabled), DB_TEXT(out->config),
                        DB_TEXT(out->secret), DB_TEXT(now),
                        u->who && u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL),
                   NULL, e);
}

enum sh_code notify_prefs_check(const char *quiet, const char *optout, struct sh_err *e)
{
    int f, t;
    if (quiet && *quiet && nt_quiet_parse(quiet, &f, &t) != 0) {
        sh_err_field(e, SH_INVALID, "quiet_hours", "quiet hours are HH:MM-HH:MM, e.g. 22:00-08:00");
        return sh_err_reason(e, "invalid_format", "{\"format\":\"HH:MM-HH:MM\"}");
    }
    for (const char *p = optout; p && *p;) {
        size_t k = strcspn(p, ",");
        static const char *const names[] = {"email", "sms", "wecom", "dingtalk", "webhook"};
        bool ok = false;
        for (size_t i = 0; i < 5; i++)
            ok |= strlen(names[i]) == k && !strncmp(p, names[i], k);
        if (!ok) {
            sh_err_field(e, SH_INVALID, "notify_opt_out",
                         "opt-out lists channels separated by commas: " NOTIFY_CHANNELS);
            return sh_err_reason(e, "invalid_format", NULL);
        }
        p += k + (p[k] == ',');
    }
    return SH_OK;
}
