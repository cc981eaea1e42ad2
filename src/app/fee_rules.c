/* SPDX-License-Identifier: MIT */
/* The JSON form of a fee rule set (docs/fees.md) read into domain/fees.h's structures,
 * the inputs of a calculation, and the rendering of its lines. Every error names the
 * field ("definition.components[2].rate_bp", "inputs.work_days") with a reason. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "app/fees.h"

/* snprintf into a fixed buffer where a long path may be cut (the cut is harmless) */
__attribute__((format(printf, 3, 4))) static void cat(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, n, fmt, ap);
    va_end(ap);
}

struct rd {
    struct sh_arena *a;
    struct sh_err *e;
    char path[96];
};

static enum sh_code fail(struct rd *r, const char *key, const char *reason)
{
    char f[160];
    cat(f, sizeof f, "%s%s%s", r->path, key && *key ? "." : "", key ? key : "");
    sh_err_field(r->e, SH_INVALID, "", "%s: %s", f, reason);
    cat(r->e->field, sizeof r->e->field, "%s", f);
    return sh_err_reason(r->e, reason, NULL);
}

static enum sh_code no_unknown(struct rd *r, json_t *o, const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        if (fee_name_index(keys, k) < 0)
            return fail(r, k, "unknown_field");
    }
    return SH_OK;
}

/* an optional string of 1..max characters (NULL when absent) */
static enum sh_code str(struct rd *r, json_t *o, const char *key, bool required, size_t max,
                        const char **out)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? fail(r, key, "required") : SH_OK;
    if (!json_is_string(v))
        return fail(r, key, "invalid_format");
    const char *s = json_string_value(v);
    if (required && !*s)
        return fail(r, key, "required");
    if (utf8_len(s) > max)
        return fail(r, key, "too_long");
    *out = sh_arena_strdup(r->a, s);
    return SH_OK;
}

static enum sh_code integer(struct rd *r, json_t *o, const char *key, bool required, int64_t min,
                            int64_t max, int64_t *out)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return required ? fail(r, key, "required") : SH_OK;
    if (!json_is_integer(v))
        return fail(r, key, "invalid_format");
    if (json_integer_value(v) < min || json_integer_value(v) > max)
        return fail(r, key, "out_of_range");
    *out = json_integer_value(v);
    return SH_OK;
}

/* a number in the scale of an input type: money/count integers, days decimal hundredths */
enum sh_code fee_scaled(json_t *v, enum fee_in_type t, int64_t *out)
{
    if (t == FIT_BOOL) {
        if (!json_is_boolean(v))
            return SH_INVALID;
        *out = json_is_true(v);
        return SH_OK;
    }
    if (t == FIT_DAYS) {
        char buf[40];
        if (json_is_integer(v)) {
            if (json_integer_value(v) < 0 || json_integer_value(v) > FEE_DAYS_MAX / 100)
                return SH_INVALID;
            *out = json_integer_value(v) * 100;
            return SH_OK;
        }
        if (json_is_real(v))
            cat(buf, sizeof buf, "%.10g", json_real_value(v));
        else if (json_is_string(v))
            cat(buf, sizeof buf, "%s", json_string_value(v));
        else
            return SH_INVALID;
        return fee_centi_parse(buf, out) && *out <= FEE_DAYS_MAX ? SH_OK : SH_INVALID;
    }
    if (!json_is_integer(v))
        return SH_INVALID;
    *out = json_integer_value(v);
    return SH_OK;
}

static const char *const input_keys[] = {"name", "type", "required", "label", NULL};

static enum sh_code read_inputs(struct rd *r, json_t *arr, struct fee_rules *out)
{
    if (arr && !json_is_array(arr))
        return fail(r, "inputs", "invalid_format");
    size_t n = arr ? json_array_size(arr) : 0;
    if (n > FEE_MAX_INPUTS)
        return fail(r, "inputs", "out_of_range");
    out->inputs = sh_arena_alloc(r->a, (n ? n : 1) * sizeof *out->inputs);
    out->ninputs = (int)n;
    char base[96];
    cat(base, sizeof base, "%s", r->path);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        struct fee_input_decl *d = &out->inputs[i];
        cat(r->path, sizeof r->path, "%sinputs[%zu]", base, i);
        if (!json_is_object(o))
            return fail(r, NULL, "invalid_format");
        const char *type;
        if (no_unknown(r, o, input_keys) || str(r, o, "name", true, 40, &d->name) ||
            str(r, o, "label", false, 80, &d->label) || str(r, o, "type", true, 10, &type))
            return r->e->code;
        int t = fee_name_index(fee_in_type_names, type);
        if (t < 0)
            return fail(r, "type", "invalid_format");
        d->type = (enum fee_in_type)t;
        json_t *req = json_object_get(o, "required");
        if (req && !json_is_boolean(req))
            return fail(r, "required", "invalid_format");
        d->required = req && json_is_true(req);
    }
    cat(r->path, sizeof r->path, "%s", base);
    return SH_OK;
}

static enum sh_code str_list(struct rd *r, json_t *o, const char *key, const char **out, int *n)
{
    json_t *v = json_object_get(o, key);
    *n = 0;
    if (!v)
        return SH_OK;
    if (!json_is_array(v) || json_array_size(v) > FEE_MAX_REFS)
        return fail(r, key, json_is_array(v) ? "out_of_range" : "invalid_format");
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *s = json_array_get(v, i);
        if (!json_is_string(s))
            return fail(r, key, "invalid_format");
        out[(*n)++] = sh_arena_strdup(r->a, json_string_value(s));
    }
    return SH_OK;
}

static const struct fee_input_decl *decl_of(const struct fee_rules *rs, const char *name)
{
    for (int i = 0; name && i < rs->ninputs; i++)
        if (strcmp(rs->inputs[i].name, name) == 0)
            return &rs->inputs[i];
    return NULL;
}

static const char *const clause_keys[] = {"input", "op", "value", NULL};

static enum sh_code read_clauses(struct rd *r, const struct fee_rules *rs, json_t *arr,
                                 const char *which, struct fee_clause *out, int *n)
{
    *n = 0;
    if (!arr)
        return SH_OK;
    if (!json_is_array(arr) || json_array_size(arr) > FEE_MAX_REFS)
        return fail(r, which, json_is_array(arr) ? "out_of_range" : "invalid_format");
    char base[96];
    cat(base, sizeof base, "%s", r->path);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *o = json_array_get(arr, i);
        struct fee_clause *c = &out[(*n)++];
        cat(r->path, sizeof r->path, "%s.%s[%zu]", base, which, i);
        const char *op;
        if (!json_is_object(o))
            return fail(r, NULL, "invalid_format");
        if (no_unknown(r, o, clause_keys) || str(r, o, "input", true, 40, &c->input) ||
            str(r, o, "op", true, 10, &op))
            return r->e->code;
        int k = fee_name_index(fee_op_names, op);
        if (k < 0)
            return fail(r, "op", "invalid_format");
        c->op = (enum fee_op)k;
        json_t *v = json_object_get(o, "value");
        const struct fee_input_decl *d = decl_of(rs, c->input);
        if (v && d && d->type == FIT_TEXT) {
            if (!json_is_string(v))
                return fail(r, "value", "invalid_format");
            c->s = sh_arena_strdup(r->a, json_string_value(v));
        } else if (v && d && fee_scaled(v, d->type, &c->value))
            return fail(r, "value", "invalid_format");
    }
    cat(r->path, sizeof r->path, "%s", base);
    return SH_OK;
}

static const char *const row_keys[] = {"key", "label", "rate_bp", "rate_fen", NULL};

static enum sh_code read_rows(struct rd *r, json_t *o, struct fee_comp *c)
{
    json_t *arr = json_object_get(o, "rows");
    if (!arr)
        return SH_OK; /* required: checked by fee_rules_check */
    if (!json_is_array(arr) || json_array_size(arr) > FEE_MAX_ROWS)
        return fail(r, "rows", json_is_array(arr) ? "out_of_range" : "invalid_format");
    size_t n = json_array_size(arr);
    c->rows = sh_arena_alloc(r->a, (n ? n : 1) * sizeof *c->rows);
    c->nrows = (int)n;
    const char *rate_key = c->kind == FK_SERIES ? "rate_bp" : "rate_fen";
    char base[96];
    cat(base, sizeof base, "%s", r->path);
    for (size_t i = 0; i < n; i++) {
        json_t *ro = json_array_get(arr, i);
        struct fee_row *w = &c->rows[i];
        memset(w, 0, sizeof *w);
        cat(r->path, sizeof r->path, "%s.rows[%zu]", base, i);
        if (!json_is_object(ro))
            return fail(r, NULL, "invalid_format");
        if (no_unknown(r, ro, row_keys) || str(r, ro, "key", true, 40, &w->key) ||
            str(r, ro, "label", false, 80, &w->label))
            return r->e->code;
        json_t *rv = json_object_get(ro, rate_key);
        if (!rv || json_is_null(rv)) {
            if (c->kind == FK_SERIES)
                return fail(r, rate_key, "required");
            w->unset = true;
        } else if (integer(r, ro, rate_key, true, 0,
                           c->kind == FK_SERIES ? FEE_BP_MAX : FEE_MONEY_MAX, &w->value))
            return r->e->code;
    }
    cat(r->path, sizeof r->path, "%s", base);
    return SH_OK;
}

static const char *const comp_keys[] = {
    "code",    "kind",  "label",    "payer", "when",    "base",      "key", "pieces", "input",
    "persons", "units", "sessions", "days",  "rate_bp", "rate_fen",  "num", "den",    "min",
    "action",  "free",  "targets",  "rows",  "round",   "day_round", NULL};

static enum sh_code read_enum(struct rd *r, json_t *o, const char *key, const char *const *names,
                              int *out)
{
    const char *s;
    if (str(r, o, key, false, 20, &s))
        return r->e->code;
    if (!s)
        return SH_OK;
    int k = fee_name_index(names, s);
    if (k < 0)
        return fail(r, key, "invalid_format");
    *out = k;
    return SH_OK;
}

/* the fields of one component by its kind */
static enum sh_code read_fields(struct rd *r, const struct fee_rules *rs, json_t *o,
                                struct fee_comp *c)
{
    enum sh_code rc = SH_OK;
    const char *bp_or_fen =
        (c->kind == FK_PERCENT || c->kind == FK_PERCENT_OF) ? "rate_bp" : "rate_fen";
    json_t *rate = json_object_get(o, bp_or_fen);
    if ((c->kind == FK_PER_DAY || c->kind == FK_PERCENT || c->kind == FK_PERCENT_OF) && !rate)
        return fail(r, bp_or_fen, "required");
    if (c->kind == FK_FREE_QUOTA && (!rate || json_is_null(rate)))
        c->rate_unset = true;
    else if (rate && integer(r, o, bp_or_fen, true, 0,
                             !strcmp(bp_or_fen, "rate_bp") ? FEE_BP_MAX : FEE_MONEY_MAX, &c->rate))
        return r->e->code;
    switch (c->kind) {
    case FK_PIECE:
        rc = str(r, o, "pieces", true, 40, &c->qty);
        break;
    case FK_PER_DAY:
        rc = str(r, o, "persons", false, 40, &c->qty);
        if (!rc)
            rc = str_list(r, o, "days", c->days, &c->ndays);
        break;
    case FK_MINIMUM: {
        rc = str(r, o, "input", true, 40, &c->qty);
        const struct fee_input_decl *d = rc ? NULL : decl_of(rs, c->qty);
        json_t *m = json_object_get(o, "min");
        if (!rc && !m)
            return fail(r, "min", "required");
        if (!rc && d && fee_scaled(m, d->type, &c->min))
            return fail(r, "min", "invalid_format");
        int act = FMA_REFUSE;
        if (!rc)
            rc = read_enum(r, o, "action", fee_min_action_names, &act);
        c->action = (enum fee_min_action)act;
        break;
    }
    case FK_FREE_QUOTA:
        rc = str(r, o, "units", true, 40, &c->qty);
        if (!rc)
            rc = str(r, o, "sessions", false, 40, &c->per);
        if (!rc)
            rc = integer(r, o, "free", true, 0, FEE_COUNT_MAX, &c->min);
        break;
    case FK_MULTIPLIER:
        rc = integer(r, o, "num", true, 1, FEE_MUL_MAX, &c->num);
        if (!rc)
            rc = integer(r, o, "den", true, 1, FEE_MUL_MAX, &c->den);
        break;
    default:
        break;
    }
    if (!rc)
        rc = str(r, o, "base", false, 40, &c->base);
    if (!rc)
        rc = str(r, o, "key", false, 40, &c->key);
    if (!rc)
        rc = str_list(r, o, "targets", c->targets, &c->ntargets);
    if (!rc && (c->kind == FK_SERIES || c->kind == FK_PIECE))
        rc = read_rows(r, o, c);
    return rc;
}

static enum sh_code read_comp(struct rd *r, const struct fee_rules *rs, json_t *o,
                              struct fee_comp *c)
{
    memset(c, 0, sizeof *c);
    const char *kind;
    if (!json_is_object(o))
        return fail(r, NULL, "invalid_format");
    if (no_unknown(r, o, comp_keys) || str(r, o, "code", true, 40, &c->code) ||
        str(r, o, "label", false, 80, &c->label) || str(r, o, "payer", false, 20, &c->payer) ||
        str(r, o, "kind", true, 20, &kind))
        return r->e->code;
    int k = fee_name_index(fee_kind_names, kind);
    if (k < 0)
        return fail(r, "kind", "invalid_format");
    c->kind = (enum fee_kind)k;
    int rd = FR_HALF_UP, dr = FDR_UP;
    if (read_enum(r, o, "round", fee_round_names, &rd) ||
        read_enum(r, o, "day_round", fee_day_round_names, &dr))
        return r->e->code;
    c->round = (enum fee_round)rd;
    c->day_round = (enum fee_day_round)dr;
    json_t *when = json_object_get(o, "when");
    if (when) {
        static const char *const when_keys[] = {"all", "any", NULL};
        char base[96];
        cat(base, sizeof base, "%s", r->path);
        cat(r->path, sizeof r->path, "%s.when", base);
        if (!json_is_object(when))
            return fail(r, NULL, "invalid_format");
        c->has_when = true;
        if (no_unknown(r, when, when_keys) ||
            read_clauses(r, rs, json_object_get(when, "all"), "all", c->when.all, &c->when.nall) ||
            read_clauses(r, rs, json_object_get(when, "any"), "any", c->when.any, &c->when.nany))
            return r->e->code;
        cat(r->path, sizeof r->path, "%s", base);
    }
    return read_fields(r, rs, o, c);
}

enum sh_code fee_rules_parse(struct sh_arena *a, json_t *def, struct fee_rules *out,
                             struct sh_err *e)
{
    struct rd r = {.a = a, .e = e};
    cat(r.path, sizeof r.path, "definition.");
    memset(out, 0, sizeof *out);
    static const char *const keys[] = {"inputs", "components", NULL};
    if (!json_is_object(def)) {
        cat(r.path, sizeof r.path, "definition");
        return fail(&r, NULL, "invalid_format");
    }
    if (no_unknown(&r, def, keys) || read_inputs(&r, json_object_get(def, "inputs"), out))
        return e->code;
    json_t *arr = json_object_get(def, "components");
    if (!arr || !json_is_array(arr) || json_array_size(arr) == 0)
        return fail(&r, "components", arr && !json_is_array(arr) ? "invalid_format" : "required");
    if (json_array_size(arr) > FEE_MAX_COMPS)
        return fail(&r, "components", "out_of_range");
    out->ncomps = (int)json_array_size(arr);
    out->comps = sh_arena_alloc(a, (size_t)out->ncomps * sizeof *out->comps);
    for (int i = 0; i < out->ncomps; i++) {
        cat(r.path, sizeof r.path, "definition.components[%d]", i);
        if (read_comp(&r, out, json_array_get(arr, (size_t)i), &out->comps[i]))
            return e->code;
    }
    /* the field the domain names is relative to the definition */
    enum sh_code rc = fee_rules_check(out, e);
    if (rc && e->field[0]) {
        char f[64];
        cat(f, sizeof f, "%s", e->field);
        cat(e->field, sizeof e->field, "definition.%s", f);
    }
    return rc;
}

enum sh_code fee_rules_parse_text(struct sh_arena *a, const char *text, struct fee_rules *out,
                                  struct sh_err *e)
{
    json_error_t je;
    json_t *def = json_loads(text ? text : "", 0, &je);
    if (!def)
        return sh_err_set(e, SH_INTERNAL, "stored fee rule definition is not JSON");
    enum sh_code rc = fee_rules_parse(a, def, out, e);
    json_decref(def);
    return rc;
}

/* ---- inputs ---- */

static enum sh_code input_bad(struct sh_err *e, const char *name, const char *reason)
{
    sh_err_field(e, SH_INVALID, "", "inputs.%s: %s", name, reason);
    cat(e->field, sizeof e->field, "inputs.%s", name);
    return sh_err_reason(e, reason, NULL);
}

static enum sh_code read_pieces(struct sh_arena *a, const char *name, json_t *v,
                                struct fee_value *out, struct sh_err *e)
{
    /* {"key": qty, ...} */
    if (!json_is_object(v) || json_object_size(v) > FEE_MAX_PIECES)
        return input_bad(e, name, json_is_object(v) ? "out_of_range" : "invalid_format");
    size_t n = json_object_size(v);
    struct fee_piece *p = sh_arena_alloc(a, (n ? n : 1) * sizeof *p);
    const char *k;
    json_t *q;
    int i = 0;
    json_object_foreach(v, k, q)
    {
        if (!json_is_integer(q))
            return input_bad(e, name, "invalid_format");
        p[i].key = sh_arena_strdup(a, k);
        p[i++].qty = json_integer_value(q);
    }
    out->pieces = p;
    out->npieces = i;
    return SH_OK;
}

enum sh_code fee_values_parse(struct sh_arena *a, const struct fee_rules *r, json_t *inputs,
                              struct fee_value *vals, struct sh_err *e)
{
    if (inputs && !json_is_object(inputs)) {
        sh_err_field(e, SH_INVALID, "inputs", "inputs must be an object");
        return sh_err_reason(e, "invalid_format", NULL);
    }
    const char *k;
    json_t *v;
    json_object_foreach(inputs, k, v)
    {
        if (!decl_of(r, k))
            return input_bad(e, k, "unknown_field");
    }
    for (int i = 0; i < r->ninputs; i++) {
        const struct fee_input_decl *d = &r->inputs[i];
        memset(&vals[i], 0, sizeof vals[i]);
        v = inputs ? json_object_get(inputs, d->name) : NULL;
        if (!v || json_is_null(v))
            continue;
        vals[i].present = true;
        if (d->type == FIT_TEXT) {
            if (!json_is_string(v))
                return input_bad(e, d->name, "invalid_format");
            if (utf8_len(json_string_value(v)) > 80)
                return input_bad(e, d->name, "too_long");
            vals[i].s = sh_arena_strdup(a, json_string_value(v));
        } else if (d->type == FIT_PIECES) {
            if (read_pieces(a, d->name, v, &vals[i], e))
                return e->code;
        } else if (fee_scaled(v, d->type, &vals[i].v))
            return input_bad(e, d->name, "invalid_format");
    }
    return SH_OK;
}

/* ---- rendering ---- */

static void kdec(struct jw *w, const char *k, int64_t centi)
{
    char b[32];
    fee_fen_format(centi, b);
    jw_kstr(w, k, b);
}

static void render_line(struct jw *w, const struct fee_rules *r, const struct fee_line *l)
{
    const struct fee_comp *c = &r->comps[l->comp];
    char f[256];
    jw_obj_begin(w);
    jw_kstr(w, "code", c->code);
    jw_kstr(w, "kind", fee_kind_names[c->kind]);
    jw_kstr(w, "label", c->label ? c->label : "");
    jw_kstr(w, "payer", c->payer ? c->payer : "");
    jw_kbool(w, "applied", l->applied);
    jw_kbool(w, "info", l->info);
    jw_kstr(w, "note", l->note);
    jw_kstr(w, "key", l->key);
    bool pct = c->kind == FK_PERCENT || c->kind == FK_SERIES || c->kind == FK_PERCENT_OF;
    if (pct) {
        jw_kint(w, "base_fen", l->base);
        jw_kint(w, "rate_bp", l->rate);
    } else if (c->kind == FK_PIECE || c->kind == FK_PER_DAY || c->kind == FK_FREE_QUOTA) {
        jw_kint(w, "rate_fen", l->rate);
        jw_kint(w, "qty", l->qty);
    }
    if (c->kind == FK_FREE_QUOTA) {
        jw_kint(w, "units", l->base);
        jw_kint(w, "free_units", l->free_units);
    }
    if (c->kind == FK_PER_DAY) {
        kdec(w, "days", l->days);
        kdec(w, "days_billed", l->days_billed);
        jw_kstr(w, "day_round", fee_day_round_names[c->day_round]);
    }
    if (c->kind == FK_MINIMUM) {
        jw_kint(w, "value", l->qty);
        jw_kint(w, "min", c->min);
        jw_kstr(w, "action", fee_min_action_names[c->action]);
    }
    if (c->kind == FK_AT_COST)
        jw_kint(w, "base_fen", l->base);
    if (l->mul_num != l->mul_den) {
        char m[48];
        cat(m, sizeof m, "%" PRId64 "/%" PRId64, l->mul_num, l->mul_den);
        jw_kstr(w, "multiplier", m);
    } else
        jw_knull(w, "multiplier");
    fee_line_formula(r, l, f, sizeof f);
    jw_kstr(w, "formula", f);
    jw_kstr(w, "round", fee_round_names[c->round]);
    jw_kint(w, "amount_fen", l->amount);
    jw_obj_end(w);
}

void fee_result_render(struct jw *w, const struct fee_rules *r, const struct fee_result *res)
{
    jw_key(w, "lines");
    jw_arr_begin(w);
    for (int i = 0; i < res->nlines; i++)
        render_line(w, r, &res->lines[i]);
    jw_arr_end(w);
    jw_kint(w, "total_fen", res->total);
    jw_kint(w, "flags", res->nflags);
}
