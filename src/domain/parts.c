/* SPDX-License-Identifier: MIT */
/* Spare parts: the ledger's movement kinds, the consumed part's price, the 旧件 statuses
 * (domain/parts.h). Table-tested in tests/unit/domain/test_parts.c. */
#include "domain/parts.h"

#include <stdint.h>
#include <string.h>

#include "domain/text_chars.h"

const char *const stock_kind_names[STOCK_KIND_COUNT + 1] = {
    "receipt", "transfer", "issue", "consume", "return", "scrap", "correction", NULL};
const char *const location_kind_names[LOCATION_KIND_COUNT + 1] = {"warehouse", "van", NULL};
const char *const part_basis_names[PART_BASIS_COUNT + 1] = {"price", "cost", "free", "pending",
                                                            NULL};
const char *const faulty_status_names[FAULTY_STATUS_COUNT + 1] = {
    "with_technician", "returned_to_factory", "received", "scrapped", NULL};

/* RULE issue 14 item 1: where each kind of movement leaves from and enters. */
static const struct stock_kind_rule RULES[STOCK_KIND_COUNT] = {
    [SK_RECEIPT] = {LN_NONE, LN_WAREHOUSE, false, false},
    [SK_TRANSFER] = {LN_ANY, LN_ANY, false, false},
    [SK_ISSUE] = {LN_WAREHOUSE, LN_VAN, false, false},
    [SK_CONSUME] = {LN_VAN, LN_NONE, true, false},
    [SK_RETURN] = {LN_VAN, LN_WAREHOUSE, false, false},
    [SK_SCRAP] = {LN_ANY, LN_NONE, false, true},
    [SK_CORRECTION] = {LN_OPTIONAL, LN_OPTIONAL, false, true},
};

static int find(const char *const *names, const char *s)
{
    for (int i = 0; s && names[i]; i++)
        if (!strcmp(names[i], s))
            return i;
    return -1;
}

bool stock_kind_parse(const char *s, enum stock_kind *out)
{
    int i = find(stock_kind_names, s);
    if (i >= 0)
        *out = (enum stock_kind)i;
    return i >= 0;
}

const char *stock_kind_name(enum stock_kind k)
{
    return k < STOCK_KIND_COUNT ? stock_kind_names[k] : "?";
}

bool location_kind_parse(const char *s, enum location_kind *out)
{
    int i = find(location_kind_names, s);
    if (i >= 0)
        *out = (enum location_kind)i;
    return i >= 0;
}

const struct stock_kind_rule *stock_kind_rule(enum stock_kind k)
{
    return k < STOCK_KIND_COUNT ? &RULES[k] : NULL;
}

static enum sh_code side(enum loc_need need, bool has, enum location_kind kind, const char *field,
                         struct sh_err *e)
{
    if (need == LN_NONE && has) {
        sh_err_field(e, SH_INVALID, field, "'%s' is not given for this kind of movement", field);
        return sh_err_reason(e, "unknown_field", NULL);
    }
    if (need == LN_NONE || need == LN_OPTIONAL || (need == LN_ANY && has))
        return SH_OK;
    if (!has) {
        sh_err_field(e, SH_INVALID, field, "'%s' is required for this kind of movement", field);
        return sh_err_reason(e, "required", NULL);
    }
    enum location_kind want = need == LN_VAN ? LK_VAN : LK_WAREHOUSE;
    if (kind == want)
        return SH_OK;
    sh_err_field(e, SH_INVALID, field, "'%s' must be a %s", field, location_kind_names[want]);
    return sh_err_reason_str1(e, "invalid_location", "kind", location_kind_names[want]);
}

SH_WUR enum sh_code stock_check_locations(enum stock_kind k, bool has_from,
                                          enum location_kind from_kind, bool has_to,
                                          enum location_kind to_kind, int64_t from_id,
                                          int64_t to_id, struct sh_err *e)
{
    const struct stock_kind_rule *r = stock_kind_rule(k);
    if (!r)
        return sh_err_field(e, SH_INVALID, "kind", "unknown kind of movement");
    enum sh_code rc = side(r->from, has_from, from_kind, "from_location_id", e);
    if (!rc)
        rc = side(r->to, has_to, to_kind, "to_location_id", e);
    if (rc)
        return rc;
    if (k == SK_CORRECTION && has_from == has_to) {
        sh_err_field(e, SH_INVALID, "to_location_id",
                     "a correction names one location: from (less) or to (more)");
        return sh_err_reason(e, has_from ? "unknown_field" : "required", NULL);
    }
    if (has_from && has_to && from_id == to_id) {
        sh_err_field(e, SH_INVALID, "to_location_id", "the two locations are the same");
        return sh_err_reason(e, "same_location", NULL);
    }
    return SH_OK;
}

/* RULE issue 14 item 1, R-016, R-133: a part used on a work order is charged at the unified
 * price when the ticket is chargeable (or negotiated: the split starts from the list price),
 * at cost under lifetime maintenance (billing contract), and not at all in warranty. */
SH_WUR enum sh_code part_charge_for(const char *billing, int64_t price_fen, int64_t cost_fen,
                                    int64_t qty, struct part_charge *out, struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    if (qty < 1 || qty > 1000000) {
        sh_err_field(e, SH_INVALID, "qty", "qty is 1 to 1000000");
        return sh_err_reason(e, "out_of_range", "{\"min\":1,\"max\":1000000}");
    }
    const char *b = billing ? billing : "";
    if (!strcmp(b, "chargeable") || !strcmp(b, "negotiated"))
        *out = (struct part_charge){PB_PRICE, price_fen, 0};
    else if (!strcmp(b, "contract"))
        *out = (struct part_charge){PB_COST, cost_fen, 0};
    else if (!strcmp(b, "warranty"))
        *out = (struct part_charge){PB_FREE, 0, 0};
    else
        *out = (struct part_charge){PB_PENDING, 0, 0};
    if (out->unit_fen < 0 || out->unit_fen > INT64_MAX / qty) {
        sh_err_field(e, SH_INVALID, "qty", "the amount is too large");
        return sh_err_reason(e, "out_of_range", NULL);
    }
    out->amount_fen = out->unit_fen * qty;
    return SH_OK;
}

int64_t stock_balance_of(const struct stock_leg *m, int64_t n, int64_t loc)
{
    int64_t q = 0;
    for (int64_t i = 0; i < n; i++) {
        if (m[i].to == loc)
            q += m[i].qty;
        if (m[i].from == loc)
            q -= m[i].qty;
    }
    return q;
}

bool faulty_status_parse(const char *s, enum faulty_status *out)
{
    int i = find(faulty_status_names, s);
    if (i >= 0)
        *out = (enum faulty_status)i;
    return i >= 0;
}

/* RULE issue 14 item 1: 旧件 go back to the factory and are received there, or are
 * scrapped; received and scrapped are final. */
bool faulty_status_next(enum faulty_status from, enum faulty_status to)
{
    if (from == to)
        return true;
    switch (from) {
    case FS_WITH_TECH:
        return to == FS_RETURNED || to == FS_SCRAPPED;
    case FS_RETURNED:
        return to == FS_RECEIVED || to == FS_SCRAPPED;
    default:
        return false;
    }
}

/* A space of some width: ASCII, no-break, ogham, U+2000–U+200A, narrow no-break, medium
 * mathematical, ideographic. */
static bool space_cp(uint32_t cp)
{
    return cp == ' ' || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
           cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

const char *part_code_problem(const char *code)
{
    const unsigned char *p = (const unsigned char *)code;
    uint32_t cp = 0;
    bool first = true;
    while (*p) {
        size_t n = text_utf8_next(p, &cp);
        if (!n)
            return "invalid_format";
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
            return "control_char";
        if (text_invisible(cp) || cp == 0xad || (first && space_cp(cp)))
            return "invalid_format";
        first = false;
        p += n;
    }
    return space_cp(cp) ? "invalid_format" : NULL;
}

/* The ASCII character the lookup takes cp for, 0 when none. */
static char fold_cp(uint32_t cp)
{
    if (cp >= 0xff01 && cp <= 0xff5e)
        return (char)(cp - 0xff01 + 0x21);
    if (cp == 0x3000 || cp == 0xa0)
        return ' ';
    if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)
        return '-';
    return cp < 0x80 ? (char)cp : 0;
}

char *part_code_key(struct sh_arena *a, const char *code)
{
    char *out = sh_arena_alloc(a, strlen(code) + 1), *q = out;
    for (const unsigned char *p = (const unsigned char *)code; *p;) {
        uint32_t cp;
        size_t n = text_utf8_next(p, &cp);
        char c = n ? fold_cp(cp) : 0;
        if (!c) { /* as it is: never longer than the input */
            n = n ? n : 1;
            memcpy(q, p, n);
            q += n;
        } else
            *q++ = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        p += n;
    }
    *q = '\0';
    return out;
}
