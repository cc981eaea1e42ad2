/* SPDX-License-Identifier: MIT */
/* The one shape of a list answer: {"items": [...], "total", "limit", "offset" or "next_cursor"}. */
#include "api/api.h"

void api_page_render(struct jw *w, const struct api_page *p)
{
    jw_obj_begin(w);
    jw_key(w, "items");
    jw_arr_begin(w);
    for (int i = 0; i < p->n; i++)
        p->item(w, i, p->arg);
    jw_arr_end(w);
    if (p->has_total)
        jw_kint(w, "total", p->total);
    if (p->has_total && p->total_capped)
        jw_kbool(w, "total_capped", true);
    if (p->has_total && p->total_estimated)
        jw_kbool(w, "total_estimated", true);
    if (p->limit)
        jw_kint(w, "limit", p->limit);
    if (p->has_offset)
        jw_kint(w, "offset", p->offset);
    if (p->has_cursor && p->next_cursor)
        jw_kstr(w, "next_cursor", p->next_cursor);
    else if (p->has_cursor)
        jw_knull(w, "next_cursor");
    jw_obj_end(w);
}

void api_reply_page(struct api_ctx *c, const struct api_page *p)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    api_page_render(&w, p);
    if (jw_finish(&w) == SH_OK)
        api_reply_json(c, 200, &b);
    else if (p->limit)
        api_reply_error(c, SH_TOO_BIG, NULL, "response too large: lower 'limit'");
    else
        api_reply_error(c, SH_TOO_BIG, NULL, "response too large");
    sh_buf_release(&b);
}
