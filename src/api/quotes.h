/* SPDX-License-Identifier: MIT */
/* Quote handlers (api/quotes.c, api/quote_public.c; docs/quotes.md). */
#ifndef SH_API_QUOTES_H
#define SH_API_QUOTES_H

#include <jansson.h>

#include "api/api.h"
#include "api/pdf.h"
#include "app/quotes.h"

void h_ticket_quotes(struct api_ctx *c);
void h_ticket_quote_create(struct api_ctx *c);
void h_ticket_charge_told(struct api_ctx *c);
void h_quotes_list(struct api_ctx *c);
void h_quote_get(struct api_ctx *c);
void h_quote_put(struct api_ctx *c);
void h_quote_pdf(struct api_ctx *c);
void h_quote_send(struct api_ctx *c);
void h_quote_link(struct api_ctx *c);
void h_quote_revise(struct api_ctx *c);
void h_quote_decision(struct api_ctx *c);
void h_public_quote_get(struct api_ctx *c);
void h_public_quote_decide(struct api_ctx *c);
void h_public_quote_pdf(struct api_ctx *c);

/* shared by the two files */
SH_WUR enum sh_code quote_parse_decision(json_t *body, bool *accept, struct sh_err *e);
/* A quote PDF route's context starts with this (api/pdf.h): quote_pdf_loaded, in the load after
 * the reader got q, reads the rest (app/quotes.h quote_pdf_load); quote_pdf_build is the
 * route's build. */
struct quote_pdf_call {
    struct api_pdf pdf;
    struct quote_pdf qp;
};
SH_WUR enum sh_code quote_pdf_loaded(const struct uc *u, const struct quote_row *q,
                                     struct quote_pdf_call *p, struct sh_err *e);
SH_WUR enum sh_code quote_pdf_build(struct api_ctx *c, struct api_pdf *pdf, struct sh_err *e);

#endif
