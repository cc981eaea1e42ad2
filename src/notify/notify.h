/* SPDX-License-Identifier: MIT */
/* The notification layer (ARCHITECTURE.md; depends on base/ only): the wire formats of
 * the channels the outbox is delivered through. Every builder is pure (it returns the
 * request to send, in the caller's arena) so that its output is unit-tested; nt_http_send
 * and nt_smtp_send are the only functions that touch the network (libcurl).
 *
 *   e-mail    nt_mail_message: RFC 5322 message, RFC 2047 subject, base64 UTF-8 body
 *   SMS       nt_aliyun_request (RPC signature v1, HMAC-SHA1),
 *             nt_tencent_request (TC3-HMAC-SHA256)
 *   robots    nt_wecom_request (企业微信 group robot), nt_dingtalk_request (signed)
 *   webhooks  nt_webhook_request: HMAC-SHA256 over "timestamp.body" */
#ifndef SH_NOTIFY_H
#define SH_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"

/* ---- hashing and encoding ---- */
void nt_sha1(const void *p, size_t n, unsigned char out[20]);
void nt_hmac_sha1(const void *key, size_t klen, const void *msg, size_t mlen,
                  unsigned char out[20]);
void nt_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen,
                    unsigned char out[32]);
char *nt_hex(struct sh_arena *a, const unsigned char *p, size_t n);
char *nt_sha256_hex(struct sh_arena *a, const char *s);
char *nt_b64(struct sh_arena *a, const void *p, size_t n);
/* RFC 3986 percent-encoding: unreserved characters kept, the rest %XX (upper case). */
char *nt_pct(struct sh_arena *a, const char *s);

/* ---- HTTP ---- */
#define NT_HTTP_HEADERS 8
struct nt_http_req {
    const char *method; /* "GET" or "POST" */
    const char *url;
    const char *body;                     /* POST body or NULL */
    const char *headers[NT_HTTP_HEADERS]; /* "Name: value", NULL-terminated */
};
struct nt_http_res {
    long status;
    char *body;
};
SH_WUR enum sh_code nt_http_send(const struct nt_http_req *r, int timeout_s, struct sh_arena *a,
                                 struct nt_http_res *out, struct sh_err *e);

/* ---- e-mail ---- */
struct nt_mail {
    const char *from, *to, *subject, *body;
    const char *message_id; /* without <>; NULL: none */
};
/* "=?UTF-8?B?...?=" words (folded, each under 76 characters); ASCII text unchanged. */
char *nt_mime_words(struct sh_arena *a, const char *utf8);
/* The whole message (CRLF lines) dated at `now`. */
char *nt_mail_message(struct sh_arena *a, const struct nt_mail *m, int64_t now);

enum nt_tls { NT_TLS_STARTTLS, NT_TLS_IMPLICIT, NT_TLS_NONE };
struct nt_smtp {
    const char *host;
    int port;
    enum nt_tls tls;
    const char *user, *password; /* "" or NULL: no AUTH */
    int timeout_s;
};
SH_WUR enum sh_code nt_smtp_send(const struct nt_smtp *s, const struct nt_mail *m, int64_t now,
                                 struct sh_arena *a, struct sh_err *e);
/* Connects to the server (and its TLS when implicit) and hangs up: SH_OK when it answers. */
SH_WUR enum sh_code nt_smtp_probe(const struct nt_smtp *s, struct sh_err *e);

/* ---- SMS ---- */
struct nt_param {
    const char *k, *v;
};
struct nt_sms {
    const char *phone;
    const char *sign_name;     /* 签名 */
    const char *template_code; /* Aliyun TemplateCode / Tencent TemplateId */
    const char *const *names;  /* template parameters, n of them */
    const char *const *values;
    int n;
    const char *out_id; /* our message id, echoed by the provider */
};
/* Aliyun RPC signature v1: Base64(HMAC-SHA1(secret + "&", method & %2F & pct(sorted query))).
 * Sorts p in place; returns the signature (not percent-encoded). */
char *nt_aliyun_sign(struct sh_arena *a, const char *method, struct nt_param *p, int n,
                     const char *secret);
struct nt_aliyun {
    const char *base_url; /* "https://dysmsapi.aliyuncs.com" */
    const char *key_id, *secret, *region;
};
void nt_aliyun_request(struct sh_arena *a, const struct nt_aliyun *c, const struct nt_sms *s,
                       const char *nonce, int64_t now, struct nt_http_req *out);
/* The provider's answer is a success ({"Code":"OK"}); else *why gets the message. */
int nt_aliyun_ok(struct sh_arena *a, const struct nt_http_res *r, const char **why);

/* Tencent Cloud TC3-HMAC-SHA256. */
char *nt_tc3_canonical(struct sh_arena *a, const char *host, const char *action,
                       const char *payload);
char *nt_tc3_string_to_sign(struct sh_arena *a, int64_t ts, const char *service,
                            const char *canonical);
/* The signature from the derived date key on (SecretDate → SecretService → SecretSigning). */
char *nt_tc3_sign_from_date_key(struct sh_arena *a, const unsigned char date_key[32],
                                const char *service, const char *string_to_sign);
char *nt_tc3_signature(struct sh_arena *a, const char *secret_key, int64_t ts, const char *service,
                       const char *string_to_sign);
struct nt_tencent {
    const char *base_url; /* "https://sms.tencentcloudapi.com" */
    const char *secret_id, *secret_key, *region, *sdk_app_id;
};
void nt_tencent_request(struct sh_arena *a, const struct nt_tencent *c, const struct nt_sms *s,
                        int64_t now, struct nt_http_req *out);
int nt_tencent_ok(struct sh_arena *a, const struct nt_http_res *r, const char **why);

/* ---- robots and webhooks ---- */
/* {"msgtype":"text","text":{"content":text}} to the robot's webhook URL. */
void nt_wecom_request(struct sh_arena *a, const char *url, const char *text,
                      struct nt_http_req *out);
/* DingTalk: &timestamp=ms&sign=pct(Base64(HMAC-SHA256(secret, ms "\n" secret))) when a
 * secret is set. */
char *nt_dingtalk_sign(struct sh_arena *a, int64_t ms, const char *secret);
void nt_dingtalk_request(struct sh_arena *a, const char *url, const char *secret, int64_t ms,
                         const char *text, struct nt_http_req *out);
/* {"errcode":0} */
int nt_robot_ok(struct sh_arena *a, const struct nt_http_res *r, const char **why);
/* X-Shouhou-Timestamp: ts, X-Shouhou-Signature: sha256=hex(HMAC-SHA256(secret, ts "." body)),
 * X-Shouhou-Delivery: id. */
char *nt_webhook_sign(struct sh_arena *a, const char *secret, int64_t ts, const char *body);
void nt_webhook_request(struct sh_arena *a, const char *url, const char *secret, int64_t ts,
                        const char *delivery_id, const char *body, struct nt_http_req *out);

/* Templates: {name} is a variable, {{ and }} literal braces. Check: 0 when every variable is
 * in vars (NULL-terminated), else -1 with *bad at the offending name (*badlen 0: malformed). */
int nt_template_check(const char *tpl, const char *const *vars, const char **bad, size_t *badlen);
/* Substitutes the n variables (unknown ones become ""). */
char *nt_template_render(struct sh_arena *a, const char *tpl, const char *const *names,
                         const char *const *values, int n);

/* Quiet hours "HH:MM-HH:MM" (local time, may wrap midnight). Returns 0 and fills the
 * minutes since midnight, or -1 when malformed. "" is no quiet hours (returns 1). */
int nt_quiet_parse(const char *s, int *from_min, int *to_min);
/* When a message due at local minute `now_min` may go: 0 now, else minutes to wait. */
int nt_quiet_wait(int from_min, int to_min, int now_min);

#endif
