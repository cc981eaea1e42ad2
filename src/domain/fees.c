/* SPDX-License-Identifier: MIT */
/* The fee engine: see fees.h. */
#include "domain/fees.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const fee_in_type_names[FIT_COUNT_ + 1] = {"money", "count",  "days", "bool",
                                                       "text",  "pieces", NULL};
const char *const fee_kind_names[FK_COUNT_ + 1] = {
    "percent", "series_rate", "piece_rate", "per_day",    "multiplier",
    "minimum", "percent_of",  "at_cost",    "free_quota", NULL};
const char *const fee_round_names[FR_COUNT_ + 1] = {"half_up", "down", "up", "half_even", NULL};
const char *const fee_day_round_names[FDR_COUNT_ + 1] = {"up", "half_up", "down", "none", NULL};
const char *const fee_op_names[FOP_COUNT_ + 1] = {"true", "false", "eq", "ne", "lt",
                                                  "le",   "gt",    "ge", NULL};
const char *const fee_min_action_names[FMA_COUNT_ + 1] = {"refuse", "flag", NULL};

int fee_name_index(const char *const *names, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

/* ---- arithmetic ---- */

int64_t fee_round_div(int64_t num, int64_t den, enum fee_round mode)
{
    int64_t q = num / den, r = num % den;
    if (r == 0)
        return q;
    switch (mode) {
    case FR_DOWN:
        return q;
    case FR_UP:
        return q + 1;
    case FR_HALF_EVEN:
        if (r > den - r || (r == den - r && (q & 1)))
            return q + 1;
        return q;
    case FR_HALF_UP:
    default:
        return r >= den - r ? q + 1 : q;
    }
}

int64_t fee_round_days(int64_t centi, enum fee_day_round mode)
{
    switch (mode) {
    case FDR_UP:
        return (centi + 99) / 100 * 100;
    case FDR_HALF_UP:
        return (centi + 50) / 100 * 100;
    case FDR_DOWN:
        return centi / 100 * 100;
    case FDR_NONE:
    default:
        return centi;
    }
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a ? a : 1;
}

/* num/den *= mn/md, reduced; false on overflow. */
static bool frac_mul(int64_t *num, int64_t *den, int64_t mn, int64_t md)
{
    int64_t g1 = gcd64(*num, md), g2 = gcd64(mn, *den);
    int64_t n, d;
    if (__builtin_mul_overflow(*num / g1, mn / g2, &n) ||
        __builtin_mul_overflow(*den / g2, md / g1, &d))
        return false;
    int64_t g = gcd64(n, d);
    *num = n / g;
    *den = d / g;
    return true;
}

bool fee_split(int64_t amount, const int64_t *shares, int n, int64_t *parts)
{
    if (amount < 0 || amount > FEE_MONEY_MAX || n <= 0 || !shares || !parts)
        return false;
    int64_t total = 0;
    for (int i = 0; i < n; i++) {
        if (shares[i] < 0 || shares[i] > FEE_SHARE_MAX)
            return false;
        total += shares[i];
    }
    if (total <= 0)
        return false;
    /* part_i = amount*share_i/total (amount <= 10^12, share <= 10^6: no overflow) */
    int64_t given = 0;
    for (int i = 0; i < n; i++) {
        parts[i] = amount * shares[i] / total;
        given += parts[i];
    }
    int64_t left = amount - given; /* < n */
    while (left > 0) {
        int best = -1;
        int64_t best_rem = -1;
        for (int i = 0; i < n; i++) {
            int64_t p = amount * shares[i], rem = p % total;
            /* a payer already topped up has used its remainder */
            if (parts[i] != p / total)
                continue;
            if (rem > best_rem) {
                best_rem = rem;
                best = i;
            }
        }
        if (best < 0)
            return false;
        parts[best]++;
        left--;
    }
    return true;
}

void fee_fen_format(int64_t fen, char out[32])
{
    uint64_t m = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    snprintf(out, 32, "%s%" PRIu64 ".%02" PRIu64, fen < 0 ? "-" : "", m / 100, m % 100);
}

void fee_fen_format_grouped(int64_t fen, char out[40])
{
    char plain[32];
    fee_fen_format(fen, plain);
    const char *digits = plain + (fen < 0);
    size_t whole = strcspn(digits, "."), o = 0;
    if (fen < 0)
        out[o++] = '-';
    for (size_t i = 0; i < whole; i++) {
        if (i && (whole - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    snprintf(out + o, 40 - o, "%s", digits + whole);
}

bool fee_centi_parse(const char *s, int64_t *out)
{
    if (!s || !*s)
        return false;
    int64_t whole = 0, frac = 0;
    int nd = 0, nf = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, nd++) {
        if (nd >= 15)
            return false;
        whole = whole * 10 + (*p - '0');
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, nf++) {
            if (nf >= 2)
                return false;
            frac = frac * 10 + (*p - '0');
        }
    }
    if (*p || nd + nf == 0)
        return false;
    if (nf == 1)
        frac *= 10;
    *out = whole * 100 + frac;
    return true;
}

/* ---- checking a rule set ---- */

__attribute__((format(printf, 2, 3))) static const char *fld(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, 64, fmt, ap);
    va_end(ap);
    return buf;
}

static enum sh_code bad(struct sh_err *e, const char *reason, const char *f)
{
    sh_err_field(e, SH_INVALID, f, "%s: %s", f, reason);
    return sh_err_reason(e, reason, NULL);
}

static int input_index(const struct fee_rules *r, const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < r->ninputs; i++)
        if (strcmp(r->inputs[i].name, name) == 0)
            return i;
    return -1;
}

static int comp_index(const struct fee_rules *r, const char *code, int before)
{
    for (int i = 0; i < before; i++)
        if (strcmp(r->comps[i].code, code) == 0)
            return i;
    return -1;
}

/* name must be a declared input of type t (or of any type when t < 0). */
static enum sh_code want_input(const struct fee_rules *r, const char *name, int t, int *idx,
                               struct sh_err *e, const char *f)
{
    *idx = input_index(r, name);
    if (*idx < 0)
        return bad(e, name ? "unknown_reference" : "required", f);
    if (t >= 0 && (int)r->inputs[*idx].type != t)
        return bad(e, "invalid_format", f);
    return SH_OK;
}

static int row_cmp(const void *a, const void *b)
{
    return strcmp(((const struct fee_row *)a)->key, ((const struct fee_row *)b)->key);
}

static bool produces_amount(enum fee_kind k)
{
    return k != FK_MULTIPLIER && k != FK_MINIMUM;
}

static enum sh_code check_rows(struct fee_comp *c, int ci, struct sh_err *e)
{
    char f[64];
    if (c->nrows <= 0 || c->nrows > FEE_MAX_ROWS || !c->rows)
        return bad(e, "required", fld(f, "components[%d].rows", ci));
    int64_t max = c->kind == FK_SERIES ? FEE_BP_MAX : FEE_MONEY_MAX;
    for (int k = 0; k < c->nrows; k++) {
        if (!c->rows[k].key || !*c->rows[k].key)
            return bad(e, "required", fld(f, "components[%d].rows[%d].key", ci, k));
        if (c->rows[k].unset && c->kind == FK_SERIES)
            return bad(e, "required", fld(f, "components[%d].rows[%d].rate", ci, k));
        if (!c->rows[k].unset && (c->rows[k].value < 0 || c->rows[k].value > max))
            return bad(e, "out_of_range", fld(f, "components[%d].rows[%d].rate", ci, k));
    }
    qsort(c->rows, (size_t)c->nrows, sizeof *c->rows, row_cmp);
    for (int k = 1; k < c->nrows; k++)
        if (strcmp(c->rows[k - 1].key, c->rows[k].key) == 0)
            return bad(e, "duplicate", fld(f, "components[%d].rows[%d].key", ci, k));
    return SH_OK;
}

static enum sh_code check_cond(const struct fee_rules *r, struct fee_clause *cl, int n, int ci,
                               const char *which, struct sh_err *e)
{
    char f[64];
    for (int k = 0; k < n; k++) {
        fld(f, "components[%d].when.%s[%d].input", ci, which, k);
        FEE_TRY(want_input(r, cl[k].input, -1, &cl[k].in, e, f));
        enum fee_in_type t = r->inputs[cl[k].in].type;
        bool boolop = cl[k].op == FOP_TRUE || cl[k].op == FOP_FALSE;
        if (t == FIT_PIECES || (t == FIT_BOOL) != boolop ||
            (t == FIT_TEXT && cl[k].op != FOP_EQ && cl[k].op != FOP_NE) ||
            (t == FIT_TEXT && !cl[k].s))
            return bad(e, "invalid_format", f);
    }
    return SH_OK;
}

static enum sh_code check_targets(const struct fee_rules *r, struct fee_comp *c, int ci,
                                  struct sh_err *e)
{
    char f[64];
    if (c->ntargets <= 0)
        return bad(e, "required", fld(f, "components[%d].targets", ci));
    for (int k = 0; k < c->ntargets; k++) {
        int t = c->targets[k] ? comp_index(r, c->targets[k], ci) : -1;
        if (t < 0 || !produces_amount(r->comps[t].kind))
            return bad(e, "unknown_reference", fld(f, "components[%d].targets[%d]", ci, k));
        c->target_i[k] = t;
        if (c->kind != FK_MULTIPLIER)
            continue;
        /* a percentage computed before this multiplier would not see it */
        for (int j = t + 1; j < ci; j++) {
            const struct fee_comp *p = &r->comps[j];
            for (int q = 0; p->kind == FK_PERCENT_OF && q < p->ntargets; q++)
                if (p->target_i[q] == t)
                    return bad(e, "illegal_action", fld(f, "components[%d].targets[%d]", ci, k));
        }
    }
    return SH_OK;
}

static enum sh_code check_kind(const struct fee_rules *r, struct fee_comp *c, int ci,
                               struct sh_err *e)
{
    char f[64];
    switch (c->kind) {
    case FK_PERCENT:
    case FK_SERIES:
    case FK_AT_COST:
        FEE_TRY(
            want_input(r, c->base, FIT_MONEY, &c->base_i, e, fld(f, "components[%d].base", ci)));
        if (c->kind == FK_SERIES) {
            FEE_TRY(
                want_input(r, c->key, FIT_TEXT, &c->key_i, e, fld(f, "components[%d].key", ci)));
            return check_rows(c, ci, e);
        }
        if (c->kind == FK_PERCENT && (c->rate < 0 || c->rate > FEE_BP_MAX))
            return bad(e, "out_of_range", fld(f, "components[%d].rate", ci));
        return SH_OK;
    case FK_PIECE:
        FEE_TRY(want_input(r, c->qty, FIT_PIECES, &c->qty_i, e, fld(f, "components[%d].qty", ci)));
        return check_rows(c, ci, e);
    case FK_PER_DAY:
        if (c->qty)
            FEE_TRY(want_input(r, c->qty, FIT_COUNT, &c->qty_i, e,
                               fld(f, "components[%d].persons", ci)));
        if (c->ndays <= 0 || c->ndays > FEE_MAX_REFS)
            return bad(e, "required", fld(f, "components[%d].days", ci));
        for (int k = 0; k < c->ndays; k++)
            FEE_TRY(want_input(r, c->days[k], FIT_DAYS, &c->days_i[k], e,
                               fld(f, "components[%d].days[%d]", ci, k)));
        if (c->rate < 0 || c->rate > FEE_MONEY_MAX)
            return bad(e, "out_of_range", fld(f, "components[%d].rate", ci));
        return SH_OK;
    case FK_MULTIPLIER:
        if (c->num <= 0 || c->den <= 0 || c->num > FEE_MUL_MAX || c->den > FEE_MUL_MAX)
            return bad(e, "out_of_range", fld(f, "components[%d].multiplier", ci));
        return check_targets(r, c, ci, e);
    case FK_MINIMUM:
        FEE_TRY(want_input(r, c->qty, -1, &c->qty_i, e, fld(f, "components[%d].input", ci)));
        {
            enum fee_in_type t = r->inputs[c->qty_i].type;
            if (t != FIT_COUNT && t != FIT_DAYS && t != FIT_MONEY)
                return bad(e, "invalid_format", fld(f, "components[%d].input", ci));
        }
        if (c->min < 0 || c->min > FEE_MONEY_MAX)
            return bad(e, "out_of_range", fld(f, "components[%d].min", ci));
        return SH_OK;
    case FK_PERCENT_OF:
        if (c->rate < 0 || c->rate > FEE_BP_MAX)
            return bad(e, "out_of_range", fld(f, "components[%d].rate", ci));
        return check_targets(r, c, ci, e);
    case FK_FREE_QUOTA:
        FEE_TRY(want_input(r, c->qty, FIT_COUNT, &c->qty_i, e, fld(f, "components[%d].qty", ci)));
        if (c->per)
            FEE_TRY(
                want_input(r, c->per, FIT_COUNT, &c->per_i, e, fld(f, "components[%d].per", ci)));
        if (c->min < 0 || c->min > FEE_COUNT_MAX)
            return bad(e, "out_of_range", fld(f, "components[%d].min", ci));
        if (!c->rate_unset && (c->rate < 0 || c->rate > FEE_MONEY_MAX))
            return bad(e, "out_of_range", fld(f, "components[%d].rate", ci));
        return SH_OK;
    default:
        return bad(e, "invalid_format", fld(f, "components[%d].kind", ci));
    }
}

enum sh_code fee_rules_check(struct fee_rules *r, struct sh_err *e)
{
    char f[64];
    if (r->ninputs < 0 || r->ninputs > FEE_MAX_INPUTS)
        return bad(e, "out_of_range", fld(f, "inputs"));
    if (r->ncomps <= 0 || r->ncomps > FEE_MAX_COMPS)
        return bad(e, r->ncomps <= 0 ? "required" : "out_of_range", "components");
    for (int i = 0; i < r->ninputs; i++) {
        if (!r->inputs[i].name || !*r->inputs[i].name)
            return bad(e, "required", fld(f, "inputs[%d].name", i));
        if (input_index(r, r->inputs[i].name) != i)
            return bad(e, "duplicate", fld(f, "inputs[%d].name", i));
    }
    for (int ci = 0; ci < r->ncomps; ci++) {
        struct fee_comp *c = &r->comps[ci];
        c->base_i = c->key_i = c->qty_i = c->per_i = -1;
        if (!c->code || !*c->code)
            return bad(e, "required", fld(f, "components[%d].code", ci));
        if (comp_index(r, c->code, ci) >= 0)
            return bad(e, "duplicate", fld(f, "components[%d].code", ci));
        if (c->ntargets < 0 || c->ntargets > FEE_MAX_REFS)
            return bad(e, "out_of_range", fld(f, "components[%d].targets", ci));
        if ((int)c->round < 0 || c->round >= FR_COUNT_)
            return bad(e, "invalid_format", fld(f, "components[%d].round", ci));
        if ((int)c->day_round < 0 || c->day_round >= FDR_COUNT_)
            return bad(e, "invalid_format", fld(f, "components[%d].day_round", ci));
        if (c->has_when) {
            FEE_TRY(check_cond(r, c->when.all, c->when.nall, ci, "all", e));
            FEE_TRY(check_cond(r, c->when.any, c->when.nany, ci, "any", e));
        }
        FEE_TRY(check_kind(r, c, ci, e));
    }
    return SH_OK;
}

/* ---- computing ---- */

struct calc {
    const struct fee_rules *r;
    const struct fee_value *vals;
    struct fee_result *out;
    int cap;
    int *first, *count; /* lines of each component */
};

static enum sh_code input_err(struct sh_err *e, enum sh_code c, const char *name,
                              const char *reason)
{
    sh_err_field(e, c, "", "inputs.%s: %s", name, reason);
    snprintf(e->field, sizeof e->field, "inputs.%s", name);
    return sh_err_reason(e, reason, NULL);
}

static int64_t val(const struct calc *k, int i)
{
    return i >= 0 && k->vals[i].present ? k->vals[i].v : 0;
}

static bool clause_holds(const struct calc *k, const struct fee_clause *cl)
{
    const struct fee_value *v = &k->vals[cl->in];
    if (k->r->inputs[cl->in].type == FIT_TEXT) {
        bool eq = strcmp(v->present && v->s ? v->s : "", cl->s) == 0;
        return cl->op == FOP_EQ ? eq : !eq;
    }
    int64_t x = v->present ? v->v : 0;
    switch (cl->op) {
    case FOP_TRUE:
        return x != 0;
    case FOP_FALSE:
        return x == 0;
    case FOP_EQ:
        return x == cl->value;
    case FOP_NE:
        return x != cl->value;
    case FOP_LT:
        return x < cl->value;
    case FOP_LE:
        return x <= cl->value;
    case FOP_GT:
        return x > cl->value;
    case FOP_GE:
        return x >= cl->value;
    default:
        return false;
    }
}

static bool cond_holds(const struct calc *k, const struct fee_comp *c)
{
    if (!c->has_when)
        return true;
    for (int i = 0; i < c->when.nall; i++)
        if (!clause_holds(k, &c->when.all[i]))
            return false;
    for (int i = 0; i < c->when.nany; i++)
        if (clause_holds(k, &c->when.any[i]))
            return true;
    return c->when.nany == 0;
}

static struct fee_line *new_line(struct calc *k, int ci, struct sh_err *e)
{
    struct fee_result *o = k->out;
    if (o->nlines >= k->cap) {
        sh_err_set(e, SH_INVALID, "too many fee lines");
        sh_err_reason(e, "out_of_range", "{\"max\":%d}", k->cap);
        return NULL;
    }
    struct fee_line *l = &o->lines[o->nlines++];
    memset(l, 0, sizeof *l);
    l->comp = ci;
    l->applied = true;
    l->mul_num = l->mul_den = 1;
    l->exact_den = 1;
    k->count[ci]++;
    return l;
}

static enum sh_code set_exact(struct fee_line *l, int64_t num, int64_t den, enum fee_round rd,
                              struct sh_err *e)
{
    int64_t g = gcd64(num, den);
    l->exact_num = num / g;
    l->exact_den = den / g;
    l->amount = fee_round_div(l->exact_num, l->exact_den, rd);
    if (l->amount > FEE_MONEY_MAX) {
        sh_err_set(e, SH_INVALID, "amount out of range");
        return sh_err_reason(e, "out_of_range", NULL);
    }
    return SH_OK;
}

/* a percentage in basis points of base */
static enum sh_code pct_line(struct fee_line *l, int64_t base, int64_t bp, enum fee_round rd,
                             struct sh_err *e)
{
    l->base = base;
    l->rate = bp;
    int64_t n;
    if (__builtin_mul_overflow(base, bp, &n)) {
        sh_err_set(e, SH_INVALID, "amount out of range");
        return sh_err_reason(e, "out_of_range", NULL);
    }
    return set_exact(l, n, 10000, rd, e);
}

static const struct fee_row *row_find(const struct fee_comp *c, const char *key)
{
    struct fee_row probe = {.key = key};
    return bsearch(&probe, c->rows, (size_t)c->nrows, sizeof *c->rows, row_cmp);
}

static enum sh_code do_series(struct calc *k, int ci, const struct fee_comp *c, struct sh_err *e)
{
    const struct fee_value *kv = &k->vals[c->key_i];
    const char *key = kv->present && kv->s ? kv->s : "";
    if (!*key)
        return input_err(e, SH_INVALID, c->key, "required");
    const struct fee_row *row = row_find(c, key);
    if (!row) {
        input_err(e, SH_INVALID, c->key, "unknown_reference");
        return sh_err_reason_str1(e, "unknown_reference", "value", key);
    }
    struct fee_line *l = new_line(k, ci, e);
    if (!l)
        return e->code;
    l->key = row->key;
    return pct_line(l, val(k, c->base_i), row->value, c->round, e);
}

static enum sh_code do_pieces(struct calc *k, int ci, const struct fee_comp *c, struct sh_err *e)
{
    const struct fee_value *pv = &k->vals[c->qty_i];
    for (int i = 0; pv->present && i < pv->npieces; i++) {
        const struct fee_piece *p = &pv->pieces[i];
        const struct fee_row *row = row_find(c, p->key);
        if (!row) {
            input_err(e, SH_INVALID, c->qty, "unknown_reference");
            return sh_err_reason_str1(e, "unknown_reference", "value", p->key);
        }
        struct fee_line *l = new_line(k, ci, e);
        if (!l)
            return e->code;
        l->key = row->key;
        l->qty = p->qty;
        if (row->unset) {
            l->applied = p->qty == 0;
            l->note = p->qty ? "rate_not_set" : NULL;
            k->out->nflags += p->qty != 0;
            continue;
        }
        l->rate = row->value;
        int64_t n;
        if (__builtin_mul_overflow(row->value, p->qty, &n) || n > FEE_MONEY_MAX) {
            input_err(e, SH_INVALID, c->qty, "out_of_range");
            return e->code;
        }
        FEE_TRY(set_exact(l, n, 1, c->round, e));
    }
    return SH_OK;
}

static enum sh_code do_per_day(struct calc *k, int ci, const struct fee_comp *c, struct sh_err *e)
{
    struct fee_line *l = new_line(k, ci, e);
    if (!l)
        return e->code;
    for (int i = 0; i < c->ndays; i++)
        l->days += val(k, c->days_i[i]);
    l->days_billed = fee_round_days(l->days, c->day_round);
    l->qty = c->qty_i >= 0 ? val(k, c->qty_i) : 1;
    l->rate = c->rate;
    int64_t n;
    if (__builtin_mul_overflow(c->rate, l->qty, &n) ||
        __builtin_mul_overflow(n, l->days_billed, &n)) {
        sh_err_set(e, SH_INVALID, "amount out of range");
        return sh_err_reason(e, "out_of_range", NULL);
    }
    return set_exact(l, n, 100, c->round, e);
}

static enum sh_code do_multiplier(struct calc *k, int ci, const struct fee_comp *c,
                                  struct sh_err *e)
{
    struct fee_line *info = new_line(k, ci, e);
    if (!info)
        return e->code;
    info->info = true;
    info->mul_num = c->num;
    info->mul_den = c->den;
    if (!cond_holds(k, c)) {
        info->applied = false;
        info->note = "condition_false";
        return SH_OK;
    }
    for (int t = 0; t < c->ntargets; t++) {
        int ti = c->target_i[t];
        for (int j = k->first[ti]; j < k->first[ti] + k->count[ti]; j++) {
            struct fee_line *l = &k->out->lines[j];
            if (!l->applied || l->info)
                continue;
            if (!frac_mul(&l->mul_num, &l->mul_den, c->num, c->den) ||
                !frac_mul(&l->exact_num, &l->exact_den, c->num, c->den)) {
                sh_err_set(e, SH_INVALID, "amount out of range");
                return sh_err_reason(e, "out_of_range", NULL);
            }
            FEE_TRY(set_exact(l, l->exact_num, l->exact_den, k->r->comps[ti].round, e));
        }
    }
    return SH_OK;
}

static enum sh_code do_minimum(struct calc *k, int ci, const struct fee_comp *c, struct sh_err *e)
{
    struct fee_line *l = new_line(k, ci, e);
    if (!l)
        return e->code;
    l->info = true;
    l->qty = val(k, c->qty_i);
    l->base = c->min;
    if (l->qty >= c->min || !cond_holds(k, c))
        return SH_OK;
    if (c->action == FMA_REFUSE) {
        char m[32];
        if (k->r->inputs[c->qty_i].type == FIT_COUNT)
            snprintf(m, sizeof m, "%" PRId64, c->min);
        else
            fee_fen_format(c->min, m);
        input_err(e, SH_UNPROCESSABLE, c->qty, "below_minimum");
        return sh_err_reason_str1(e, "below_minimum", "min", m);
    }
    l->applied = false;
    l->note = "below_minimum";
    k->out->nflags++;
    return SH_OK;
}

static enum sh_code do_percent_of(struct calc *k, int ci, const struct fee_comp *c,
                                  struct sh_err *e)
{
    int64_t base = 0;
    for (int t = 0; t < c->ntargets; t++) {
        int ti = c->target_i[t];
        for (int j = k->first[ti]; j < k->first[ti] + k->count[ti]; j++)
            if (k->out->lines[j].applied && !k->out->lines[j].info)
                base += k->out->lines[j].amount; /* each <= 10^12: no overflow */
    }
    struct fee_line *l = new_line(k, ci, e);
    if (!l)
        return e->code;
    return pct_line(l, base, c->rate, c->round, e);
}

static enum sh_code do_free_quota(struct calc *k, int ci, const struct fee_comp *c,
                                  struct sh_err *e)
{
    struct fee_line *l = new_line(k, ci, e);
    if (!l)
        return e->code;
    int64_t units = val(k, c->qty_i), per = c->per_i >= 0 ? val(k, c->per_i) : 1;
    int64_t free_units = c->min * per; /* both <= 10^6 */
    l->free_units = free_units;
    l->qty = units > free_units ? units - free_units : 0;
    l->base = units;
    if (l->qty > 0 && c->rate_unset) {
        l->applied = false;
        l->note = "rate_not_set";
        k->out->nflags++;
        return SH_OK;
    }
    l->rate = c->rate_unset ? 0 : c->rate;
    return set_exact(l, l->rate * l->qty, 1, c->round, e);
}

static enum sh_code do_comp(struct calc *k, int ci, struct sh_err *e)
{
    const struct fee_comp *c = &k->r->comps[ci];
    k->first[ci] = k->out->nlines;
    k->count[ci] = 0;
    if (c->kind != FK_MULTIPLIER && c->kind != FK_MINIMUM && !cond_holds(k, c)) {
        struct fee_line *l = new_line(k, ci, e);
        if (!l)
            return e->code;
        l->applied = false;
        l->note = "condition_false";
        return SH_OK;
    }
    switch (c->kind) {
    case FK_PERCENT: {
        struct fee_line *l = new_line(k, ci, e);
        return l ? pct_line(l, val(k, c->base_i), c->rate, c->round, e) : e->code;
    }
    case FK_SERIES:
        return do_series(k, ci, c, e);
    case FK_PIECE:
        return do_pieces(k, ci, c, e);
    case FK_PER_DAY:
        return do_per_day(k, ci, c, e);
    case FK_MULTIPLIER:
        return do_multiplier(k, ci, c, e);
    case FK_MINIMUM:
        return do_minimum(k, ci, c, e);
    case FK_PERCENT_OF:
        return do_percent_of(k, ci, c, e);
    case FK_AT_COST: {
        struct fee_line *l = new_line(k, ci, e);
        if (!l)
            return e->code;
        l->base = val(k, c->base_i);
        return set_exact(l, l->base, 1, c->round, e);
    }
    case FK_FREE_QUOTA:
        return do_free_quota(k, ci, c, e);
    default:
        return sh_err_set(e, SH_INTERNAL, "unknown fee component");
    }
}

static enum sh_code check_values(const struct fee_rules *r, const struct fee_value *vals, int *cap,
                                 struct sh_err *e)
{
    for (int i = 0; i < r->ninputs; i++) {
        const struct fee_input_decl *d = &r->inputs[i];
        const struct fee_value *v = &vals[i];
        if (!v->present) {
            if (d->required)
                return input_err(e, SH_INVALID, d->name, "required");
            continue;
        }
        int64_t max = d->type == FIT_MONEY  ? FEE_MONEY_MAX
                      : d->type == FIT_DAYS ? FEE_DAYS_MAX
                      : d->type == FIT_BOOL ? 1
                                            : FEE_COUNT_MAX;
        if (d->type != FIT_TEXT && d->type != FIT_PIECES && (v->v < 0 || v->v > max))
            return input_err(e, SH_INVALID, d->name, "out_of_range");
        if (d->type == FIT_PIECES) {
            if (v->npieces < 0 || v->npieces > FEE_MAX_PIECES)
                return input_err(e, SH_INVALID, d->name, "out_of_range");
            for (int p = 0; p < v->npieces; p++)
                if (v->pieces[p].qty < 0 || v->pieces[p].qty > FEE_COUNT_MAX || !v->pieces[p].key)
                    return input_err(e, SH_INVALID, d->name, "out_of_range");
            *cap += v->npieces;
        }
    }
    return SH_OK;
}

enum sh_code fee_calculate(const struct fee_rules *r, const struct fee_value *vals,
                           struct sh_arena *a, struct fee_result *out, struct sh_err *e)
{
    memset(out, 0, sizeof *out);
    int cap = r->ncomps;
    FEE_TRY(check_values(r, vals, &cap, e));
    int first[FEE_MAX_COMPS], count[FEE_MAX_COMPS];
    struct calc k = {r, vals, out, cap, first, count};
    out->lines = sh_arena_alloc(a, (size_t)cap * sizeof *out->lines);
    if (!out->lines)
        return sh_err_set(e, SH_INTERNAL, "out of memory");
    for (int ci = 0; ci < r->ncomps; ci++)
        FEE_TRY(do_comp(&k, ci, e));
    for (int i = 0; i < out->nlines; i++)
        if (out->lines[i].applied && !out->lines[i].info)
            out->total += out->lines[i].amount;
    if (out->total > FEE_MONEY_MAX) {
        sh_err_set(e, SH_INVALID, "total out of range");
        return sh_err_reason(e, "out_of_range", NULL);
    }
    return SH_OK;
}

/* ---- the formula of a line ---- */

/* num/den in fen as yuan with up to 6 decimals and "…" when it does not end there */
static void exact_format(int64_t num, int64_t den, char out[64])
{
    int64_t whole = num / den, rem = num % den;
    char w[32];
    fee_fen_format(whole, w); /* whole fen as yuan */
    if (rem == 0) {
        snprintf(out, 64, "%s", w);
        return;
    }
    /* further decimals of the fen */
    char d[16];
    int nd = 0;
    while (rem && nd < 4 && den <= INT64_MAX / 10) {
        rem *= 10;
        d[nd++] = (char)('0' + rem / den);
        rem %= den;
    }
    d[nd] = 0;
    snprintf(out, 64, "%s%s%s", w, d, rem ? "…" : "");
}

static void bp_format(int64_t bp, char out[32])
{
    snprintf(out, 32, "%" PRId64 ".%02" PRId64 "%%", bp / 100, bp % 100);
}

void fee_line_formula(const struct fee_rules *r, const struct fee_line *l, char *out, size_t n)
{
    const struct fee_comp *c = &r->comps[l->comp];
    char a[32], b[32], x[64], amt[32], mul[32] = "";
    fee_fen_format(l->amount, amt);
    exact_format(l->exact_num, l->exact_den, x);
    if (l->mul_num != l->mul_den && !l->info)
        snprintf(mul, sizeof mul, " × %" PRId64 "/%" PRId64, l->mul_num, l->mul_den);
    const char *rd = fee_round_names[c->round];
    switch (c->kind) {
    case FK_PERCENT:
    case FK_SERIES:
    case FK_PERCENT_OF:
        fee_fen_format(l->base, a);
        bp_format(l->rate, b);
        snprintf(out, n, "%s × %s%s = %s → %s (%s)", a, b, mul, x, amt, rd);
        return;
    case FK_PIECE:
    case FK_FREE_QUOTA:
        if (l->note) {
            snprintf(out, n, "%" PRId64 " × ?", l->qty);
            return;
        }
        fee_fen_format(l->rate, a);
        snprintf(out, n, "%" PRId64 " × %s%s = %s → %s (%s)", l->qty, a, mul, x, amt, rd);
        return;
    case FK_PER_DAY:
        fee_fen_format(l->rate, a);
        fee_fen_format(l->days, b);
        {
            char bd[32];
            fee_fen_format(l->days_billed, bd);
            snprintf(out, n, "%s × %" PRId64 " × (%s → %s %s)%s = %s → %s (%s)", a, l->qty, b, bd,
                     fee_day_round_names[c->day_round], mul, x, amt, rd);
        }
        return;
    case FK_MULTIPLIER:
        snprintf(out, n, "× %" PRId64 "/%" PRId64, c->num, c->den);
        return;
    case FK_MINIMUM:
        if (r->inputs[c->qty_i].type == FIT_COUNT)
            snprintf(out, n, "%" PRId64 " ≥ %" PRId64, l->qty, c->min);
        else {
            fee_fen_format(l->qty, a);
            fee_fen_format(c->min, b);
            snprintf(out, n, "%s ≥ %s", a, b);
        }
        return;
    case FK_AT_COST:
    default:
        fee_fen_format(l->base, a);
        snprintf(out, n, "%s%s = %s → %s", a, mul, x, amt);
        return;
    }
}
