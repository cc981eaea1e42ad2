/* SPDX-License-Identifier: MIT */
/* Unit labels: GET /api/v1/units/{id}/qr.svg is a QR code linking to the
 * customer fault-report page of the unit, <public_url>/r/<serial> (public_url is a
 * setting; without it the label carries the path only). */
#include <inttypes.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "app/resources.h"
#include "docs/qr.h"

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
    /* the configured public URL, never the request's Host header: a forged Host must not
     * end up printed on labels that hang on customers' equipment for years */
    const char *base = c->app->public_url ? c->app->public_url : "";
    struct sh_buf url = SH_BUF_INIT(4096), svg = SH_BUF_INIT(1 << 20);
    enum sh_code rc = sh_buf_addf(&url, "%s/r/", base);
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
