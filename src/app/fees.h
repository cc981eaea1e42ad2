/* SPDX-License-Identifier: MIT */
/* Fee rule sets as data (issue 13 item 1; R-196): versioned definitions checked on save,
 * and the calculation over the version in effect on a date, which it names. The engine is
 * domain/fees.h; the JSON form is read by app/fee_rules.c (docs/fees.md). */
#ifndef SH_APP_FEES_H
#define SH_APP_FEES_H

#include <jansson.h>

#include "app/entity.h"
#include "app/uc.h"
#include "base/jw.h"
#include "domain/fees.h"
#include "store/fees.h"

/* ---- the JSON form (app/fee_rules.c) ---- */
/* Reads and checks a definition; errors name "definition.<path>" with a reason. */
SH_WUR enum sh_code fee_rules_parse(struct sh_arena *a, json_t *def, struct fee_rules *out,
                                    struct sh_err *e);
SH_WUR enum sh_code fee_rules_parse_text(struct sh_arena *a, const char *text,
                                         struct fee_rules *out, struct sh_err *e);
/* Reads the inputs object into one value per declared input ("inputs.<name>" errors). */
SH_WUR enum sh_code fee_values_parse(struct sh_arena *a, const struct fee_rules *r, json_t *inputs,
                                     struct fee_value *vals, struct sh_err *e);
/* A JSON number in the scale of an input type (days: decimal, in hundredths). */
SH_WUR enum sh_code fee_scaled(json_t *v, enum fee_in_type t, int64_t *out);
/* "lines": [...], "total_fen", "flags" into an open object. */
void fee_result_render(struct jw *w, const struct fee_rules *r, const struct fee_result *res);

/* ---- use cases (app/fees.c) ---- */
struct fee_set_view {
    struct fee_set_row set;
    struct fee_version_row *versions; /* newest first */
    int nversions;
};

SH_WUR enum sh_code uc_fee_sets_list(const struct uc *u, struct fee_set_row **sets,
                                     struct fee_version_row **newest, int *n, struct sh_err *e);
SH_WUR enum sh_code uc_fee_set_get(const struct uc *u, int64_t id, struct fee_set_view *out,
                                   struct sh_err *e);

struct fee_set_in {
    const char *code, *name, *description; /* create only */
    json_t *definition;
    const char *effective_from; /* NULL: today (Asia/Shanghai) */
    const char *note;
};
/* Creates a rule set with its version 1 (admin, finance). */
SH_WUR enum sh_code uc_fee_set_create(const struct uc *u, const struct fee_set_in *in,
                                      struct fee_set_view *out, struct sh_err *e);
/* Adds the next version of a rule set. */
SH_WUR enum sh_code uc_fee_version_add(const struct uc *u, int64_t set_id,
                                       const struct fee_set_in *in, struct fee_set_view *out,
                                       struct sh_err *e);

struct fee_calc_in {
    int64_t set_id;   /* or */
    const char *code; /* the rule set's code */
    json_t *inputs;
    const char *on; /* the date whose version applies; NULL: today */
};

struct fee_calc_out {
    struct fee_set_row set;
    struct fee_version_row version;
    struct fee_rules rules;
    struct fee_result result;
};

SH_WUR enum sh_code uc_fee_calculate(const struct uc *u, const struct fee_calc_in *in,
                                     struct fee_calc_out *out, struct sh_err *e);
/* The calculation as JSON: rule set, version, lines, total (arena text). */
char *fee_calc_json(struct sh_arena *a, const struct fee_calc_out *o);
/* A rule set with its versions (definitions included) as JSON. */
char *fee_set_json(struct sh_arena *a, const struct fee_set_view *v);
/* A rule set with its newest version as "current" (v[0], nv >= 1 and v[0].id: one exists)
 * and, when asked, every version as "versions". */
void fee_set_render(struct jw *w, const struct fee_set_row *s, const struct fee_version_row *v,
                    int nv, bool with_versions);

#endif
