/* SPDX-License-Identifier: MIT */
#include "app/report_snapshot.h"

#include <sodium.h>
#include <string.h>

#include "app/checklists.h"
#include "base/jw.h"
#include "store/checklists.h"
#include "store/service_reports.h"

#define SNAPSHOT_MAX (4u << 20)

static void ticket_part(struct jw *w, const struct sr_source *s)
{
    jw_key(w, "ticket");
    jw_obj_begin(w);
    jw_kstr(w, "number", s->ticket_number);
    jw_kstr(w, "type", s->ticket_type);
    jw_kstr(w, "description", s->description);
    jw_kstr(w, "fault_category", s->fault_category);
    jw_kstr(w, "caller_name", s->caller_name);
    jw_kstr(w, "caller_phone", s->caller_phone);
    jw_kstr(w, "billing", s->billing);
    jw_kstr(w, "warranty_status", s->warranty_status);
    jw_obj_end(w);
    jw_key(w, "customer");
    jw_obj_begin(w);
    jw_kstr(w, "name", s->customer_name);
    jw_kstr(w, "address", s->customer_address);
    jw_kstr(w, "phone", s->customer_phone);
    jw_obj_end(w);
    jw_key(w, "unit");
    jw_obj_begin(w);
    jw_kstr(w, "serial_no", s->serial_no);
    jw_kstr(w, "model", s->model_name);
    jw_kstr(w, "model_code", s->model_code);
    jw_kstr(w, "site_address", s->site_address);
    jw_obj_end(w);
}

static void kstr0(struct jw *w, const char *k, const char *v)
{
    jw_kstr(w, k, v ? v : "");
}

/* The parts: the work order's own list (free text), then the catalogue parts consumed on it
 * from a van (with their code and the amount they were priced at). */
static void parts_part(struct jw *w, const struct wo_view *v, const struct db_rows *used)
{
    jw_key(w, "parts");
    jw_arr_begin(w);
    for (int i = 0; i < v->nparts; i++) {
        jw_obj_begin(w);
        kstr0(w, "name", v->parts[i].name);
        jw_kreal(w, "quantity", v->parts[i].quantity);
        kstr0(w, "unit", v->parts[i].unit);
        kstr0(w, "note", v->parts[i].note);
        jw_obj_end(w);
    }
    for (int i = 0; i < used->nrows; i++) {
        jw_obj_begin(w);
        kstr0(w, "code", db_get(used, i, "code"));
        kstr0(w, "name", db_get(used, i, "name"));
        jw_kreal(w, "quantity", (double)db_get_int(used, i, "qty", 0));
        kstr0(w, "unit", db_get(used, i, "unit"));
        kstr0(w, "note", "");
        jw_kint(w, "amount_fen", db_get_int(used, i, "amount_fen", 0));
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* What the customer owes, as far as it is known when they sign: their part of the
 * charges of the work order and its ticket, and the accepted quote (only when there is one). */
static enum sh_code money_part(const struct uc *u, struct jw *w, const struct wo_view *v,
                               struct sh_err *e)
{
    struct db_rows ch, q;
    enum sh_code rc = sr_customer_charges(u->tx, u->a, v->row.id, v->row.ticket_id, &ch, e);
    if (rc || (rc = sr_accepted_quote(u->tx, u->a, v->row.ticket_id, &q, e)))
        return rc;
    jw_key(w, "charges");
    jw_arr_begin(w);
    for (int i = 0; i < ch.nrows; i++) {
        jw_obj_begin(w);
        kstr0(w, "item", db_get(&ch, i, "description"));
        jw_kint(w, "amount_fen", db_get_int(&ch, i, "customer_fen", 0));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    if (q.nrows) {
        jw_key(w, "quote");
        jw_obj_begin(w);
        kstr0(w, "number", db_get(&q, 0, "number"));
        jw_kint(w, "total_fen", db_get_int(&q, 0, "total_fen", 0));
        jw_obj_end(w);
    }
    return SH_OK;
}

static void work_order_part(struct jw *w, const struct wo_view *v, const struct db_rows *used)
{
    const struct wo_row *r = &v->row;
    jw_key(w, "work_order");
    jw_obj_begin(w);
    jw_kint(w, "id", r->id);
    kstr0(w, "number", r->number);
    kstr0(w, "kind", r->kind);
    kstr0(w, "appointment_at", r->appointment_at);
    jw_kint(w, "tolerance_min", r->tolerance_min);
    kstr0(w, "arrived_at", r->arrived_at);
    if (r->lateness_min >= 0)
        jw_kint(w, "lateness_min", r->lateness_min);
    else
        jw_knull(w, "lateness_min");
    kstr0(w, "late_notice", r->late_notice);
    kstr0(w, "latest_notice_at", r->latest_notice_at);
    kstr0(w, "late_notice_at", r->late_notice_at);
    kstr0(w, "findings", r->findings);
    kstr0(w, "work_done", r->work_done);
    jw_kint(w, "labour_minutes", r->labour_minutes);
    kstr0(w, "customer_comment", r->customer_comment);
    jw_obj_end(w);
    jw_key(w, "technicians");
    jw_obj_begin(w);
    kstr0(w, "lead", r->lead_name);
    jw_key(w, "helpers");
    jw_arr_begin(w);
    for (int i = 0; i < v->nhelpers; i++)
        jw_str(w, v->helpers[i].name ? v->helpers[i].name : "");
    jw_arr_end(w);
    jw_obj_end(w);
    parts_part(w, v, used);
}

static void checklist_item(struct jw *w, const struct checklist_line *l)
{
    const struct cl_item_row *it = l->item;
    const struct cl_result_row *res = l->result;
    const char *unit = res && res->unit && *res->unit ? res->unit : it->unit ? it->unit : "";
    char limit[128], value[32] = "";
    cl_limit_format(res ? &res->limit : &it->limit, unit, limit, sizeof(limit));
    if (res && res->has_value)
        cl_decimal_format(res->value, value);
    jw_obj_begin(w);
    kstr0(w, "label", it->label);
    jw_kstr(w, "kind", cl_kind_names[it->kind]);
    jw_kbool(w, "required", it->required);
    if (res)
        jw_kbool(w, "passed", res->passed);
    else
        jw_knull(w, "passed");
    jw_kstr(w, "value", value);
    jw_kstr(w, "unit", unit);
    jw_kstr(w, "limit", limit);
    kstr0(w, "note", res ? res->note : "");
    jw_obj_end(w);
}

static enum sh_code checklist_part(const struct uc *u, struct jw *w, int64_t wo, struct sh_err *e)
{
    struct checklist_view cv;
    enum sh_code rc = checklist_view_load(u, wo, &cv, e);
    if (rc || !cv.has_template)
        return rc;
    jw_key(w, "checklist");
    jw_obj_begin(w);
    kstr0(w, "template", cv.tpl.name);
    jw_kbool(w, "passed", cv.passed);
    jw_key(w, "items");
    jw_arr_begin(w);
    for (int i = 0; i < cv.nlines; i++)
        checklist_item(w, &cv.lines[i]);
    jw_arr_end(w);
    jw_obj_end(w);
    return SH_OK;
}

static enum sh_code photos_part(const struct uc *u, struct jw *w, int64_t wo, struct sh_err *e)
{
    struct cl_photo_row *p;
    int n;
    enum sh_code rc = cl_photos_of(u->tx, u->a, wo, &p, &n, e);
    if (rc)
        return rc;
    jw_key(w, "photos");
    jw_arr_begin(w);
    for (int i = 0; i < n; i++) {
        jw_obj_begin(w);
        kstr0(w, "phase", p[i].phase);
        kstr0(w, "filename", p[i].filename);
        kstr0(w, "sha256", p[i].sha256);
        kstr0(w, "taken_at", p[i].created_at);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    return SH_OK;
}

enum sh_code report_snapshot_build(const struct uc *u, const struct wo_view *v,
                                   struct report_snapshot *out, struct sh_err *e)
{
    struct sr_source src;
    struct db_rows used;
    enum sh_code rc = sr_source(u->tx, u->a, v->row.ticket_id, &src, e);
    if (rc || (rc = sr_used_parts(u->tx, u->a, v->row.id, &used, e)))
        return rc;
    struct sh_buf b = SH_BUF_INIT(SNAPSHOT_MAX);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    ticket_part(&w, &src);
    work_order_part(&w, v, &used);
    if (!(rc = checklist_part(u, &w, v->row.id, e)) && !(rc = photos_part(u, &w, v->row.id, e)) &&
        !(rc = money_part(u, &w, v, e))) {
        jw_obj_end(&w);
        if (jw_finish(&w))
            rc = sh_err_set(e, SH_TOO_BIG, "the report is larger than %u bytes", SNAPSHOT_MAX);
    }
    if (!rc) {
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, (const unsigned char *)b.buf, b.len);
        char *hex = sh_arena_alloc(u->a, sizeof(h) * 2 + 1);
        sodium_bin2hex(hex, sizeof(h) * 2 + 1, h, sizeof(h));
        out->json = sh_arena_strdup(u->a, b.buf);
        out->sha256 = hex;
        out->public_token = src.public_token;
    }
    sh_buf_release(&b);
    return rc;
}
