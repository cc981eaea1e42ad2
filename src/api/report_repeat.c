/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/repeat-repairs. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "app/report_repeat.h"
#include "base/date.h"

/* ---- report: repeat repairs grouped by model, technician and fault category ---- */

struct repeat_ctx {
    struct api_ctx *c;
    const char *from, *to;
    struct repeat_report out;
};

static enum sh_code repeat_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct repeat_ctx *x = arg;
    const struct uc u = ticket_uc(x->c, tx);
    return uc_report_repeat_repairs(&u, x->from, x->to, &x->out, e);
}

static void repeat_item(struct jw *w, int i, const void *arg)
{
    const struct repeat_row *r = (const struct repeat_row *)arg + i;
    jw_obj_begin(w);
    jw_kintstr(w, "model_id", r->model_id);
    jw_kstr(w, "model_code", r->model_code);
    jw_kstr(w, "model_name", r->model_name);
    jw_kintstr(w, "technician_id", r->technician_id);
    jw_kstr(w, "technician", r->technician);
    jw_kstr(w, "fault_category", r->fault_category);
    jw_kint(w, "repeats", r->repeats);
    jw_obj_end(w);
}

void h_report_repeat_repairs(struct api_ctx *c)
{
    struct repeat_ctx x = {.c = c, .from = "0000", .to = "9999"};
    static const char *const names[2] = {"from", "to"};
    for (int i = 0; i < 2; i++) {
        const char *v = http_query(c->req, names[i]);
        if (!v)
            continue;
        struct sh_date d;
        if (!sh_date_parse(v, &d)) {
            api_reply_error(c, SH_INVALID, names[i], "'%s' must be a date YYYY-MM-DD", names[i]);
            return;
        }
        const char *ts = sh_arena_printf(c->a, "%sT%s", v, i ? "23:59:59Z" : "00:00:00Z");
        if (i)
            x.to = ts;
        else
            x.from = ts;
    }
    if (!api_read_or_reply(c, repeat_run, &x))
        return;
    api_reply_page(c, &(struct api_page){.n = x.out.n,
                                         .item = repeat_item,
                                         .arg = x.out.rows,
                                         .has_total = true,
                                         .total = x.out.total,
                                         .has_cursor = true});
}
