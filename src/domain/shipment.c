/* SPDX-License-Identifier: MIT */
/* Shipments: the action table, the release guard, carrier days, the DOA window
 * (shipment.h). */
#include "domain/shipment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/fsm.h"

const char *const shp_kind_names[SHP_KIND_COUNT + 1] = {
    [SHK_SALE] = "sale", [SHK_REPLACEMENT] = "replacement"};

const char *const shp_state_names[SHP_STATE_COUNT + 1] = {
    [SHS_REQUESTED] = "requested", [SHS_ORDERED] = "ordered",   [SHS_HANDED_OVER] = "handed_over",
    [SHS_ON_HOLD] = "on_hold",     [SHS_RELEASED] = "released", [SHS_IN_TRANSIT] = "in_transit",
    [SHS_ARRIVED] = "arrived",     [SHS_RECEIVED] = "received", [SHS_CANCELLED] = "cancelled",
};

const char *const shp_action_names[SHP_ACTION_COUNT + 1] = {
    [SHA_ISSUE_ORDER] = "issue_order", [SHA_HAND_OVER] = "hand_over", [SHA_HOLD] = "hold",
    [SHA_INSTRUCT] = "instruct",       [SHA_RELEASE] = "release",     [SHA_DISPATCH] = "dispatch",
    [SHA_ARRIVE] = "arrive",           [SHA_RECEIVE] = "receive",     [SHA_CANCEL] = "cancel",
};

const char *const shp_hold_reason_names[3] = {"defect", "stock_out", NULL};

const char *shp_state_name(enum shp_state s)
{
    return (unsigned)s < SHP_STATE_COUNT ? shp_state_names[s] : "?";
}

const char *shp_action_name(enum shp_action a)
{
    return (unsigned)a < SHP_ACTION_COUNT ? shp_action_names[a] : "?";
}

bool shp_kind_parse(const char *s, enum shp_kind *out)
{
    int i;
    if (!fsm_parse(shp_kind_names, SHP_KIND_COUNT, s, &i))
        return false;
    *out = (enum shp_kind)i;
    return true;
}

bool shp_state_parse(const char *s, enum shp_state *out)
{
    int i;
    if (!fsm_parse(shp_state_names, SHP_STATE_COUNT, s, &i))
        return false;
    *out = (enum shp_state)i;
    return true;
}

bool shp_action_parse(const char *s, enum shp_action *out)
{
    int i;
    if (!fsm_parse(shp_action_names, SHP_ACTION_COUNT, s, &i))
        return false;
    *out = (enum shp_action)i;
    return true;
}

/* RULE WF-01 T2…T9 and X1 (FUR 2.1.3): finance issues the order, after-sales hands the
 * copies over, the warehouse holds (picking exception) or releases, sales or after-sales
 * instruct a held shipment, logistics dispatches, after-sales traces arrival and receipt. */
static const struct fsm_row TABLE[] = {
    {SHS_REQUESTED, SHA_ISSUE_ORDER, SHS_ORDERED, SHP_R_FINANCE},
    {SHS_ORDERED, SHA_HAND_OVER, SHS_HANDED_OVER, SHP_R_AFTER_SALES},
    {SHS_HANDED_OVER, SHA_HOLD, SHS_ON_HOLD, SHP_R_WAREHOUSE},
    {SHS_ON_HOLD, SHA_INSTRUCT, SHS_HANDED_OVER, RB(SALES) | SHP_R_AFTER_SALES},
    {SHS_HANDED_OVER, SHA_RELEASE, SHS_RELEASED, SHP_R_WAREHOUSE},
    {SHS_RELEASED, SHA_DISPATCH, SHS_IN_TRANSIT, RB(LOGISTICS) | RB(ADMIN)},
    {SHS_IN_TRANSIT, SHA_ARRIVE, SHS_ARRIVED, SHP_R_AFTER_SALES},
    {SHS_IN_TRANSIT, SHA_RECEIVE, SHS_RECEIVED, SHP_R_AFTER_SALES},
    {SHS_ARRIVED, SHA_RECEIVE, SHS_RECEIVED, SHP_R_AFTER_SALES},
    {SHS_REQUESTED, SHA_CANCEL, SHS_CANCELLED, RB(SALES) | SHP_R_AFTER_SALES},
    {SHS_ORDERED, SHA_CANCEL, SHS_CANCELLED, RB(SALES) | SHP_R_AFTER_SALES},
    {SHS_HANDED_OVER, SHA_CANCEL, SHS_CANCELLED, RB(SALES) | SHP_R_AFTER_SALES},
    {SHS_ON_HOLD, SHA_CANCEL, SHS_CANCELLED, RB(SALES) | SHP_R_AFTER_SALES},
};
#define NROWS (sizeof(TABLE) / sizeof(TABLE[0]))

static const struct fsm MACHINE = {"a shipment",    TABLE,           NROWS,
                                   shp_state_names, SHP_STATE_COUNT, shp_action_names,
                                   SHP_ACTION_COUNT};

enum sh_code shp_transition(enum shp_state st, enum shp_action action, unsigned roles,
                            enum shp_state *to, struct sh_err *err)
{
    int t;
    enum sh_code rc = fsm_transition(&MACHINE, (int)st, (int)action, roles, &t, err);
    if (!rc)
        *to = (enum shp_state)t;
    return rc;
}

int shp_allowed_actions(enum shp_state st, unsigned roles, enum shp_action out[SHP_ACTION_COUNT])
{
    int a[SHP_ACTION_COUNT];
    int n = fsm_allowed(&MACHINE, (int)st, roles, a);
    for (int i = 0; i < n; i++)
        out[i] = (enum shp_action)a[i];
    return n;
}

bool shp_lines_editable(enum shp_state st)
{
    return st == SHS_HANDED_OVER || st == SHS_ON_HOLD;
}

int shp_lines_missing(const struct shp_line_facts *lines, int n)
{
    /* RULE R-047: product number, production date and ship date for every unit */
    int missing = 0;
    for (int i = 0; i < n; i++)
        if (!lines[i].has_serial || !lines[i].has_production || !lines[i].has_ship)
            missing++;
    return missing;
}

/* The next pair of a carrier table: name and days text, trimmed; false at the end. */
static bool next_pair(const char **p, char *name, size_t nsize, char *days, size_t dsize)
{
    const char *s = *p;
    while (*s == ',' || *s == ' ')
        s++;
    if (!*s)
        return false;
    const char *end = strchr(s, ',');
    if (!end)
        end = s + strlen(s);
    *p = end;
    const char *eq = memchr(s, '=', (size_t)(end - s));
    const char *ne = eq ? eq : end;
    while (ne > s && ne[-1] == ' ')
        ne--;
    snprintf(name, nsize, "%.*s", (int)(ne - s), s);
    const char *ds = eq ? eq + 1 : end;
    while (ds < end && *ds == ' ')
        ds++;
    const char *de = end;
    while (de > ds && de[-1] == ' ')
        de--;
    snprintf(days, dsize, "%.*s", eq ? (int)(de - ds) : 0, ds);
    return true;
}

static int days_value(const char *t)
{
    if (!*t || strlen(t) > 3)
        return -1;
    for (const char *c = t; *c; c++)
        if (*c < '0' || *c > '9')
            return -1;
    int v = (int)strtol(t, NULL, 10);
    return v <= 365 ? v : -1;
}

int shp_carrier_days(const char *table, const char *carrier, int dflt)
{
    char name[128], days[16];
    const char *p = table ? table : "";
    while (carrier && next_pair(&p, name, sizeof(name), days, sizeof(days))) {
        int v = days_value(days);
        if (v >= 0 && *name && !strcmp(name, carrier))
            return v;
    }
    return dflt;
}

enum sh_code shp_carrier_table_check(const char *table, const char *field, struct sh_err *err)
{
    char name[128], days[16];
    const char *p = table ? table : "";
    while (next_pair(&p, name, sizeof(name), days, sizeof(days))) {
        if (*name && days_value(days) >= 0)
            continue;
        sh_err_field(err, SH_INVALID, field, "'%s' must be pairs name=days (0 to 365)", field);
        return sh_err_reason(err, "invalid_format", NULL);
    }
    return SH_OK;
}

bool shp_is_doa(struct sh_date received, struct sh_date reported, int days)
{
    /* RULE WF-08: failing within N days of receipt (default 15) is dead on arrival */
    int64_t r = sh_days_from_civil(received.y, received.m, received.d);
    int64_t f = sh_days_from_civil(reported.y, reported.m, reported.d);
    return f >= r && f - r <= days;
}
