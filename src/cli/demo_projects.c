/* SPDX-License-Identifier: MIT */
/* Demo installation projects (issue 12 items 2 and 5) through the use cases: one in each
 * state — open, scheduled (date agreed), in progress (a visit booked), accepted (the customer's
 * signed acceptance) and closed (acceptance and training signed) — on units of contracts that
 * include installation. Once: nothing when projects of its own (without a shipment) exist;
 * units already in a project (the demo shipment's receipt opens one) are left out. */
#include "cli/demo_projects.h"

#include <string.h>

#include "app/checklists.h"
#include "app/install_projects.h"
#include "base/date.h"
#include "base/sh_buf.h"
#include "cli/demo_reports.h"

struct demo_ip {
    const struct uc *u;
    struct principal tech;
    bool has_tech;
};

static enum sh_code sign_in(const struct uc *u, int k, struct ip_sign_in *in, struct sh_buf *png,
                            struct sh_err *e)
{
    enum sh_code rc = demo_png(k, 480, 160, png, e); /* a signature's size */
    in->png = png->buf;
    in->png_len = png->len;
    (void)u;
    return rc;
}

static enum sh_code sign_both(const struct demo_ip *d, int64_t pid, bool training, struct sh_err *e)
{
    static const struct ip_trainee trainees[] = {
        {"李明", "设备科"}, {"陈静", "检验科"}, {"赵刚", "信息科"}, {"孙丽", "设备科"}};
    static const char *const topics[] = {"系统的软件安装", "设备的维护保养",
                                         "系统的日常维护与安全注意事项"};
    const struct uc u = {
        .tx = d->u->tx, .a = d->u->a, .who = &d->tech, .now = d->u->now, .app = d->u->app};
    struct sh_buf png = SH_BUF_INIT(1 << 20);
    struct ip_sign_in in = {.project_id = pid, .signer_name = "周立新", .comment = "安装调试合格"};
    struct ip_view v;
    enum sh_code rc = sign_in(&u, (int)pid, &in, &png, e);
    if (!rc)
        rc = uc_install_accept(&u, &in, &v, e);
    if (!rc && training) {
        in.trainees = trainees;
        in.ntrainees = 4;
        in.topics = topics;
        in.ntopics = 3;
        in.comment = NULL;
        rc = uc_install_training(&u, &in, &v, e);
    }
    sh_buf_release(&png);
    return rc;
}

/* The technician answers every check of the self-check as passed (measurements and photos
 * are left: a unit whose checklist needs them stays in progress). */
static enum sh_code self_check(const struct uc *t, int64_t wo, struct sh_err *e)
{
    struct checklist_view cv;
    enum sh_code rc = checklist_view_load(t, wo, &cv, e);
    for (int i = 0; !rc && i < cv.nlines; i++) {
        if (cv.lines[i].item->kind == CLK_MEASURE || cv.lines[i].item->kind == CLK_PHOTO)
            continue;
        struct checklist_record_in in = {.work_order_id = wo,
                                         .item_id = cv.lines[i].item->id,
                                         .has_passed = true,
                                         .passed = true};
        struct checklist_view out;
        rc = uc_checklist_record(t, &in, &out, e);
    }
    return rc;
}

/* A visit booked; for accepted and closed: done with its self-check passed, and signed. *ok
 * false when the unit's checklist does not pass unanswered (the project stays in progress). */
static enum sh_code visit(const struct demo_ip *d, int64_t pid, int state, bool *ok,
                          struct sh_err *e)
{
    char at[21];
    sh_ts_format(d->u->now + (state == 2 ? 2 * 86400 : 3600), at);
    struct wo_create_in w = {.lead_id = d->tech.user_id,
                             .appointment_at = at,
                             .tolerance_min = -1,
                             .early_target_min = -1,
                             .override_reason = "demo"};
    struct wo_view wo;
    enum sh_code rc = uc_install_project_book(d->u, pid, &w, &wo, e);
    *ok = true;
    if (rc || state < 3)
        return rc;
    const struct uc t = {
        .tx = d->u->tx, .a = d->u->a, .who = &d->tech, .now = d->u->now, .app = d->u->app};
    struct wo_action_in a = {.id = wo.row.id, .act = WOA_ARRIVE, .if_match = -1};
    if ((rc = uc_work_order_action(&t, &a, &wo, e)))
        return rc;
    struct sh_err ge;
    sh_err_clear(&ge);
    if ((rc = self_check(&t, wo.row.id, e)))
        return rc;
    if (uc_checklist_gate(&t, wo.row.id, &ge)) {
        *ok = false; /* a refusal reads only: the transaction goes on */
        return SH_OK;
    }
    a = (struct wo_action_in){.id = wo.row.id, .act = WOA_FINISH, .result = "done", .if_match = -1};
    if ((rc = uc_work_order_action(&t, &a, &wo, e)) || (rc = sign_both(d, pid, state == 4, e)))
        return rc;
    if (state == 4) {
        struct ip_view v;
        rc = uc_install_project_close(d->u, pid, &v, e);
    }
    return rc;
}

static enum sh_code find_tech(struct demo_ip *d, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(d->u->tx, d->u->a,
                               "SELECT id FROM users WHERE username = 'technician' AND active = 1",
                               DB_NOP, &r, e);
    d->has_tech = !rc && r.nrows;
    if (d->has_tech)
        d->tech = (struct principal){.user_id = db_get_int(&r, 0, "id", 0),
                                     .username = "technician",
                                     .roles = RB(TECHNICIAN)};
    return rc;
}

enum sh_code demo_projects(const struct uc *u, int *n, struct sh_err *e)
{
    *n = 0;
    struct demo_ip d = {.u = u};
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a, "SELECT COUNT(*) AS n FROM installation_projects WHERE shipment_id IS NULL",
        DB_NOP, &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) > 0 || (rc = find_tech(&d, e)))
        return rc;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT MIN(un.id) AS id, un.customer_id FROM units un JOIN contracts k ON "
                       "k.id = un.contract_id AND k.installation_included = 1 WHERE "
                       "un.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                       "installation_project_units pu WHERE pu.unit_id = un.id) GROUP BY "
                       "un.customer_id ORDER BY "
                       "un.customer_id LIMIT 12",
                       DB_NOP, &r, e)))
        return rc;
    int state = 0;
    for (int i = 0; !rc && i < r.nrows && state < 5; i++) {
        int64_t unit = db_get_int(&r, i, "id", 0);
        struct ip_open_in in = {.customer_id = db_get_int(&r, i, "customer_id", 0),
                                .unit_ids = &unit,
                                .nunits = 1,
                                .agreed_date = state >= 1 ? "2026-12-20" : NULL,
                                .note = "演示数据"};
        struct ip_view v;
        bool ok = true;
        if ((rc = uc_install_project_open(u, &in, &v, e)))
            break;
        (*n)++;
        if (state >= 2 && d.has_tech && (rc = visit(&d, v.row.id, state, &ok, e)))
            break;
        state += ok ? 1 : 0;
    }
    return rc;
}
