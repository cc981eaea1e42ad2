/* SPDX-License-Identifier: MIT */
/* Spare parts (零配件, issue 14 item 1): the movement kinds of the stock ledger with the
 * locations each one leaves from and enters, the price of a part consumed on a work order by
 * the ticket's billing, the balance a ledger adds up to, and the statuses of a
 * faulty part removed on site (旧件). Pure: no I/O, no clock. docs/parts.md. */
#ifndef SH_DOMAIN_PARTS_H
#define SH_DOMAIN_PARTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sh_arena.h"
#include "base/sh_err.h"

enum stock_kind {
    SK_RECEIPT,    /* into a warehouse (purchase, production) */
    SK_TRANSFER,   /* between two locations */
    SK_ISSUE,      /* from a warehouse to a technician's van */
    SK_CONSUME,    /* from a van, used on a work order */
    SK_RETURN,     /* unused parts from a van back to a warehouse */
    SK_SCRAP,      /* out of a location, destroyed */
    SK_CORRECTION, /* a count correction: into or out of one location */
    STOCK_KIND_COUNT
};

enum location_kind { LK_WAREHOUSE, LK_VAN, LOCATION_KIND_COUNT };

/* What a movement kind needs of its locations. */
enum loc_need {
    LN_NONE,      /* must be absent */
    LN_WAREHOUSE, /* a warehouse */
    LN_VAN,       /* a technician's van */
    LN_ANY,       /* either kind */
    LN_OPTIONAL   /* either kind, or absent (a correction names exactly one side) */
};

struct stock_kind_rule {
    enum loc_need from, to;
    bool work_order; /* a consumption names its work order */
    bool note;       /* scrap and corrections say why */
};

extern const char *const stock_kind_names[STOCK_KIND_COUNT + 1];
extern const char *const location_kind_names[LOCATION_KIND_COUNT + 1];

bool stock_kind_parse(const char *s, enum stock_kind *out);
const char *stock_kind_name(enum stock_kind k);
bool location_kind_parse(const char *s, enum location_kind *out);
const struct stock_kind_rule *stock_kind_rule(enum stock_kind k);

/* A movement's locations against its kind: has_from/has_to say whether each is named and
 * from_kind/to_kind what it is. SH_INVALID naming from_location_id or to_location_id with
 * reason required (missing), unknown_field (must be absent), invalid_location (wrong kind)
 * or same_location; a correction names exactly one side. */
SH_WUR enum sh_code stock_check_locations(enum stock_kind k, bool has_from,
                                          enum location_kind from_kind, bool has_to,
                                          enum location_kind to_kind, int64_t from_id,
                                          int64_t to_id, struct sh_err *e);

/* The price basis of a consumed part by the ticket's billing (ticket.c names): chargeable and
 * negotiated → the unified price, contract (lifetime maintenance after warranty,
 * R-133) → the cost, warranty → nothing, unknown (warranty not known yet) → nothing, to be
 * priced once known. */
enum part_basis { PB_PRICE, PB_COST, PB_FREE, PB_PENDING, PART_BASIS_COUNT };
extern const char *const part_basis_names[PART_BASIS_COUNT + 1];

struct part_charge {
    enum part_basis basis;
    int64_t unit_fen, amount_fen;
};
/* SH_INVALID (out_of_range) when qty < 1 or the amount would overflow. */
SH_WUR enum sh_code part_charge_for(const char *billing, int64_t price_fen, int64_t cost_fen,
                                    int64_t qty, struct part_charge *out, struct sh_err *e);

/* One ledger entry as the balance sees it. */
struct stock_leg {
    int64_t from, to, qty; /* location ids, 0 = none */
};
/* The stock at location `loc` after the movements m[0..n). */
int64_t stock_balance_of(const struct stock_leg *m, int64_t n, int64_t loc);

/* 旧件 statuses: with the technician → returned to the factory → received; scrapped from
 * either of the first two. */
enum faulty_status { FS_WITH_TECH, FS_RETURNED, FS_RECEIVED, FS_SCRAPPED, FAULTY_STATUS_COUNT };
extern const char *const faulty_status_names[FAULTY_STATUS_COUNT + 1];
bool faulty_status_parse(const char *s, enum faulty_status *out);
/* May a faulty part go from `from` to `to` (the same status is allowed: no change)? */
bool faulty_status_next(enum faulty_status from, enum faulty_status to);

/* RULE R-016, review 72 #3: a part code as typed into the catalogue or a quote line. NULL
 * when it may be stored; else the reason to refuse it: "control_char" for a control character
 * (C0, DEL, C1), "invalid_format" for a format, direction or zero-width character
 * (text_invisible, and the soft hyphen U+00AD) or a space at either end (ASCII, no-break,
 * ideographic and the other Unicode spaces). */
const char *part_code_problem(const char *code);

/* The key a part code is looked up by, so that a code typed in another case or width finds the
 * catalogue's: full-width ASCII U+FF01–U+FF5E as ASCII, the ideographic space U+3000 and the
 * no-break space as a space, the hyphens and dashes U+2010–U+2015 and the minus sign U+2212
 * as '-', then ASCII letters in lower case; other characters as they are (invalid UTF-8 bytes
 * too). In arena a. */
char *part_code_key(struct sh_arena *a, const char *code);

#endif
