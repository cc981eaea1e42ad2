/* SPDX-License-Identifier: MIT */
/* The fee engine (issue 13 item 1; R-137… ): a rule set is an ordered list of
 * components over declared inputs, computed exactly in integer fen. Percentages are basis
 * points (250 = 2.50 %), multipliers rational (6/5 = × 1.2), day counts hundredths of a
 * day; every rounding is named in the rule. Each component gives one line (a piece-rate
 * table one line per item) that keeps the numbers that produced it; a multiplier rescales
 * earlier lines, a percentage of other lines (a management fee) takes their rounded
 * amounts, a minimum refuses or flags, never bills silently. Pure: no I/O, no clock, no
 * floating point. The JSON form of a rule set is read in app/fee_rules.c. */
#ifndef SH_DOMAIN_FEES_H
#define SH_DOMAIN_FEES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"

/* returns the code of a failed step */
#define FEE_TRY(x)                                                                                 \
    do {                                                                                           \
        enum sh_code fee_rc_ = (x);                                                                \
        if (fee_rc_ != SH_OK)                                                                      \
            return fee_rc_;                                                                        \
    } while (0)

#define FEE_MAX_INPUTS 32
#define FEE_MAX_COMPS  32
#define FEE_MAX_REFS   8
#define FEE_MAX_ROWS   1000
#define FEE_MAX_PIECES 1000
/* the largest money amount accepted or produced: 10^12 fen (10 billion yuan) */
#define FEE_MONEY_MAX 1000000000000LL
#define FEE_BP_MAX    1000000 /* 10,000 % */
#define FEE_MUL_MAX   1000    /* numerator and denominator of a multiplier */
#define FEE_COUNT_MAX 1000000
#define FEE_SHARE_MAX 1000000  /* a payer's share (any unit: parts, basis points) */
#define FEE_DAYS_MAX  10000000 /* 100,000 days in hundredths */

enum fee_in_type { FIT_MONEY, FIT_COUNT, FIT_DAYS, FIT_BOOL, FIT_TEXT, FIT_PIECES, FIT_COUNT_ };
extern const char *const fee_in_type_names[FIT_COUNT_ + 1];

enum fee_kind {
    FK_PERCENT,    /* rate % of a money input */
    FK_SERIES,     /* rate % of a money input, the rate looked up by a text input (series) */
    FK_PIECE,      /* fen per piece from a table, for a pieces input: one line per item */
    FK_PER_DAY,    /* fen per person per day over the sum of day inputs, days rounded */
    FK_MULTIPLIER, /* num/den applied to earlier lines when its condition holds */
    FK_MINIMUM,    /* an input must reach a minimum: refused or flagged */
    FK_PERCENT_OF, /* rate % of the rounded amounts of earlier lines (a management fee) */
    FK_AT_COST,    /* a money input passed through (upgrades, parts at cost) */
    FK_FREE_QUOTA, /* free units per session, the extra ones at a rate (training seats) */
    FK_COUNT_
};
extern const char *const fee_kind_names[FK_COUNT_ + 1];

/* Rounding of an exact amount to the fen. */
enum fee_round { FR_HALF_UP, FR_DOWN, FR_UP, FR_HALF_EVEN, FR_COUNT_ };
extern const char *const fee_round_names[FR_COUNT_ + 1];
/* Rounding of a day count: to whole days (any part day counted whole: up) or none. */
enum fee_day_round { FDR_UP, FDR_HALF_UP, FDR_DOWN, FDR_NONE, FDR_COUNT_ };
extern const char *const fee_day_round_names[FDR_COUNT_ + 1];

enum fee_op { FOP_TRUE, FOP_FALSE, FOP_EQ, FOP_NE, FOP_LT, FOP_LE, FOP_GT, FOP_GE, FOP_COUNT_ };
extern const char *const fee_op_names[FOP_COUNT_ + 1];

enum fee_min_action { FMA_REFUSE, FMA_FLAG, FMA_COUNT_ };
extern const char *const fee_min_action_names[FMA_COUNT_ + 1];

struct fee_input_decl {
    const char *name;
    const char *label; /* the company's wording (data), may be NULL */
    enum fee_in_type type;
    bool required;
};

/* One clause of a condition: input op value (value in the input's scale; text: s). */
struct fee_clause {
    const char *input;
    enum fee_op op;
    int64_t value;
    const char *s;
    int in; /* resolved input index */
};

/* Holds when every clause of `all` holds and, if `any` is not empty, one of `any`. */
struct fee_cond {
    struct fee_clause all[FEE_MAX_REFS], any[FEE_MAX_REFS];
    int nall, nany;
};

/* A table row: a series rate in basis points, or a piece rate in fen (unset: not given by
 * the source; a quantity of it is flagged, not billed). */
struct fee_row {
    const char *key;
    const char *label;
    int64_t value;
    bool unset;
};

struct fee_comp {
    enum fee_kind kind;
    const char *code;  /* unique in the rule set; targets name it */
    const char *label; /* the company's wording (data) */
    const char *payer; /* who is charged: customer, dealer, sales, "" */
    bool has_when;
    struct fee_cond when;
    const char *base; /* money input (percent, series, at_cost) */
    const char *key;  /* text input (series) */
    const char *qty;  /* pieces (piece), persons (per_day, NULL: 1), units (free_quota),
                         the checked input (minimum) */
    const char *per;  /* free_quota: sessions input (NULL: 1) */
    const char *days[FEE_MAX_REFS]; /* per_day: summed */
    int ndays;
    int64_t rate;     /* bp (percent, percent_of), fen (per_day, free_quota) */
    bool rate_unset;  /* free_quota: the rate of an extra unit is not given */
    int64_t num, den; /* multiplier */
    int64_t min;      /* minimum (input scale); free_quota: free units per session */
    enum fee_min_action action;
    const char *targets[FEE_MAX_REFS]; /* codes of earlier components */
    int ntargets;
    struct fee_row *rows; /* series, piece: sorted by key by fee_rules_check */
    int nrows;
    enum fee_round round;
    enum fee_day_round day_round;
    /* resolved by fee_rules_check */
    int base_i, key_i, qty_i, per_i, days_i[FEE_MAX_REFS], target_i[FEE_MAX_REFS];
};

struct fee_rules {
    struct fee_input_decl *inputs;
    int ninputs;
    struct fee_comp *comps;
    int ncomps;
};

/* Checks a rule set and resolves its names: codes unique, inputs declared with the right
 * type, targets earlier amount lines, a multiplier never after a percentage that already
 * used its target, rates, multipliers and minimums in range, table keys unique. Sorts the
 * table rows by key. SH_INVALID naming the field (components[2].targets[0]) with a reason
 * (required, duplicate, unknown_reference, out_of_range, invalid_format). */
SH_WUR enum sh_code fee_rules_check(struct fee_rules *r, struct sh_err *e);

struct fee_piece {
    const char *key;
    int64_t qty;
};

/* One input's value: money fen, count, days in hundredths, bool 0/1; text s; pieces. */
struct fee_value {
    bool present;
    int64_t v;
    const char *s;
    const struct fee_piece *pieces;
    int npieces;
};

/* A computed line: the rule and the numbers that produced it. */
struct fee_line {
    int comp;            /* index of its component */
    bool applied;        /* false: condition false, below a minimum, a rate not set (not billed) */
    bool info;           /* a rule line without an amount of its own (multiplier, minimum) */
    const char *note;    /* why not applied or flagged: condition_false, below_minimum,
                            rate_not_set; NULL */
    const char *key;     /* series or piece key */
    int64_t base;        /* fen: the base of a percentage (percent_of: the sum of targets) */
    int64_t rate;        /* bp or fen per unit */
    int64_t qty;         /* pieces, persons, extra units; minimum: the value checked */
    int64_t free_units;  /* free_quota: free units granted */
    int64_t days;        /* per_day: the sum of the day inputs, hundredths */
    int64_t days_billed; /* per_day: after day rounding, hundredths */
    int64_t mul_num, mul_den;     /* multipliers applied to this line (1/1: none) */
    int64_t exact_num, exact_den; /* the exact amount in fen */
    int64_t amount;               /* fen, rounded by the rule's rounding */
};

struct fee_result {
    struct fee_line *lines;
    int nlines;
    int64_t total; /* fen: the applied lines */
    int nflags;    /* lines flagged (below a minimum, a rate not set) */
};

/* Computes the rule set (checked by fee_rules_check) over vals (one per input decl, in
 * order). Missing required inputs: SH_INVALID field inputs.<name> reason required; a
 * series not in the table: unknown_reference; a refusing minimum not reached:
 * SH_UNPROCESSABLE reason below_minimum; an amount over FEE_MONEY_MAX: out_of_range. */
SH_WUR enum sh_code fee_calculate(const struct fee_rules *r, const struct fee_value *vals,
                                  struct sh_arena *a, struct fee_result *out, struct sh_err *e);

/* The line's numbers as a language-neutral formula:
 * "123456.78 × 2.50% × 6/5 = 3703.7034 → 3703.70 (half_up)". */
void fee_line_formula(const struct fee_rules *r, const struct fee_line *l, char *out, size_t n);

/* Rounds num/den (den > 0, num >= 0) to an integer by mode. */
int64_t fee_round_div(int64_t num, int64_t den, enum fee_round mode);
/* Rounds a day count in hundredths: whole days in hundredths (FDR_NONE: unchanged). */
int64_t fee_round_days(int64_t centi, enum fee_day_round mode);

/* Splits amount (fen, >= 0) among n payers by shares (0…FEE_SHARE_MAX, sum > 0; amount <=
 * FEE_MONEY_MAX) so that the parts add up to the amount exactly: each part is its share's floor,
 * the fen left over go one each to the largest remainders (ties: the earlier payer). False on bad
 * arguments. */
bool fee_split(int64_t amount, const int64_t *shares, int n, int64_t *parts);

/* Formats fen as yuan with two decimals ("-12.30"). */
void fee_fen_format(int64_t fen, char out[32]);
/* ... with thousands separators ("14,680.00", "-1,234,567.89"): amounts people read. */
void fee_fen_format_grouped(int64_t fen, char out[40]);
/* Parses a decimal with at most two decimals into hundredths (days, yuan). */
bool fee_centi_parse(const char *s, int64_t *out);

/* Looks a name up in a NULL-terminated table; -1 when absent. */
int fee_name_index(const char *const *names, const char *s);

#endif
