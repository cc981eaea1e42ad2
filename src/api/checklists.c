/* SPDX-License-Identifier: MIT */
/* The checklist of a work order: read it, record one item; the work order's photos. */
#include "api/checklists.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/tickets.h"
#include "app/checklists.h"
#include "app/wo_photos.h"
#include "base/date.h"

static struct uc cl_uc(struct api_ctx *c, struct db_tx *tx)
{
    return (struct uc){.tx = tx, .a = c->a, .who = &c->who, .now = sh_now(), .app = c->app};
}

static void limit_json(struct jw *w, const struct cl_limit *l, const char *unit)
{
    char text[96];
    if (l->has_min)
        jw_kint(w, "min_centi", l->min);
    else
        jw_knull(w, "min_centi");
    jw_kbool(w, "min_inclusive", l->min_incl);
    if (l->has_max)
        jw_kint(w, "max_centi", l->max);
    else
        jw_knull(w, "max_centi");
    jw_kbool(w, "max_inclusive", l->max_incl);
    cl_limit_format(l, unit, text, sizeof(text));
    if (*text)
        jw_kstr(w, "limit", text);
    else
        jw_knull(w, "limit");
}

static void result_json(struct jw *w, const struct cl_result_row *r)
{
    jw_obj_begin(w);
    jw_kbool(w, "passed", r->passed);
    if (r->has_value) {
        char v[32];
        cl_decimal_format(r->value, v);
        jw_kstr(w, "value", v);
        jw_kint(w, "value_centi", r->value);
    } else {
        jw_knull(w, "value");
        jw_knull(w, "value_centi");
    }
    jw_kstr(w, "unit", r->unit);
    limit_json(w, &r->limit, r->unit); /* the limit as judged when recorded */
    jw_kstr(w, "note", r->note);
    if (r->photo_id)
        jw_kint(w, "photo_id", r->photo_id);
    else
        jw_knull(w, "photo_id");
    if (r->recorded_by)
        jw_kint(w, "recorded_by", r->recorded_by);
    else
        jw_knull(w, "recorded_by");
    jw_kstr(w, "recorded_by_name", r->recorded_by_name);
    jw_kstr(w, "recorded_at", r->recorded_at);
    jw_kint(w, "version", r->version);
    jw_obj_end(w);
}

static void line_json(struct jw *w, const struct checklist_line *l)
{
    const struct cl_item_row *it = l->item;
    jw_obj_begin(w);
    jw_kint(w, "id", it->id);
    jw_kint(w, "position", it->position);
    jw_kstr(w, "kind", cl_kind_names[it->kind]);
    jw_kstr(w, "label", it->label);
    jw_kstr(w, "label_en", it->label_en);
    jw_kbool(w, "required", it->required);
    jw_kbool(w, "active", it->active);
    jw_kstr(w, "unit", it->unit);
    jw_kstr(w, "source", it->source);
    limit_json(w, &it->limit, it->unit);
    jw_kint(w, "photos", l->photos);
    jw_key(w, "result");
    if (l->result)
        result_json(w, l->result);
    else
        jw_null(w);
    jw_obj_end(w);
}

static void checklist_json(struct jw *w, const struct checklist_view *v)
{
    jw_obj_begin(w);
    jw_kint(w, "work_order_id", v->work_order_id);
    jw_key(w, "template");
    if (v->has_template) {
        jw_obj_begin(w);
        jw_kint(w, "id", v->tpl.id);
        jw_kstr(w, "code", v->tpl.code);
        jw_kstr(w, "name", v->tpl.name);
        jw_kstr(w, "name_en", v->tpl.name_en);
        jw_kint(w, "photos_before_min", v->tpl.photos_before_min);
        jw_kint(w, "photos_after_min", v->tpl.photos_after_min);
        jw_obj_end(w);
    } else {
        jw_null(w);
    }
    jw_kbool(w, "fixed", v->fixed);
    jw_key(w, "items");
    jw_arr_begin(w);
    for (int i = 0; i < v->nlines; i++)
        line_json(w, &v->lines[i]);
    jw_arr_end(w);
    jw_key(w, "photos");
    jw_obj_begin(w);
    jw_kint(w, "before", v->before);
    jw_kint(w, "after", v->after);
    jw_obj_end(w);
    jw_kbool(w, "passed", v->passed);
    jw_key(w, "failing");
    jw_arr_begin(w);
    for (int i = 0; i < v->gate.nfailing; i++)
        jw_int(w, v->gate.failing[i]);
    jw_arr_end(w);
    jw_key(w, "missing_photos");
    jw_arr_begin(w);
    if (v->gate.before_short)
        jw_str(w, "before");
    if (v->gate.after_short)
        jw_str(w, "after");
    jw_arr_end(w);
    jw_obj_end(w);
}

/* ---- GET /work-orders/{id}/checklist ---- */

struct cl_ctx {
    struct api_ctx *c;
    int64_t id;
    struct checklist_record_in in;
    struct checklist_view v;
};

static enum sh_code get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct cl_ctx *x = arg;
    const struct uc u = cl_uc(x->c, tx);
    return uc_checklist_get(&u, x->id, &x->v, e);
}

static void reply_view(struct api_ctx *c, int status, const struct checklist_view *v)
{
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    checklist_json(&w, v);
    api_reply_jw(c, status, &b, &w);
}

void h_wo_checklist_get(struct api_ctx *c)
{
    struct cl_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_read_or_reply(c, get_run, &x))
        return;
    reply_view(c, 200, &x.v);
}

/* ---- PUT|POST /work-orders/{id}/checklist/items/{item} ---- */

static const struct col item_cols[] = {
    {"passed", F_BOOL, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"value", F_STR, COL_NULLABLE, 32, NULL, 0, 0, NULL},
    {"note", F_TEXT, COL_NULLABLE, 2000, NULL, 0, 0, NULL},
    {"photo_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
};

/* A JSON number as a value is taken when it has at most two decimals (exactly). */
static enum sh_code number_value(struct api_ctx *c, json_t *v, const char **out, struct sh_err *e)
{
    double d = json_number_value(v), r = round(d * 100);
    if (json_is_integer(v)) {
        *out = sh_arena_printf(c->a, "%lld", (long long)json_integer_value(v));
        return SH_OK;
    }
    if (!isfinite(d) || fabs(d) > 1e10 || fabs(d * 100 - r) > 1e-6) {
        sh_err_field(e, SH_INVALID, "value",
                     "'value' must be a decimal number with at most two decimals");
        return sh_err_reason_str1(e, "invalid_format", "format", "decimal");
    }
    *out = sh_arena_printf(c->a, "%.2f", r / 100);
    return SH_OK;
}

static enum sh_code parse_item(struct api_ctx *c, struct checklist_record_in *in, struct sh_err *e)
{
    json_t *root = NULL, *v;
    const char *key;
    enum sh_code rc = api_load_object(c->req->body.buf, c->req->body.len, &root, e);
    if (rc)
        return rc;
    json_object_foreach(root, key, v)
    {
        int i = 0;
        while (i < NCOLS(item_cols) && strcmp(item_cols[i].name, key))
            i++;
        struct fval f;
        if (rc)
            break;
        if (i == NCOLS(item_cols)) {
            char safe[64];
            snprintf(safe, sizeof(safe), "%s", key);
            sh_err_field(e, SH_INVALID, safe, "unknown field '%s'", safe);
            rc = sh_err_reason(e, "unknown_field", NULL);
        } else if (i == 1 && json_is_number(v)) {
            rc = number_value(c, v, &in->value, e);
        } else if (!(rc = api_parse_value(c->a, &item_cols[i], v, &f, e)) && !f.is_null) {
            if (i == 0)
                in->has_passed = true, in->passed = f.i != 0;
            else if (i == 1)
                in->value = f.text;
            else if (i == 2)
                in->note = f.text;
            else
                in->photo_id = f.i;
        }
    }
    json_decref(root);
    return rc;
}

static enum sh_code record_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct cl_ctx *x = arg;
    const struct uc u = cl_uc(x->c, tx);
    return uc_checklist_record(&u, &x->in, &x->v, e);
}

void h_wo_checklist_item(struct api_ctx *c)
{
    struct cl_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.in.work_order_id) || !api_param_id(c, 1, &x.in.item_id))
        return;
    struct sh_err e;
    sh_err_clear(&e);
    if (parse_item(c, &x.in, &e)) {
        api_reply_err(c, &e);
        return;
    }
    if (!api_write_or_reply(c, record_run, &x))
        return;
    reply_view(c, 200, &x.v);
}

/* ---- photos ---- */

static void photo_json(struct jw *w, struct sh_arena *a, const struct cl_photo_row *p)
{
    jw_obj_begin(w);
    jw_kint(w, "id", p->id);
    jw_kint(w, "work_order_id", p->work_order_id);
    jw_kstr(w, "phase", p->phase);
    if (p->item_id)
        jw_kint(w, "item_id", p->item_id);
    else
        jw_knull(w, "item_id");
    jw_kstr(w, "filename", p->filename);
    jw_kstr(w, "mime", p->mime);
    jw_kint(w, "size", p->size);
    jw_kstr(w, "sha256", p->sha256);
    jw_kstr(w, "created_at", p->created_at);
    if (p->created_by)
        jw_kint(w, "created_by", p->created_by);
    else
        jw_knull(w, "created_by");
    jw_kstr(w, "created_by_name", p->created_by_name);
    jw_kstr(w, "url",
            sh_arena_printf(a, "/api/v1/work-orders/%" PRId64 "/photos/%" PRId64, p->work_order_id,
                            p->id));
    jw_obj_end(w);
}

struct photo_ctx {
    struct api_ctx *c;
    int64_t id, photo_id;
    struct wo_photo_in in;
    struct ticket_blob blob;
    struct cl_photo_row row, *rows;
    int n;
};

static enum sh_code photo_add_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct photo_ctx *x = arg;
    const struct uc u = cl_uc(x->c, tx);
    return uc_wo_photo_add(&u, &x->in, &x->row, e);
}

/* ?phase=before|after|check&item_id=N&filename=NAME */
static enum sh_code photo_query(struct api_ctx *c, struct wo_photo_in *in, struct sh_err *e)
{
    in->phase = http_query(c->req, "phase");
    if (!in->phase) {
        sh_err_field(e, SH_INVALID, "phase", "'phase' (before, after or check) is required");
        return sh_err_reason(e, "required", NULL);
    }
    const char *item = http_query(c->req, "item_id");
    if (!item)
        return SH_OK;
    int64_t v = 0;
    for (const char *p = item; *p && v >= 0; p++)
        v = *p >= '0' && *p <= '9' && v < INT64_MAX / 10 ? v * 10 + (*p - '0') : -1;
    if (v <= 0) {
        sh_err_field(e, SH_INVALID, "item_id", "'item_id' must be a positive id");
        return sh_err_reason(e, "invalid_type", "{\"expected\":\"integer\"}");
    }
    in->item_id = v;
    return SH_OK;
}

void h_wo_photo_add(struct api_ctx *c)
{
    struct photo_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.in.work_order_id))
        return;
    struct sh_err e;
    sh_err_clear(&e);
    x.in.blob = &x.blob;
    if (photo_query(c, &x.in, &e) ||
        wo_photo_check(c->a, c->req->body.buf, c->req->body.len, http_query(c->req, "filename"),
                       &x.blob, &e) ||
        ticket_blob_store(c->app->data_dir, &x.blob, &e) ||
        db_write(c->app->db, photo_add_run, &x, &e)) {
        api_reply_err(c, &e);
        return;
    }
    struct sh_buf b;
    struct jw w;
    api_json_begin(&b, &w);
    photo_json(&w, c->a, &x.row);
    api_reply_jw(c, 201, &b, &w);
}

static enum sh_code photos_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct photo_ctx *x = arg;
    const struct uc u = cl_uc(x->c, tx);
    return uc_wo_photos(&u, x->id, &x->rows, &x->n, e);
}

static void photo_item(struct jw *w, int i, const void *arg)
{
    const struct photo_ctx *x = arg;
    photo_json(w, x->c->a, &x->rows[i]);
}

void h_wo_photos(struct api_ctx *c)
{
    struct photo_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_read_or_reply(c, photos_run, &x))
        return;
    api_reply_page(c,
                   &(struct api_page){
                       .n = x.n, .item = photo_item, .arg = &x, .has_total = true, .total = x.n});
}

static enum sh_code photo_get_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct photo_ctx *x = arg;
    const struct uc u = cl_uc(x->c, tx);
    return uc_wo_photo_get(&u, x->id, x->photo_id, &x->row, e);
}

void h_wo_photo_get(struct api_ctx *c)
{
    struct photo_ctx x = {.c = c};
    if (!api_param_id(c, 0, &x.id) || !api_param_id(c, 1, &x.photo_id) ||
        !api_read_or_reply(c, photo_get_run, &x))
        return;
    api_serve_photo(c, x.row.sha256, x.row.mime, x.row.filename);
}
