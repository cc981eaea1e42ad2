/* SPDX-License-Identifier: MIT */
/* GET /api/v1/reports/repeat-repairs. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "base/date.h"

/* ---- report: repeat repairs grouped by model, technician and fault category ---- */

struct repeat_ctx {
    struct api_ctx *c;
    const char *from, *to;
    struct db_rows rows;
};

static enum sh_code repeat_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct repeat_ctx *x = arg;
    return db_query(tx, x->c->a,
                    "SELECT t.model_id, m.code AS model_code, m.name AS model_name, "
                    "p.assignee_id AS technician_id, u.username AS technician, t.fault_category, "
                    "count(*) AS repeats FROM tickets t JOIN tickets p ON p.id = t.repeat_of "
                    "LEFT JOIN product_models m ON m.id = t.model_id LEFT JOIN users u ON u.id = "
                    "p.assignee_id WHERE t.repeat_of IS NOT NULL AND t.received_at >= $1 AND "
                    "t.received_at <= $2 GROUP BY t.model_id, m.code, m.name, p.assignee_id, "
                    "u.username, t.fault_category ORDER BY repeats DESC, m.code LIMIT 1000",
                    DB_P(DB_TEXT(x->from), DB_TEXT(x->to)), &x->rows, e);
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
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    jw_obj_begin(&w);
    jw_key(&w, "items");
    jw_arr_begin(&w);
    int64_t total = 0;
    for (int i = 0; i < x.rows.nrows; i++) {
        jw_obj_begin(&w);
        jw_kintstr(&w, "model_id", db_get(&x.rows, i, "model_id"));
        jw_kstr(&w, "model_code", db_get(&x.rows, i, "model_code"));
        jw_kstr(&w, "model_name", db_get(&x.rows, i, "model_name"));
        jw_kintstr(&w, "technician_id", db_get(&x.rows, i, "technician_id"));
        jw_kstr(&w, "technician", db_get(&x.rows, i, "technician"));
        jw_kstr(&w, "fault_category", db_get(&x.rows, i, "fault_category"));
        jw_kintstr(&w, "repeats", db_get(&x.rows, i, "repeats"));
        total += db_get_int(&x.rows, i, "repeats", 0);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "total", total);
    jw_knull(&w, "next_cursor");
    jw_obj_end(&w);
    api_reply_jw(c, 200, &b, &w);
}
