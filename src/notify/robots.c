/* SPDX-License-Identifier: MIT */
/* Staff group robots (企业微信 group robot, DingTalk custom robot with its "加签" secret)
 * and signed webhooks for other systems. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/jw.h"
#include "notify/notify.h"

static char *text_json(struct sh_arena *a, const char *text)
{
    struct sh_buf b = SH_BUF_INIT(64 * 1024);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kstr(&w, "msgtype", "text");
    jw_key(&w, "text");
    jw_obj_begin(&w);
    jw_kstr(&w, "content", text);
    jw_obj_end(&w);
    jw_obj_end(&w);
    char *r = sh_arena_strndup(a, b.buf, b.len);
    sh_buf_release(&b);
    return r;
}

void nt_wecom_request(struct sh_arena *a, const char *url, const char *text,
                      struct nt_http_req *out)
{
    memset(out, 0, sizeof(*out));
    out->method = "POST";
    out->url = url;
    out->body = text_json(a, text);
    out->headers[0] = "Content-Type: application/json";
}

char *nt_dingtalk_sign(struct sh_arena *a, int64_t ms, const char *secret)
{
    char *sts = sh_arena_printf(a, "%lld\n%s", (long long)ms, secret);
    unsigned char mac[32];
    nt_hmac_sha256(secret, strlen(secret), sts, strlen(sts), mac);
    return nt_pct(a, nt_b64(a, mac, 32));
}

void nt_dingtalk_request(struct sh_arena *a, const char *url, const char *secret, int64_t ms,
                         const char *text, struct nt_http_req *out)
{
    nt_wecom_request(a, url, text, out);
    if (secret && *secret)
        out->url =
            sh_arena_printf(a, "%s%ctimestamp=%lld&sign=%s", url, strchr(url, '?') ? '&' : '?',
                            (long long)ms, nt_dingtalk_sign(a, ms, secret));
}

int nt_robot_ok(struct sh_arena *a, const struct nt_http_res *r, const char **why)
{
    json_t *j = json_loads(r->body ? r->body : "", 0, NULL);
    json_t *code = json_object_get(j, "errcode");
    int ok = r->status == 200 && json_is_integer(code) && json_integer_value(code) == 0;
    if (!ok) {
        const char *msg = json_string_value(json_object_get(j, "errmsg"));
        *why = sh_arena_printf(a, "robot: HTTP %ld errcode %lld %s", r->status,
                               (long long)json_integer_value(code), msg ? msg : "");
    }
    json_decref(j);
    return ok;
}

char *nt_webhook_sign(struct sh_arena *a, const char *secret, int64_t ts, const char *body)
{
    char *msg = sh_arena_printf(a, "%lld.%s", (long long)ts, body);
    unsigned char mac[32];
    nt_hmac_sha256(secret, strlen(secret), msg, strlen(msg), mac);
    return nt_hex(a, mac, 32);
}

void nt_webhook_request(struct sh_arena *a, const char *url, const char *secret, int64_t ts,
                        const char *delivery_id, const char *body, struct nt_http_req *out)
{
    memset(out, 0, sizeof(*out));
    out->method = "POST";
    out->url = url;
    out->body = body;
    out->headers[0] = "Content-Type: application/json";
    out->headers[1] = sh_arena_printf(a, "X-Shouhou-Timestamp: %lld", (long long)ts);
    out->headers[2] = sh_arena_printf(a, "X-Shouhou-Signature: sha256=%s",
                                      nt_webhook_sign(a, secret ? secret : "", ts, body));
    out->headers[3] = sh_arena_printf(a, "X-Shouhou-Delivery: %s", delivery_id);
}

int nt_quiet_parse(const char *s, int *from_min, int *to_min)
{
    if (!s || !*s)
        return 1;
    int h1, m1, h2, m2;
    char tail;
    if (strlen(s) != 11 || sscanf(s, "%2d:%2d-%2d:%2d%c", &h1, &m1, &h2, &m2, &tail) != 4 ||
        h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59 || h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0 ||
        s[2] != ':' || s[5] != '-' || s[8] != ':')
        return -1;
    *from_min = h1 * 60 + m1;
    *to_min = h2 * 60 + m2;
    return *from_min == *to_min ? -1 : 0;
}

int nt_quiet_wait(int from, int to, int now)
{
    bool in = from < to ? (now >= from && now < to) : (now >= from || now < to);
    if (!in)
        return 0;
    return (to - now + 1440) % 1440;
}
