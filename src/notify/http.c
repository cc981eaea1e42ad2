/* SPDX-License-Identifier: MIT */
/* The one HTTP client of the gateways (libcurl): a request built by sms.c or robots.c is
 * sent as it is; the answer's status and body (capped at 64 KiB) come back in the arena. */
#include <curl/curl.h>
#include <pthread.h>
#include <string.h>

#include "base/sh_buf.h"
#include "notify/notify.h"
#include "notify/nt_int.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void nt_curl_init(void)
{
    pthread_once(&curl_once, curl_init_once);
}

static size_t write_cb(char *p, size_t size, size_t nmemb, void *arg)
{
    struct sh_buf *b = arg;
    size_t n = size * nmemb;
    if (b->len + n > b->max)
        n = b->max - b->len; /* keep the head, drop the rest */
    if (n && sh_buf_add(b, p, n))
        return 0;
    return size * nmemb;
}

enum sh_code nt_http_send(const struct nt_http_req *r, int timeout_s, struct sh_arena *a,
                          struct nt_http_res *out, struct sh_err *e)
{
    nt_curl_init();
    CURL *c = curl_easy_init();
    if (!c)
        return sh_err_set(e, SH_INTERNAL, "curl_easy_init failed");
    struct curl_slist *h = NULL;
    for (int i = 0; i < NT_HTTP_HEADERS && r->headers[i]; i++)
        h = curl_slist_append(h, r->headers[i]);
    h = curl_slist_append(h, "Expect:");
    struct sh_buf b = SH_BUF_INIT(64 * 1024);
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, r->url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)(timeout_s > 0 ? timeout_s : 30));
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    if (r->body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(r->body));
    }
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    out->status = status;
    out->body = sh_arena_strndup(a, b.buf, b.len);
    sh_buf_release(&b);
    if (rc != CURLE_OK)
        return sh_err_set(e, SH_UNAVAILABLE, "http: %s", *errbuf ? errbuf : curl_easy_strerror(rc));
    return SH_OK;
}
