/* SPDX-License-Identifier: MIT */
/* Reading a work order's checklist in the caller's scope, and recording one item. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/checklists.h"
#include "app/work_orders.h"
#include "base/date.h"

#define NOTE_MAX 2000

enum sh_code uc_checklist_get(const struct uc *u, int64_t wo, struct checklist_view *out,
                              struct sh_err *e)
{
    struct wo_view w;
    enum sh_code rc = uc_work_order_load(u, wo, &w, e);
    return rc ? rc : checklist_view_load(u, wo, out, e);
}

/* The crew (lead, helpers) or a planner, while the work order is open. */
enum sh_code checklist_may_write(const struct uc *u, int64_t wo, struct sh_err *e)
{
    struct wo_view w;
    enum sh_code rc = uc_work_order_load(u, wo, &w, e);
    if (rc)
        return rc;
    if (!w.crew && !(u->who->roles & WO_R_PLAN)) {
        sh_err_set(e, SH_FORBIDDEN, "only the crew of the work order or a planner records it");
        return sh_err_reason(e, "forbidden", NULL);
    }
    enum wo_status st;
    if (!wo_status_parse(w.row.status, &st) || !wo_status_open(st)) {
        sh_err_set(e, SH_CONFLICT, "the work order is %s: its checklist and photos are closed",
                   w.row.status);
        return sh_err_reason_str1(e, "illegal_action", "status", w.row.status);
    }
    return SH_OK;
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static enum sh_code bad(struct sh_err *e, const char *field, const char *reason, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

/* The answer of line l from in: the pass (computed for a measurement), the value. */
static enum sh_code answer_of(const struct checklist_line *l, const struct checklist_record_in *in,
                              struct cl_result_in *out, struct sh_err *e)
{
    const struct cl_item_row *it = l->item;
    if (in->note && chars(in->note) > NOTE_MAX) {
        sh_err_field(e, SH_INVALID, "note", "'note' is longer than %d characters", NOTE_MAX);
        return sh_err_reason(e, "too_long", "{\"max\":%d}", NOTE_MAX);
    }
    if (it->kind == CLK_MEASURE) {
        if (in->has_passed)
            return bad(e, "passed", "read_only",
                       "the pass of a measurement is computed from its limit: send 'value'");
        if (!in->value)
            return bad(e, "value", "required", "a measurement needs its measured 'value'");
        if (!cl_decimal_parse(in->value, &out->value)) {
            sh_err_field(e, SH_INVALID, "value",
                         "'value' must be a decimal number with at most two decimals");
            return sh_err_reason_str1(e, "invalid_format", "format", "decimal");
        }
        out->has_value = true;
        out->passed = cl_limit_pass(&it->limit, out->value);
        return SH_OK;
    }
    if (in->value)
        return bad(e, "value", "not_allowed", "only a measurement takes a 'value'");
    if (it->kind == CLK_PHOTO) {
        if (!in->photo_id && !l->photos)
            return bad(e, "photo_id", "required", "this item needs a photo: upload one first");
        out->passed = in->has_passed ? in->passed : true;
        return SH_OK;
    }
    if (!in->has_passed)
        return bad(e, "passed", "required", "'passed' (true or false) is required");
    out->passed = in->passed;
    return SH_OK;
}

/* The line of the item, and the photo (when given) belongs to the work order. */
static enum sh_code find_line(const struct uc *u, const struct checklist_view *v,
                              const struct checklist_record_in *in,
                              const struct checklist_line **out, struct sh_err *e)
{
    *out = NULL;
    for (int i = 0; i < v->nlines; i++)
        if (v->lines[i].item->id == in->item_id)
            *out = &v->lines[i];
    if (!*out)
        return sh_err_set(e, SH_NOT_FOUND, "item %" PRId64 " is not on this work order's checklist",
                          in->item_id);
    if (!in->photo_id)
        return SH_OK;
    struct cl_photo_row p;
    enum sh_code rc = cl_photo_get(u->tx, u->a, in->photo_id, &p, e);
    if (rc == SH_NOT_FOUND || (!rc && p.work_order_id != in->work_order_id)) {
        sh_err_field(e, SH_INVALID, "photo_id", "photo %" PRId64 " is not of this work order",
                     in->photo_id);
        return sh_err_reason(e, "unknown_reference", NULL);
    }
    return rc;
}

static const char *result_json(struct sh_arena *a, const struct cl_result_in *r)
{
    char v[32] = "null";
    if (r->has_value)
        cl_decimal_format(r->value, v);
    return sh_arena_printf(a,
                           "{\"item_id\":%" PRId64 ",\"passed\":%s,\"value\":%s%s%s,"
                           "\"photo_id\":%" PRId64 "}",
                           r->item->id, r->passed ? "true" : "false", r->has_value ? "\"" : "", v,
                           r->has_value ? "\"" : "", r->photo_id);
}

enum sh_code uc_checklist_record(const struct uc *u, const struct checklist_record_in *in,
                                 struct checklist_view *out, struct sh_err *e)
{
    enum sh_code rc = checklist_may_write(u, in->work_order_id, e);
    struct checklist_view v;
    if (rc || (rc = checklist_view_load(u, in->work_order_id, &v, e)))
        return rc;
    if (!v.has_template)
        return sh_err_set(e, SH_NOT_FOUND, "no checklist applies to this work order");
    const struct checklist_line *l;
    if ((rc = find_line(u, &v, in, &l, e)))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    struct cl_result_in r = {.work_order_id = in->work_order_id,
                             .photo_id = in->photo_id,
                             .by = u->who->user_id,
                             .item = l->item,
                             .note = in->note ? in->note : "",
                             .now = now};
    if (!r.photo_id && l->result)
        r.photo_id = l->result->photo_id; /* a new answer keeps the photo given before */
    if ((rc = answer_of(l, in, &r, e)) ||
        (rc = cl_template_fix(u->tx, in->work_order_id, v.tpl.id, now, e)) ||
        (rc = cl_result_put(u->tx, &r, e)) ||
        (rc = uc_audit(u, "work_order", in->work_order_id, "checklist", NULL, result_json(u->a, &r),
                       e)))
        return rc;
    return checklist_view_load(u, in->work_order_id, out, e);
}
