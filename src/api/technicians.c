/* SPDX-License-Identifier: MIT */
/* The technician picker (issue 10 #14). The technician and skill entities are declared in
 * app/technician_entities.c. */
#include "api/technicians.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/technicians.h"

/* ---- GET /api/v1/dispatch/technicians: the technician picker (issue 10 #14) ---- */

static enum sh_code pick_input(struct api_ctx *c, struct tech_pick_in *in, struct sh_err *e)
{
    in->q = http_query(c->req, "q");
    in->skill = http_query(c->req, "skill");
    in->limit = TECH_PICK_LIMIT;
    if (in->q && utf8_len(in->q) > TECH_PICK_Q_MAX) {
        sh_err_field(e, SH_INVALID, "q", "'q' is longer than %d characters", TECH_PICK_Q_MAX);
        return sh_err_reason(e, "too_long", "{\"max\":%d}", TECH_PICK_Q_MAX);
    }
    if (in->skill && *in->skill && !tech_code_ok(in->skill)) {
        sh_err_field(e, SH_INVALID, "skill", "'skill' must be a skill code");
        return sh_err_reason(e, "invalid_format", NULL);
    }
    const char *lim = http_query(c->req, "limit");
    if (lim) {
        char *end;
        long v = strtol(lim, &end, 10);
        if (!*lim || *end || v < 1 || v > TECH_PICK_LIMIT_MAX) {
            sh_err_field(e, SH_INVALID, "limit", "'limit' must be between 1 and %d",
                         TECH_PICK_LIMIT_MAX);
            return sh_err_reason(e, "out_of_range", "{\"min\":1,\"max\":%d}", TECH_PICK_LIMIT_MAX);
        }
        in->limit = (int)v;
    }
    return SH_OK;
}

static void pick_item(struct jw *w, int i, const void *arg)
{
    const struct tech_pick_item *it = (const struct tech_pick_item *)arg + i;
    jw_obj_begin(w);
    jw_kint(w, "user_id", it->user_id);
    jw_key(w, "technician_id");
    if (it->technician_id)
        jw_int(w, it->technician_id);
    else
        jw_null(w);
    jw_kstr(w, "name", it->name);
    jw_kstr(w, "username", it->username);
    jw_key(w, "skills");
    jw_arr_begin(w);
    for (int k = 0; k < it->nskills; k++) {
        jw_obj_begin(w);
        jw_kstr(w, "code", it->skills[k].code);
        jw_kstr(w, "name", it->skills[k].name);
        jw_kstr(w, "kind", it->skills[k].kind);
        jw_kint(w, "level", it->skills[k].level);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "workload");
    jw_obj_begin(w);
    jw_kint(w, "assigned_today", it->assigned_today);
    jw_kint(w, "visits_today", it->visits_today);
    jw_kint(w, "open", it->open);
    jw_obj_end(w);
    jw_obj_end(w);
}

void h_technicians_pick(struct api_ctx *c)
{
    struct sh_err e;
    sh_err_clear(&e);
    struct tech_pick_in in;
    struct tech_pick_out out;
    struct uc u = api_uc(c, NULL);
    if (pick_input(c, &in, &e) || uc_technicians_pick(&u, &in, &out, &e)) {
        api_reply_err(c, &e);
        return;
    }
    api_reply_page(c, &(struct api_page){.n = (int)out.n,
                                         .item = pick_item,
                                         .arg = out.items,
                                         .has_total = true,
                                         .total = (int64_t)out.total});
}
