/* SPDX-License-Identifier: MIT */
#include "cli/demo_reports.h"

#include <cairo.h>
#include <string.h>

#include "app/checklists.h"
#include "app/service_reports.h"
#include "base/date.h"

#define DEMO_REPORTS_MAX 40

static cairo_status_t png_sink(void *arg, const unsigned char *d, unsigned int n)
{
    return sh_buf_add(arg, d, n) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* A PNG of w × h: a few strokes that differ by k (a signature), on a light ground when it is
 * not a signature's size (a photo). */
enum sh_code demo_png(int k, int w, int h, struct sh_buf *out, struct sh_err *e)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(s);
    if (w != 480 || h != 160) {
        cairo_set_source_rgb(cr, 0.85 - k % 5 * 0.05, 0.88, 0.9);
        cairo_paint(cr);
    }
    cairo_scale(cr, w / 480.0, h / 160.0);
    cairo_set_source_rgb(cr, 0.07, 0.07, 0.2);
    cairo_set_line_width(cr, 4);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_move_to(cr, 30, 120);
    cairo_curve_to(cr, 90 + k * 7 % 40, 20, 160, 150, 230, 60);
    cairo_curve_to(cr, 280, 10 + k * 13 % 50, 330, 140, 450, 40);
    cairo_move_to(cr, 120, 140);
    cairo_line_to(cr, 380, 130 - k % 20);
    cairo_stroke(cr);
    cairo_destroy(cr);
    cairo_status_t st = cairo_surface_write_to_png_stream(s, png_sink, out);
    cairo_surface_destroy(s);
    return st == CAIRO_STATUS_SUCCESS ? SH_OK : sh_err_set(e, SH_INTERNAL, "demo PNG");
}

enum sh_code demo_report_sign(const struct uc *u, int64_t wo, int k, const char *signer,
                              const char *comment, struct sh_err *e)
{
    struct sh_buf png = SH_BUF_INIT(1 << 20);
    struct report_sign_in in = {.work_order_id = wo, .signer_name = signer, .comment = comment};
    enum sh_code rc = demo_png(k, 480, 160, &png, e);
    if (!rc) {
        in.png = png.buf;
        in.png_len = png.len;
        struct sr_row out;
        rc = uc_report_sign(u, &in, &out, e);
    }
    sh_buf_release(&png);
    return rc;
}

static const char *const signers[] = {"王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆"};

enum sh_code demo_reports(const struct uc *base, int *n, struct sh_err *e)
{
    *n = 0;
    struct db_rows r;
    enum sh_code rc = db_query(
        base->tx, base->a,
        "SELECT w.id, w.status, w.lead_id, t.caller_name FROM work_orders w JOIN tickets t ON "
        "t.id = w.ticket_id WHERE w.status IN ('on_site', 'done') AND NOT EXISTS (SELECT 1 FROM "
        "service_reports r WHERE r.work_order_id = w.id) ORDER BY w.id LIMIT $1",
        DB_P(DB_INT(DEMO_REPORTS_MAX)), &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        struct principal who = *base->who;
        who.user_id = db_get_int(&r, i, "lead_id", 0);
        const struct uc u = {
            .tx = base->tx, .a = base->a, .who = &who, .now = sh_now(), .app = base->app};
        int64_t wo = db_get_int(&r, i, "id", 0);
        struct sh_err ge;
        if (uc_checklist_gate(&u, wo, &ge))
            continue; /* a self-check not passed: a refusal reads only, the transaction goes on */
        const char *caller = db_get(&r, i, "caller_name");
        rc = demo_report_sign(&u, wo, i, caller && *caller ? caller : signers[i % 6],
                              i % 3 ? "服务及时，师傅认真负责。" : "设备已恢复正常，满意。", e);
        *n += !rc;
    }
    return rc;
}
