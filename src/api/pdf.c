/* SPDX-License-Identifier: MIT */
/* The PDF routes' one way (api/pdf.h): read in a transaction, draw after it. */
#include "api/pdf.h"

#include "docs/doc_gate.h"

#define PDF_MAX (32u << 20)

static enum sh_code draw(struct api_ctx *c, const struct api_pdf_route *r, struct api_pdf *p,
                         struct sh_buf *out, struct sh_err *e)
{
    if (p->cache_key && doc_cache_get(p->cache_key, out))
        return SH_OK;
    enum sh_code rc = r->build(c, p, e);
    if (!rc)
        rc = rpdf_render(&p->doc, out, NULL, e);
    if (!rc && p->cache_key)
        doc_cache_put(p->cache_key, out->buf, out->len);
    return rc;
}

void api_pdf_reply(struct api_ctx *c, const struct api_pdf_route *r, struct api_pdf *p)
{
    bool ok = r->write ? api_write_or_reply(c, r->load, p) : api_read_or_reply(c, r->load, p);
    /* RULE review 70 L11: the request's connection goes back to the pool (PostgreSQL: a GET's
     * read stays open until the request ends, store/db.h) before the wait for a document
     * thread and the drawing; nothing of the database is read after this */
    db_request_release(c->app->db);
    if (!ok)
        return;
    struct sh_buf pdf = SH_BUF_INIT(PDF_MAX);
    struct sh_err e;
    sh_err_clear(&e);
    if (draw(c, r, p, &pdf, &e)) {
        api_reply_err(c, &e);
    } else {
        http_add_header(c->req, "Content-Disposition",
                        sh_arena_printf(c->a, "inline; filename=\"%s\"", p->filename));
        http_add_header(c->req, "Cache-Control", "private, no-store");
        http_reply(c->req, 200, "application/pdf", pdf.buf, pdf.len);
    }
    sh_buf_release(&pdf);
}
