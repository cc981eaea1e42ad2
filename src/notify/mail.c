/* SPDX-License-Identifier: MIT */
/* E-mail: the RFC 5322 message with a UTF-8 subject (RFC 2047 "B" words, folded) and a
 * base64 UTF-8 body, so that Chinese mail clients (Foxmail, QQ Mail, Outlook) show it as
 * written; sent over SMTP with STARTTLS, implicit TLS or (tests, local relays) plain. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "notify/notify.h"
#include "notify/nt_int.h"

static bool plain_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x7f || *p < 0x20 || (*p == '=' && p[1] == '?'))
            return false;
    return strlen(s) < 70;
}

char *nt_mime_words(struct sh_arena *a, const char *s)
{
    if (plain_ascii(s))
        return sh_arena_strdup(a, s);
    size_t n = strlen(s), i = 0;
    char *out = sh_arena_strdup(a, "");
    while (i < n) {
        /* 45 bytes encode to 60 base64 characters: "=?UTF-8?B?" + 60 + "?=" = 72 */
        size_t j = i + 45 < n ? i + 45 : n;
        while (j < n && j > i && ((unsigned char)s[j] & 0xC0) == 0x80)
            j--; /* never split a UTF-8 sequence */
        char *b = nt_b64(a, s + i, j - i);
        out = sh_arena_printf(a, "%s%s=?UTF-8?B?%s?=", out, i ? "\r\n " : "", b);
        i = j;
    }
    return out;
}

static char *rfc5322_date(struct sh_arena *a, int64_t now)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    return sh_arena_printf(a, "%s, %02d %s %04d %02d:%02d:%02d +0000", wd[tm.tm_wday], tm.tm_mday,
                           mo[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* base64 in lines of 76 characters (RFC 2045). */
static char *b64_lines(struct sh_arena *a, const char *s)
{
    char *b = nt_b64(a, s, strlen(s));
    size_t n = strlen(b);
    char *o = sh_arena_alloc(a, n + n / 76 * 2 + 3), *q = o;
    for (size_t i = 0; i < n; i += 76) {
        size_t k = n - i < 76 ? n - i : 76;
        memcpy(q, b + i, k);
        q += k;
        *q++ = '\r';
        *q++ = '\n';
    }
    *q = 0;
    return o;
}

/* Normalises line ends of the body to CRLF. */
static char *crlf(struct sh_arena *a, const char *s)
{
    size_t n = strlen(s);
    char *o = sh_arena_alloc(a, 2 * n + 1), *q = o;
    for (const char *p = s; *p; p++) {
        if (*p == '\r')
            continue;
        if (*p == '\n')
            *q++ = '\r';
        *q++ = *p;
    }
    *q = 0;
    return o;
}

char *nt_mail_message(struct sh_arena *a, const struct nt_mail *m, int64_t now)
{
    const char *mid =
        m->message_id ? sh_arena_printf(a, "Message-ID: <%s>\r\n", m->message_id) : "";
    return sh_arena_printf(a,
                           "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\n%s"
                           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                           "Content-Transfer-Encoding: base64\r\n\r\n%s",
                           rfc5322_date(a, now), m->from, m->to, nt_mime_words(a, m->subject), mid,
                           b64_lines(a, crlf(a, m->body)));
}

struct reader {
    const char *p;
    size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
    struct reader *r = arg;
    size_t n = size * nmemb < r->left ? size * nmemb : r->left;
    memcpy(buf, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

/* The address inside "Name <addr>", or the whole text. */
static char *bare_address(struct sh_arena *a, const char *s)
{
    const char *lt = strrchr(s, '<'), *gt = lt ? strchr(lt, '>') : NULL;
    if (lt && gt)
        return sh_arena_strndup(a, lt + 1, (size_t)(gt - lt - 1));
    return sh_arena_strdup(a, s);
}

enum sh_code nt_smtp_send(const struct nt_smtp *s, const struct nt_mail *m, int64_t now,
                          struct sh_arena *a, struct sh_err *e)
{
    nt_curl_init();
    char *msg = nt_mail_message(a, m, now);
    struct reader rd = {msg, strlen(msg)};
    CURL *c = curl_easy_init();
    if (!c)
        return sh_err_set(e, SH_INTERNAL, "curl_easy_init failed");
    char *url = sh_arena_printf(a, "%s://%s:%d", s->tls == NT_TLS_IMPLICIT ? "smtps" : "smtp",
                                s->host, s->port);
    struct curl_slist *rcpt = curl_slist_append(NULL, bare_address(a, m->to));
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, bare_address(a, m->from));
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &rd);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)(s->timeout_s > 0 ? s->timeout_s : 30));
    if (s->tls == NT_TLS_STARTTLS)
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (s->user && *s->user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, s->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, s->password ? s->password : "");
    }
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK)
        return sh_err_set(e, SH_UNAVAILABLE, "smtp: %s", *errbuf ? errbuf : curl_easy_strerror(rc));
    return SH_OK;
}

enum sh_code nt_smtp_probe(const struct nt_smtp *s, struct sh_err *e)
{
    nt_curl_init();
    CURL *c = curl_easy_init();
    if (!c)
        return sh_err_set(e, SH_INTERNAL, "curl_easy_init failed");
    char url[400], errbuf[CURL_ERROR_SIZE] = "";
    snprintf(url, sizeof(url), "%s://%s:%d", s->tls == NT_TLS_IMPLICIT ? "smtps" : "smtp", s->host,
             s->port);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)(s->timeout_s > 0 ? s->timeout_s : 30));
    CURLcode cc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    if (cc == CURLE_OK)
        return SH_OK;
    return sh_err_set(e, SH_UNAVAILABLE, "%s", *errbuf ? errbuf : curl_easy_strerror(cc));
}
