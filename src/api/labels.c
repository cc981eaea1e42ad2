/* SPDX-License-Identifier: MIT */
/* Unit labels: GET /api/v1/units/{id}/qr.svg is a QR code linking to the
 * customer fault-report page of the unit, <scheme>://<host>/r/<serial>. */
#include <inttypes.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "docs/qr.h"

extern const struct entity ent_units;

struct label_ctx {
    struct api_ctx *c;
    int64_t id;
    struct db_rows unit;
};

static enum sh_code label_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct label_ctx *l = arg;
    return ent_load(tx, l->c->a, &ent_units, l->id, &l->unit, e);
}

/* A Host header we are willing to print into a URL: name or [v6] with a port. */
static bool host_ok(const char *h)
{
    size_t n = h ? strlen(h) : 0;
    if (n == 0 || n > 255)
        return false;
    for (const char *p = h; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr(".-:[]", *p)))
            return false;
    return true;
}

/* Percent-encodes everything but RFC 3986 unreserved characters. */
static enum sh_code url_segment(struct sh_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    enum sh_code rc = SH_OK;
    for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            rc = sh_buf_addc(b, (char)*p);
        else
            rc = sh_buf_addf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
    }
    return rc;
}

void h_unit_qr(struct api_ctx *c)
{
    struct label_ctx l = {.c = c};
    if (!api_param_id(c, 0, &l.id))
        return;
    struct sh_err e;
    sh_err_clear(&e);
    if (db_read(c->app->db, label_run, &l, &e)) {
        api_reply_err(c, &e);
        return;
    }
    const char *host = http_header(c->req, "Host");
    const char *proto = http_header(c->req, "X-Forwarded-Proto");
    if (!proto || (strcmp(proto, "https") && strcmp(proto, "http")))
        proto = c->app->cookie_secure ? "https" : "http";
    struct sh_buf url = SH_BUF_INIT(4096), svg = SH_BUF_INIT(1 << 20);
    enum sh_code rc =
        host_ok(host) ? sh_buf_addf(&url, "%s://%s/r/", proto, host) : sh_buf_adds(&url, "/r/");
    if (!rc)
        rc = url_segment(&url, db_get(&l.unit, 0, "serial_no"));
    if (rc)
        sh_err_set(&e, SH_TOO_BIG, "serial number too long for a label");
    else
        rc = qr_svg(url.buf, &svg, &e);
    if (rc) {
        api_reply_err(c, &e);
    } else {
        http_add_header(c->req, "Cache-Control", "private, max-age=300");
        http_reply(c->req, 200, "image/svg+xml", svg.buf, svg.len);
    }
    sh_buf_release(&url);
    sh_buf_release(&svg);
}
