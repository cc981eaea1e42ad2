/* SPDX-License-Identifier: MIT */
/* Every PDF route answers through api_pdf_reply (review 70 L11): the data is read (and the
 * reader's access checked) in a transaction that ends before the drawing waits for a
 * document thread (docs/doc_gate.h), so a PDF never holds a database connection while it
 * waits or is drawn. */
#ifndef SH_API_PDF_H
#define SH_API_PDF_H

#include "api/api.h"
#include "docs/report_pdf.h"

/* What a PDF route fills in. The route's context starts with this struct. */
struct api_pdf {
    const char *filename;  /* load: the file's name (Content-Disposition), in c->a */
    const char *cache_key; /* load, optional: a key that fixes the content; such a document is
                            * drawn once and kept (doc_cache_get) */
    struct rpdf_doc doc;   /* build: what to draw, in c->a */
};

struct api_pdf_route {
    bool write; /* load writes (an audit row): db_write, else db_read */
    /* In the transaction (ctx: the route's context, starting with struct api_pdf): checks
     * access, reads what the document shows into c->a, sets filename (and cache_key). */
    db_fn load;
    /* After the transaction, unless the cache had the document: builds p->doc from what load
     * read (and files, e.g. a signature image); reads no database. */
    enum sh_code (*build)(struct api_ctx *c, struct api_pdf *p, struct sh_err *e);
};

/* Runs r->load, returns the request's database connection (db_request_release), then takes
 * the kept copy or builds and draws the document on a document thread, and replies 200 with
 * the PDF (inline, private, no-store) or with the error. */
void api_pdf_reply(struct api_ctx *c, const struct api_pdf_route *r, struct api_pdf *p);

#endif
