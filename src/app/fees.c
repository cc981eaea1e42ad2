/* SPDX-License-Identifier: MIT */
/* Fee rule sets and the calculation (see app/fees.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/fees.h"
#include "base/date.h"

static void today(int64_t now, char out[11])
{
    sh_date_format(sh_civil_from_days((now + 8 * 3600) / 86400), out);
}

static bool code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 40)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return true;
}

static enum sh_code field_err(struct sh_err *e, const char *field, const char *reason,
                              const char *params)
{
    sh_err_field(e, SH_INVALID, field, "%s: %s", field, reason);
    return params ? sh_err_reason(e, reason, "%s", params) : sh_err_reason(e, reason, NULL);
}

enum sh_code uc_fee_sets_list(const struct uc *u, struct fee_set_row **sets,
                              struct fee_version_row **newest, int *n, struct sh_err *e)
{
    return fee_sets_load(u->tx, u->a, sets, newest, n, e);
}

enum sh_code uc_fee_set_get(const struct uc *u, int64_t id, struct fee_set_view *out,
                            struct sh_err *e)
{
    enum sh_code rc = fee_set_load(u->tx, u->a, id, NULL, &out->set, e);
    if (!rc)
        rc = fee_versions_load(u->tx, u->a, id, &out->versions, &out->nversions, e);
    return rc;
}

/* checks the version fields and stores the definition as compact JSON */
static enum sh_code version_in(const struct uc *u, const struct fee_set_in *in,
                               struct fee_version_row *v, struct sh_err *e)
{
    if (!in->definition)
        return field_err(e, "definition", "required", NULL);
    struct fee_rules r;
    FEE_TRY(fee_rules_parse(u->a, in->definition, &r, e));
    char *text = json_dumps(in->definition, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!text)
        return sh_err_set(e, SH_INTERNAL, "out of memory");
    v->definition = sh_arena_strdup(u->a, text);
    free(text);
    if (strlen(v->definition) > 200000)
        return field_err(e, "definition", "too_long", "{\"max\":200000}");
    struct sh_date d;
    if (in->effective_from && !sh_date_parse(in->effective_from, &d))
        return field_err(e, "effective_from", "invalid_format", NULL);
    char t[11];
    today(u->now, t);
    v->effective_from = sh_arena_strdup(u->a, in->effective_from ? in->effective_from : t);
    v->note = in->note ? in->note : "";
    if (utf8_len(v->note) > 200)
        return field_err(e, "note", "too_long", "{\"max\":200}");
    v->created_by = u->who->user_id;
    char ts[21];
    sh_ts_format(u->now, ts);
    v->created_at = sh_arena_strdup(u->a, ts);
    return SH_OK;
}

enum sh_code uc_fee_set_create(const struct uc *u, const struct fee_set_in *in,
                               struct fee_set_view *out, struct sh_err *e)
{
    if (!in->code || !*in->code)
        return field_err(e, "code", "required", NULL);
    if (!code_ok(in->code))
        return field_err(e, "code", "invalid_format", NULL);
    if (!in->name || !*in->name)
        return field_err(e, "name", "required", NULL);
    if (utf8_len(in->name) > 80)
        return field_err(e, "name", "too_long", "{\"max\":80}");
    if (in->description && utf8_len(in->description) > 500)
        return field_err(e, "description", "too_long", "{\"max\":500}");
    struct fee_version_row v = {0};
    FEE_TRY(version_in(u, in, &v, e));
    struct fee_set_row s = {.code = in->code,
                            .name = in->name,
                            .description = in->description ? in->description : "",
                            .active = true,
                            .created_at = v.created_at};
    struct sh_err e2;
    sh_err_clear(&e2);
    struct fee_set_row old;
    if (fee_set_load(u->tx, u->a, 0, in->code, &old, &e2) == SH_OK) {
        sh_err_field(e, SH_CONFLICT, "code", "a fee rule set with this code exists");
        return sh_err_reason(e, "duplicate", NULL);
    }
    FEE_TRY(fee_set_insert(u->tx, &s, &v.rule_set_id, e));
    FEE_TRY(fee_version_insert(u->tx, u->a, &v, e));
    FEE_TRY(uc_fee_set_get(u, v.rule_set_id, out, e));
    return uc_audit(u, "fee_rule_set", v.rule_set_id, "create", NULL, fee_set_json(u->a, out), e);
}

enum sh_code uc_fee_version_add(const struct uc *u, int64_t set_id, const struct fee_set_in *in,
                                struct fee_set_view *out, struct sh_err *e)
{
    struct fee_set_row s;
    FEE_TRY(fee_set_load(u->tx, u->a, set_id, NULL, &s, e));
    struct fee_version_row v = {.rule_set_id = set_id};
    FEE_TRY(version_in(u, in, &v, e));
    FEE_TRY(fee_version_insert(u->tx, u->a, &v, e));
    FEE_TRY(uc_fee_set_get(u, set_id, out, e));
    char *after = sh_arena_printf(u->a, "{\"version\":%" PRId64 ",\"effective_from\":\"%s\"}",
                                  v.number, v.effective_from);
    return uc_audit(u, "fee_rule_set", set_id, "add_version", NULL, after, e);
}

enum sh_code uc_fee_calculate(const struct uc *u, const struct fee_calc_in *in,
                              struct fee_calc_out *out, struct sh_err *e)
{
    memset(out, 0, sizeof *out);
    if (!in->code && in->set_id <= 0)
        return field_err(e, "rule_set", "required", NULL);
    enum sh_code rc = fee_set_load(u->tx, u->a, in->set_id, in->code, &out->set, e);
    if (rc == SH_NOT_FOUND) {
        sh_err_field(e, SH_INVALID, "rule_set", "no such fee rule set");
        return sh_err_reason(e, "unknown_reference", NULL);
    }
    if (rc)
        return rc;
    char t[11];
    struct sh_date d;
    if (in->on && !sh_date_parse(in->on, &d))
        return field_err(e, "on", "invalid_format", NULL);
    today(u->now, t);
    FEE_TRY(fee_version_on(u->tx, u->a, out->set.id, in->on ? in->on : t, &out->version, e));
    FEE_TRY(fee_rules_parse_text(u->a, out->version.definition, &out->rules, e));
    struct fee_value *vals =
        sh_arena_alloc(u->a, (size_t)(out->rules.ninputs ? out->rules.ninputs : 1) * sizeof *vals);
    if (!vals)
        return sh_err_set(e, SH_TOO_BIG, "out of memory");
    FEE_TRY(fee_values_parse(u->a, &out->rules, in->inputs, vals, e));
    return fee_calculate(&out->rules, vals, u->a, &out->result, e);
}

static void render_version(struct jw *w, const struct fee_version_row *v)
{
    jw_obj_begin(w);
    jw_kint(w, "id", v->id);
    jw_kint(w, "number", v->number);
    jw_kstr(w, "effective_from", v->effective_from);
    jw_kstr(w, "note", v->note);
    jw_kstr(w, "created_at", v->created_at);
    jw_key(w, "definition");
    jw_raw(w, v->definition);
    jw_obj_end(w);
}

void fee_set_render(struct jw *w, const struct fee_set_row *s, const struct fee_version_row *v,
                    int nv, bool with_versions)
{
    jw_obj_begin(w);
    jw_kint(w, "id", s->id);
    jw_kstr(w, "code", s->code);
    jw_kstr(w, "name", s->name);
    jw_kstr(w, "description", s->description);
    jw_kbool(w, "active", s->active);
    jw_kstr(w, "updated_at", s->updated_at);
    jw_key(w, "current");
    if (nv > 0 && v[0].id)
        render_version(w, &v[0]);
    else
        jw_null(w);
    if (with_versions) {
        jw_key(w, "versions");
        jw_arr_begin(w);
        for (int i = 0; i < nv; i++)
            render_version(w, &v[i]);
        jw_arr_end(w);
    }
    jw_obj_end(w);
}

static char *finish(struct sh_arena *a, struct jw *w, struct sh_buf *b)
{
    char *out = jw_finish(w) == SH_OK ? sh_arena_strdup(a, b->buf) : NULL;
    sh_buf_release(b);
    return out;
}

char *fee_set_json(struct sh_arena *a, const struct fee_set_view *v)
{
    struct sh_buf b = SH_BUF_INIT(4 << 20);
    struct jw w;
    jw_init(&w, &b);
    fee_set_render(&w, &v->set, v->versions, v->nversions, true);
    return finish(a, &w, &b);
}

char *fee_calc_json(struct sh_arena *a, const struct fee_calc_out *o)
{
    struct sh_buf b = SH_BUF_INIT(4 << 20);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_key(&w, "rule_set");
    jw_obj_begin(&w);
    jw_kint(&w, "id", o->set.id);
    jw_kstr(&w, "code", o->set.code);
    jw_kstr(&w, "name", o->set.name);
    jw_obj_end(&w);
    jw_key(&w, "version");
    jw_obj_begin(&w);
    jw_kint(&w, "id", o->version.id);
    jw_kint(&w, "number", o->version.number);
    jw_kstr(&w, "effective_from", o->version.effective_from);
    jw_obj_end(&w);
    fee_result_render(&w, &o->rules, &o->result);
    jw_obj_end(&w);
    return finish(a, &w, &b);
}
