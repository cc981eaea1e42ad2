/* SPDX-License-Identifier: MIT */
/* Checklists (R-149…, WF-19 S9): the kinds of item, numeric limits
 * held exactly as integer hundredths (cabinet front plane error < 2 mm is max 200 exclusive),
 * decimal text in and out, the pass of a measured value, and the self-check gate over the
 * answers of one work order. Pure: no I/O, no clock. */
#ifndef SH_DOMAIN_CHECKLIST_H
#define SH_DOMAIN_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sh_err.h"

enum cl_kind {
    CLK_CHECK,   /* yes/no: the installer says pass or fail */
    CLK_MEASURE, /* a measured value against a limit: pass is computed */
    CLK_PHOTO,   /* a photo must be taken */
    CLK_CONDUCT, /* a conduct rule (on time, shoe covers, tidy site, no gifts accepted) */
    CL_KIND_COUNT
};

/* NULL-terminated, indexed by enum cl_kind. */
extern const char *const cl_kind_names[CL_KIND_COUNT + 1];
bool cl_kind_parse(const char *s, enum cl_kind *out);

/* Photos of a work order: before the work, after it, or for one checklist item. */
enum cl_phase { CLP_BEFORE, CLP_AFTER, CLP_CHECK, CL_PHASE_COUNT };
extern const char *const cl_phase_names[CL_PHASE_COUNT + 1];
bool cl_phase_parse(const char *s, enum cl_phase *out);

/* The largest magnitude of a value in hundredths (±10^12, i.e. 10^10 units). */
#define CL_CENTI_MAX 1000000000000LL

/* A limit: a lower bound, an upper bound, or both, each inclusive or strict. */
struct cl_limit {
    bool has_min, has_max;
    int64_t min, max; /* hundredths */
    bool min_incl, max_incl;
};

/* Parses decimal text ("2", "-1.5", "0.05", "+3.", ".5") into hundredths: at most two
 * decimals, |value| ≤ CL_CENTI_MAX. False on anything else (exponents, commas, spaces). */
bool cl_decimal_parse(const char *s, int64_t *centi);
/* Formats hundredths as the shortest decimal: 200 → "2", 150 → "1.5", -5 → "-0.05". */
void cl_decimal_format(int64_t centi, char out[32]);

/* True when the value lies within the limit (no bound: always). */
bool cl_limit_pass(const struct cl_limit *l, int64_t value);
/* The limit as text with its unit: "< 2 mm", "≤ 3 mm", "> 740 mm", "5–35 °C" (both bounds
 * inclusive), "> 5, < 35 °C"; "" when there is no bound. */
void cl_limit_format(const struct cl_limit *l, const char *unit, char *out, size_t n);
/* Checks an item's declaration: a measurement has at least one bound within ±CL_CENTI_MAX,
 * min below max (or equal with both inclusive); other kinds have none. SH_INVALID naming
 * the field (min_centi/max_centi) with reason required, out_of_range or not_allowed. */
SH_WUR enum sh_code cl_item_check(enum cl_kind k, const struct cl_limit *l, struct sh_err *e);

/* ---- the self-check gate ---- */

/* One item of the work order's checklist with what was recorded for it. */
struct cl_answer {
    int64_t item_id;
    enum cl_kind kind;
    bool required;
    bool answered; /* a result row exists */
    bool passed;   /* the recorded (or computed) pass */
    int photos;    /* photos attached to this item */
};

struct cl_gate {
    int nfailing;      /* items that stop the gate */
    int64_t *failing;  /* caller's array of at least n entries: their ids in order */
    bool before_short; /* fewer photos before the work than the template asks */
    bool after_short;  /* fewer photos after */
};

/* Evaluates the gate: a required item stops it when unanswered or failed, a required photo
 * item when it has no photo; optional items never stop it (a failure stays recorded and
 * shown). Photos before/after short of the template's minimum stop it. True when nothing
 * stops it. */
bool cl_gate_eval(const struct cl_answer *items, int n, int before, int before_min, int after,
                  int after_min, struct cl_gate *out);

#endif
