/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/doa: the dead-on-arrival rate by model and by production batch
 * (WF-08). */
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "app/report_doa.h"
#include "base/date.h"
#include "http/http.h"

struct doa_ctx {
    struct api_ctx *c;
    const char *from, *to;
    struct doa_report out;
};

static enum sh_code doa_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct doa_ctx *x = arg;
    const struct uc u = api_uc(x->c, tx);
    return uc_report_doa(&u, x->from, x->to, &x->out, e);
}

static void doa_list(struct jw *w, const char *key, const struct doa_row *rows, int n, bool batch)
{
    jw_key(w, key);
    jw_arr_begin(w);
    for (int i = 0; i < n; i++) {
        const struct doa_row *r = &rows[i];
        jw_obj_begin(w);
        jw_kintstr(w, "model_id", r->model_id);
        jw_kstr(w, "model_code", r->model_code);
        jw_kstr(w, "model_name", r->model_name);
        if (batch)
            jw_kstr(w, "batch", r->batch);
        jw_kint(w, "delivered", r->delivered);
        jw_kint(w, "doa", r->doa);
        jw_kreal(w, "rate", r->delivered ? (double)r->doa / (double)r->delivered : 0.0);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

void h_report_doa(struct api_ctx *c)
{
    struct doa_ctx x = {.c = c, .from = "0000-01-01", .to = "9999-12-31"};
    static const char *const names[2] = {"from", "to"};
    for (int i = 0; i < 2; i++) {
        const char *v = http_query(c->req, names[i]);
        struct sh_date d;
        if (!v)
            continue;
        if (!sh_date_parse(v, &d)) {
            api_reply_error(c, SH_INVALID, names[i], "'%s' must be a date YYYY-MM-DD", names[i]);
            return;
        }
        if (i)
            x.to = v;
        else
            x.from = v;
    }
    if (!api_read_or_reply(c, doa_run, &x))
        return;
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    doa_list(&w, "by_model", x.out.by_model, x.out.n_model, false);
    doa_list(&w, "by_batch", x.out.by_batch, x.out.n_batch, true);
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}
