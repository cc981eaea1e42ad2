/* SPDX-License-Identifier: MIT */
/* Shipments (发货流程, WF-01; issue 12 items 1 and 6): kinds, states, the action table with
 * the roles that may take each action, the arrival days per carrier
 * and the dead-on-arrival window (WF-08). Pure: no I/O, no clock. */
#ifndef SH_DOMAIN_SHIPMENT_H
#define SH_DOMAIN_SHIPMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "base/sh_err.h"
#include "domain/roles.h"

enum shp_kind { SHK_SALE, SHK_REPLACEMENT, SHP_KIND_COUNT };

enum shp_state {
    SHS_REQUESTED,   /* F-01 filed by sales after the payment arrived */
    SHS_ORDERED,     /* F-02 issued by finance */
    SHS_HANDED_OVER, /* after-sales gave one copy to logistics and one to the warehouse */
    SHS_ON_HOLD,     /* picking exception (defect or stock-out): waits for an instruction */
    SHS_RELEASED,    /* the warehouse recorded every unit and released the goods */
    SHS_IN_TRANSIT,  /* logistics: carrier, waybill, quality certificate (F-03, F-04) */
    SHS_ARRIVED,     /* after-sales traced the arrival */
    SHS_RECEIVED,    /* the customer's receipt (date, signer): terminal */
    SHS_CANCELLED,
    SHP_STATE_COUNT
};

enum shp_action {
    SHA_ISSUE_ORDER,
    SHA_HAND_OVER,
    SHA_HOLD,
    SHA_INSTRUCT,
    SHA_RELEASE,
    SHA_DISPATCH,
    SHA_ARRIVE,
    SHA_RECEIVE,
    SHA_CANCEL,
    SHP_ACTION_COUNT
};

/* after-sales: the service agents, their department head and the admin */
#define SHP_R_AFTER_SALES (RB(AGENT) | RB(DEPT_HEAD) | RB(ADMIN))
/* who files a shipping request (R-027: the business manager) */
#define SHP_R_REQUEST (RB(SALES) | RB(ADMIN))
/* who raises a replacement for a dead-on-arrival ticket */
#define SHP_R_REPLACEMENT (RB(SALES) | SHP_R_AFTER_SALES)
/* who confirms a payment */
#define SHP_R_FINANCE (RB(FINANCE) | RB(ADMIN))
/* who records the units of a line */
#define SHP_R_WAREHOUSE (RB(WAREHOUSE) | RB(ADMIN))

extern const char *const shp_kind_names[SHP_KIND_COUNT + 1];
extern const char *const shp_state_names[SHP_STATE_COUNT + 1];
extern const char *const shp_action_names[SHP_ACTION_COUNT + 1];
extern const char *const shp_hold_reason_names[3]; /* defect, stock_out */

const char *shp_state_name(enum shp_state s);
const char *shp_action_name(enum shp_action a);
bool shp_kind_parse(const char *s, enum shp_kind *out);
bool shp_state_parse(const char *s, enum shp_state *out);
bool shp_action_parse(const char *s, enum shp_action *out);

/* The state after `action` from `st`: SH_CONFLICT (reason illegal_action, the message and
 * params list the legal actions) when the table has no such row; SH_FORBIDDEN when the
 * caller's roles may not. */
SH_WUR enum sh_code shp_transition(enum shp_state st, enum shp_action action, unsigned roles,
                                   enum shp_state *to, struct sh_err *err);
/* The actions the caller may take from st, in enum order; returns the count. */
int shp_allowed_actions(enum shp_state st, unsigned roles, enum shp_action out[SHP_ACTION_COUNT]);
/* The warehouse may record the units of the lines in this state. */
bool shp_lines_editable(enum shp_state st);

/* One line as the release guard sees it. */
struct shp_line_facts {
    bool has_serial, has_production, has_ship;
};
/* How many lines lack a serial number, a production date or a ship date. */
int shp_lines_missing(const struct shp_line_facts *lines, int n);

/* The days from dispatch to the expected arrival for `carrier`: the "name=days" pair of
 * `table` (comma-separated, spaces ignored, e.g. "顺丰=3, 德邦物流=5") whose name equals the
 * carrier, else `dflt`. Malformed pairs are skipped. */
int shp_carrier_days(const char *table, const char *carrier, int dflt);
/* Checks a carrier table: SH_INVALID (reason invalid_format) naming field when a pair is not
 * name=days with days 0…365. */
SH_WUR enum sh_code shp_carrier_table_check(const char *table, const char *field,
                                            struct sh_err *err);

/* WF-08: a failure reported on `reported` for a unit received on `received` is dead on arrival
 * when it lies within `days` days after the receipt (same day included). */
bool shp_is_doa(struct sh_date received, struct sh_date reported, int days);

#endif
