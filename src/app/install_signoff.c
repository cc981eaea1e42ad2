/* SPDX-License-Identifier: MIT */
/* The acceptance (项目验收单, F-24) and training record (培训确认单, F-25) of an installation
 * project, signed by the customer on the technician's phone (app/install_projects.h). The
 * signature checks and the blob store are the service report's. */
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/checklists.h"
#include "app/install_projects.h"
#include "app/service_reports.h"
#include "app/ticket_attach.h"
#include "domain/work_order.h"
#include "base/date.h"
#include "base/jw.h"
#include "app/install_int.h"

static size_t chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

static enum sh_code text(const char *field, const char *s, size_t max, bool req, struct sh_err *e)
{
    if (req && blank(s)) {
        sh_err_field(e, SH_INVALID, field, "'%s' is required", field);
        return sh_err_reason(e, "required", NULL);
    }
    if (s && chars(s) > max) {
        sh_err_field(e, SH_INVALID, field, "'%s' has at most %zu characters", field, max);
        return sh_err_reason(e, "too_long", "{\"max\":%zu}", max);
    }
    return SH_OK;
}

enum sh_code install_check_sign(const struct ip_sign_in *in, int *w, int *h, struct sh_err *e)
{
    enum sh_code rc;
    if ((rc = text("signer_name", in->signer_name, IP_NAME_MAX, true, e)) ||
        (rc = text("comment", in->comment, IP_NOTE_MAX, false, e)))
        return rc;
    return report_check_png(in->png, in->png_len, w, h, e);
}

/* The project's units and header, the start of every snapshot. */
void install_snap_head(struct jw *w, const struct ip_view *v, const char *kind, const char *date)
{
    jw_obj_begin(w);
    jw_kstr(w, "kind", kind);
    jw_kstr(w, "number", v->row.number);
    jw_kstr(w, "customer", v->row.customer_name);
    jw_kstr(w, "site", v->row.site_name);
    jw_kstr(w, "contract", v->row.contract_number);
    jw_kstr(w, "date", date);
    jw_key(w, "units");
    jw_arr_begin(w);
    for (int i = 0; i < v->nunits; i++) {
        jw_obj_begin(w);
        jw_kstr(w, "serial_no", v->units[i].serial_no);
        jw_kstr(w, "model", v->units[i].model_name);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_key(w, "work_orders");
    jw_arr_begin(w);
    for (int i = 0; i < v->nwos; i++)
        if (strcmp(v->wos[i].status, "cancelled"))
            jw_str(w, v->wos[i].number);
    jw_arr_end(w);
}

const char *install_snap_finish(struct sh_arena *a, struct jw *w, struct sh_buf *b)
{
    jw_obj_end(w);
    const char *s = jw_finish(w) == SH_OK ? sh_arena_strdup(a, b->buf) : NULL;
    sh_buf_release(b);
    return s;
}

enum sh_code install_store_signoff(const struct uc *u, const struct ip_view *v,
                                   const struct ip_sign_in *in, const struct ip_signoff_new *s,
                                   int w, int h, struct sh_err *e)
{
    struct ticket_blob blob;
    enum sh_code rc = ticket_blob_check(u->a, in->png, in->png_len, "signature.png",
                                        REPORT_SIGNATURE_MAX, &blob, e);
    if (rc || (rc = ticket_blob_store(u->app->data_dir, &blob, e)))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    if ((rc = db_exec(u->tx,
                      "INSERT INTO project_signoffs (project_id, kind, snapshot, signature_sha256, "
                      "signature_size, signature_width, signature_height, signer_name, comment, "
                      "trainees, chargeable, signed_at, signed_by) VALUES ($1, $2, $3, $4, $5, $6, "
                      "$7, $8, $9, $10, $11, $12, $13)",
                      DB_P(DB_INT(v->row.id), DB_TEXT(s->kind), DB_TEXT(s->snapshot),
                           DB_TEXT(blob.sha), DB_INT((int64_t)in->png_len), DB_INT(w), DB_INT(h),
                           DB_TEXT(in->signer_name), DB_TEXT(in->comment ? in->comment : ""),
                           DB_INT(s->trainees), DB_INT(s->chargeable), DB_TEXT(now),
                           u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL),
                      NULL, e)))
        return rc;
    return uc_audit(u, "installation_project", v->row.id, s->kind, NULL, s->snapshot, e);
}

enum sh_code install_may_sign(const struct uc *u, const struct ip_view *v, struct sh_err *e)
{
    if (u->who->roles & WO_R_PLAN)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT COUNT(*) AS n FROM work_orders w WHERE w.project_id = $1 AND (w.lead_id = $2 OR "
        "EXISTS (SELECT 1 FROM work_order_helpers h WHERE h.work_order_id = w.id AND h.user_id "
        "= $2))",
        DB_P(DB_INT(v->row.id), DB_INT(u->who->user_id)), &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) > 0)
        return rc;
    sh_err_set(e, SH_FORBIDDEN, "only a technician of project %s's visits or a planner signs it",
               v->row.number);
    return sh_err_reason(e, "forbidden", NULL);
}

enum sh_code install_signed_already(const struct ip_view *v, const char *kind, struct sh_err *e)
{
    sh_err_set(e, SH_CONFLICT, "project %s already has a signed %s", v->row.number, kind);
    return sh_err_reason_str1(e, "duplicate", "kind", kind);
}

/* The self-check of every visit passed, one of them done (R-149 as for the service report). */
static enum sh_code accept_guard(const struct uc *u, const struct ip_view *v, struct sh_err *e)
{
    bool done = false;
    for (int i = 0; i < v->nwos; i++) {
        if (!strcmp(v->wos[i].status, "cancelled"))
            continue;
        enum sh_code rc = uc_checklist_gate(u, v->wos[i].id, e);
        if (rc)
            return rc;
        done = done || !strcmp(v->wos[i].status, "done");
    }
    if (done)
        return SH_OK;
    sh_err_set(e, SH_CONFLICT, "project %s has no finished installation work order", v->row.number);
    return sh_err_reason(e, "guard", "{\"guard\":\"work_order\"}");
}

/* The local date of the last finished installation visit: the install date. */
static const char *install_day(const struct uc *u, const struct ip_view *v, const char *today)
{
    struct db_rows r;
    struct sh_err e;
    sh_err_clear(&e);
    if (db_query(u->tx, u->a,
                 "SELECT MAX(finished_at) AS f FROM work_orders WHERE project_id = $1 AND status "
                 "= 'done'",
                 DB_P(DB_INT(v->row.id)), &r, &e) ||
        !db_get(&r, 0, "f"))
        return today;
    int64_t t;
    if (!sh_ts_parse(db_get(&r, 0, "f"), &t))
        return today;
    char d[11];
    sh_date_format(sh_civil_from_days((t + 8 * 3600) / 86400), d);
    return sh_arena_strdup(u->a, d);
}

enum sh_code uc_install_accept(const struct uc *u, const struct ip_sign_in *in, struct ip_view *out,
                               struct sh_err *e)
{
    struct ip_view v;
    int w = 0, h = 0;
    enum sh_code rc = uc_install_project_load(u, in->project_id, &v, e);
    if (rc || (rc = install_may_sign(u, &v, e)))
        return rc;
    if (v.acceptance.present)
        return install_signed_already(&v, "acceptance", e);
    if (strcmp(v.row.status, "in_progress")) {
        sh_err_set(e, SH_CONFLICT, "project %s is %s: acceptance follows the installation",
                   v.row.number, v.row.status);
        return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"accept\"}",
                             v.row.status);
    }
    if ((rc = accept_guard(u, &v, e)) || (rc = install_check_sign(in, &w, &h, e)))
        return rc;
    char today[11], now[21];
    sh_date_format(sh_civil_from_days((u->now + 8 * 3600) / 86400), today);
    sh_ts_format(u->now, now);
    const char *installed = install_day(u, &v, today);
    struct sh_buf b = SH_BUF_INIT(1 << 18);
    struct jw j;
    jw_init(&j, &b);
    install_snap_head(&j, &v, "acceptance", today);
    jw_kstr(&j, "install_date", installed);
    jw_kstr(&j, "result", "passed");
    struct ip_signoff_new s = {.kind = "acceptance", .snapshot = install_snap_finish(u->a, &j, &b)};
    if (!s.snapshot)
        return sh_err_set(e, SH_INTERNAL, "acceptance snapshot too large");
    if ((rc = install_store_signoff(u, &v, in, &s, w, h, e)) ||
        (rc = install_warranty_start(u, &v, installed, today, e)) ||
        (rc = db_exec(u->tx,
                      "UPDATE installation_projects SET status = 'accepted', accepted_at = $2, "
                      "updated_at = $2, version = version + 1 WHERE id = $1",
                      DB_P(DB_INT(v.row.id), DB_TEXT(now)), NULL, e)))
        return rc;
    return uc_install_project_load(u, v.row.id, out, e);
}
