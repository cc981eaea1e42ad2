/* SPDX-License-Identifier: MIT */
/* SMS through the signed HTTP APIs of Aliyun (dysmsapi SendSms, RPC signature v1) and
 * Tencent Cloud (sms SendSms 2021-01-11, TC3-HMAC-SHA256). The signing follows the
 * providers' published procedures; tests/unit/notify/test_sign.c checks it against their
 * worked examples. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/jw.h"
#include "notify/notify.h"

static int param_cmp(const void *x, const void *y)
{
    return strcmp(((const struct nt_param *)x)->k, ((const struct nt_param *)y)->k);
}

/* The canonicalised query: pct(k)=pct(v) joined by &, keys in byte order. */
static char *aliyun_query(struct sh_arena *a, struct nt_param *p, int n)
{
    qsort(p, (size_t)n, sizeof(*p), param_cmp);
    char *q = sh_arena_strdup(a, "");
    for (int i = 0; i < n; i++)
        q = sh_arena_printf(a, "%s%s%s=%s", q, i ? "&" : "", nt_pct(a, p[i].k), nt_pct(a, p[i].v));
    return q;
}

char *nt_aliyun_sign(struct sh_arena *a, const char *method, struct nt_param *p, int n,
                     const char *secret)
{
    char *sts =
        sh_arena_printf(a, "%s&%s&%s", method, nt_pct(a, "/"), nt_pct(a, aliyun_query(a, p, n)));
    char *key = sh_arena_printf(a, "%s&", secret);
    unsigned char mac[20];
    nt_hmac_sha1(key, strlen(key), sts, strlen(sts), mac);
    return nt_b64(a, mac, 20);
}

static char *params_json(struct sh_arena *a, const struct nt_sms *s)
{
    struct sh_buf b = SH_BUF_INIT(64 * 1024);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    for (int i = 0; i < s->n; i++)
        jw_kstr(&w, s->names[i], s->values[i]);
    jw_obj_end(&w);
    char *r = sh_arena_strndup(a, b.buf, b.len);
    sh_buf_release(&b);
    return r;
}

static char *utc_iso(struct sh_arena *a, int64_t now)
{
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    return sh_arena_printf(a, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                           tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void nt_aliyun_request(struct sh_arena *a, const struct nt_aliyun *c, const struct nt_sms *s,
                       const char *nonce, int64_t now, struct nt_http_req *out)
{
    struct nt_param p[] = {
        {"AccessKeyId", c->key_id},
        {"Action", "SendSms"},
        {"Format", "JSON"},
        {"OutId", s->out_id ? s->out_id : ""},
        {"PhoneNumbers", s->phone},
        {"RegionId", c->region && *c->region ? c->region : "cn-hangzhou"},
        {"SignName", s->sign_name},
        {"SignatureMethod", "HMAC-SHA1"},
        {"SignatureNonce", nonce},
        {"SignatureVersion", "1.0"},
        {"TemplateCode", s->template_code},
        {"TemplateParam", params_json(a, s)},
        {"Timestamp", utc_iso(a, now)},
        {"Version", "2017-05-25"},
    };
    int n = (int)(sizeof(p) / sizeof(p[0]));
    char *sig = nt_aliyun_sign(a, "GET", p, n, c->secret);
    memset(out, 0, sizeof(*out));
    out->method = "GET";
    out->url = sh_arena_printf(a, "%s/?Signature=%s&%s", c->base_url, nt_pct(a, sig),
                               aliyun_query(a, p, n));
}

int nt_aliyun_ok(struct sh_arena *a, const struct nt_http_res *r, const char **why)
{
    json_t *j = json_loads(r->body ? r->body : "", 0, NULL);
    const char *code = json_string_value(json_object_get(j, "Code"));
    int ok = r->status == 200 && code && !strcmp(code, "OK");
    if (!ok) {
        const char *msg = json_string_value(json_object_get(j, "Message"));
        *why = sh_arena_printf(a, "aliyun: HTTP %ld %s %s", r->status, code ? code : "",
                               msg ? msg : "");
    }
    json_decref(j);
    return ok;
}

/* ---- Tencent Cloud ---- */

char *nt_tc3_canonical(struct sh_arena *a, const char *host, const char *action,
                       const char *payload)
{
    char *lower = sh_arena_strdup(a, action);
    for (char *p = lower; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return sh_arena_printf(a,
                           "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:%s\n"
                           "x-tc-action:%s\n\ncontent-type;host;x-tc-action\n%s",
                           host, lower, nt_sha256_hex(a, payload));
}

static char *utc_date(struct sh_arena *a, int64_t ts)
{
    char *iso = utc_iso(a, ts);
    iso[10] = 0;
    return iso;
}

char *nt_tc3_string_to_sign(struct sh_arena *a, int64_t ts, const char *service,
                            const char *canonical)
{
    return sh_arena_printf(a, "TC3-HMAC-SHA256\n%lld\n%s/%s/tc3_request\n%s", (long long)ts,
                           utc_date(a, ts), service, nt_sha256_hex(a, canonical));
}

char *nt_tc3_sign_from_date_key(struct sh_arena *a, const unsigned char date_key[32],
                                const char *service, const char *sts)
{
    unsigned char svc[32], signing[32], sig[32];
    nt_hmac_sha256(date_key, 32, service, strlen(service), svc);
    nt_hmac_sha256(svc, 32, "tc3_request", 11, signing);
    nt_hmac_sha256(signing, 32, sts, strlen(sts), sig);
    return nt_hex(a, sig, 32);
}

char *nt_tc3_signature(struct sh_arena *a, const char *secret_key, int64_t ts, const char *service,
                       const char *sts)
{
    char *k = sh_arena_printf(a, "TC3%s", secret_key);
    char *date = utc_date(a, ts);
    unsigned char dk[32];
    nt_hmac_sha256(k, strlen(k), date, strlen(date), dk);
    return nt_tc3_sign_from_date_key(a, dk, service, sts);
}

/* "https://host[:port][/...]" → "host[:port]" */
static char *url_host(struct sh_arena *a, const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    return sh_arena_strndup(a, p, strcspn(p, "/?"));
}

static char *tencent_payload(struct sh_arena *a, const struct nt_tencent *c, const struct nt_sms *s)
{
    struct sh_buf b = SH_BUF_INIT(64 * 1024);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_key(&w, "PhoneNumberSet");
    jw_arr_begin(&w);
    jw_str(&w, s->phone[0] == '+' ? s->phone : sh_arena_printf(a, "+86%s", s->phone));
    jw_arr_end(&w);
    jw_kstr(&w, "SmsSdkAppId", c->sdk_app_id);
    jw_kstr(&w, "SignName", s->sign_name);
    jw_kstr(&w, "TemplateId", s->template_code);
    jw_key(&w, "TemplateParamSet");
    jw_arr_begin(&w);
    for (int i = 0; i < s->n; i++)
        jw_str(&w, s->values[i]);
    jw_arr_end(&w);
    jw_kstr(&w, "SessionContext", s->out_id ? s->out_id : "");
    jw_obj_end(&w);
    char *r = sh_arena_strndup(a, b.buf, b.len);
    sh_buf_release(&b);
    return r;
}

void nt_tencent_request(struct sh_arena *a, const struct nt_tencent *c, const struct nt_sms *s,
                        int64_t now, struct nt_http_req *out)
{
    char *payload = tencent_payload(a, c, s);
    char *host = url_host(a, c->base_url);
    char *sts = nt_tc3_string_to_sign(a, now, "sms", nt_tc3_canonical(a, host, "SendSms", payload));
    char *sig = nt_tc3_signature(a, c->secret_key, now, "sms", sts);
    memset(out, 0, sizeof(*out));
    out->method = "POST";
    out->url = sh_arena_printf(a, "%s/", c->base_url);
    out->body = payload;
    out->headers[0] = sh_arena_printf(a,
                                      "Authorization: TC3-HMAC-SHA256 Credential=%s/%s/sms/"
                                      "tc3_request, SignedHeaders=content-type;host;x-tc-action, "
                                      "Signature=%s",
                                      c->secret_id, utc_date(a, now), sig);
    out->headers[1] = "Content-Type: application/json; charset=utf-8";
    out->headers[2] = sh_arena_printf(a, "Host: %s", host);
    out->headers[3] = "X-TC-Action: SendSms";
    out->headers[4] = sh_arena_printf(a, "X-TC-Timestamp: %lld", (long long)now);
    out->headers[5] = "X-TC-Version: 2021-01-11";
    out->headers[6] =
        sh_arena_printf(a, "X-TC-Region: %s", c->region && *c->region ? c->region : "ap-guangzhou");
}

int nt_tencent_ok(struct sh_arena *a, const struct nt_http_res *r, const char **why)
{
    json_t *j = json_loads(r->body ? r->body : "", 0, NULL);
    json_t *resp = json_object_get(j, "Response");
    json_t *err = json_object_get(resp, "Error");
    json_t *st = json_array_get(json_object_get(resp, "SendStatusSet"), 0);
    const char *code = json_string_value(json_object_get(st, "Code"));
    int ok = r->status == 200 && !err && code && !strcmp(code, "Ok");
    if (!ok) {
        const char *ec = json_string_value(json_object_get(err ? err : st, "Code"));
        const char *em = json_string_value(json_object_get(err ? err : st, "Message"));
        *why = sh_arena_printf(a, "tencent: HTTP %ld %s %s", r->status, ec ? ec : "", em ? em : "");
    }
    json_decref(j);
    return ok;
}
