/* SPDX-License-Identifier: MIT */
/* A ticket's two search texts (q=): what staff may find and what the customer may find.
 * One composition for intake, for every append and for a rebuild after an edit (issue 10
 * items 5 and 12). */
#include <string.h>

#include "domain/ticket.h"

static bool note_searchable(const struct ticket_search_in *in, const struct ticket_search_note *n,
                            bool external)
{
    if (!n->body || !*n->body || !n->kind)
        return false;
    if (strcmp(n->kind, "comment") && strcmp(n->kind, "call") && strcmp(n->kind, "state"))
        return false;
    if (external && (!n->visibility || strcmp(n->visibility, "customer")))
        return false;
    /* the call record made at intake repeats the description, already in the text */
    if (!strcmp(n->kind, "call"))
        for (size_t i = 0; i < in->nbase; i++)
            if (in->base[i].description && !strcmp(in->base[i].description, n->body))
                return false;
    return true;
}

bool ticket_search_note_visible(const char *visibility)
{
    return visibility && !strcmp(visibility, "customer");
}

/* Cuts b to at most max bytes without splitting a UTF-8 sequence. */
static void cut(struct sh_buf *b, size_t max)
{
    if (b->len <= max)
        return;
    size_t n = max;
    while (n > 0 && ((unsigned char)b->buf[n] & 0xC0) == 0x80)
        n--;
    b->len = n;
    b->buf[n] = '\0';
}

static const char *s_or_empty(const char *s)
{
    return s ? s : "";
}

enum sh_code ticket_search_text(const struct ticket_search_in *in, bool external,
                                struct sh_buf *out)
{
    enum sh_code rc = SH_OK;
    for (size_t i = 0; i < in->nbase && !rc; i++) {
        const struct ticket_search_base *p = &in->base[i];
        rc = sh_buf_addf(out, "%s%s %s %s %s %s %s", i ? " " : "", s_or_empty(p->number),
                         s_or_empty(p->caller_name), s_or_empty(p->caller_phone),
                         s_or_empty(p->customer_name), s_or_empty(p->serial_no),
                         s_or_empty(p->description));
    }
    for (size_t i = 0; i < in->nnotes && !rc && out->len < TICKET_SEARCH_MAX; i++)
        if (note_searchable(in, &in->notes[i], external) && !(rc = sh_buf_addc(out, ' ')))
            rc = sh_buf_adds(out, in->notes[i].body);
    if (rc == SH_TOO_BIG)
        rc = SH_OK; /* over-long text is simply not searchable past the cap */
    cut(out, TICKET_SEARCH_MAX);
    return rc;
}
