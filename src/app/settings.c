/* SPDX-License-Identifier: MIT */
#include "app/settings.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit_row.h"
#include "base/date.h"
#include "base/jw.h"
#include "domain/shipment.h"

enum sh_code uc_settings_get(const struct uc *u, struct setting_list *out, struct sh_err *e)
{
    return settings_load(u->tx, u->a, out, e);
}

const char *settings_json(struct sh_arena *a, const struct setting_list *s)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_key(&w, "items");
    jw_arr_begin(&w);
    for (int i = 0; i < s->n; i++) {
        const struct setting *x = &s->items[i];
        jw_obj_begin(&w);
        jw_kstr(&w, "key", x->key);
        jw_kstr(&w, "type", x->type);
        jw_key(&w, "value");
        if (!strcmp(x->type, "text"))
            jw_str(&w, x->value);
        else
            jw_raw(&w, x->value); /* true/false or digits, as stored */
        jw_kstr(&w, "updated_at", x->updated_at);
        if (x->updated_by)
            jw_kint(&w, "updated_by", x->updated_by);
        else
            jw_knull(&w, "updated_by");
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "version", s->version);
    jw_obj_end(&w);
    const char *out = jw_finish(&w) == SH_OK ? sh_arena_strdup(a, b.buf) : NULL;
    sh_buf_release(&b);
    return out;
}

static const struct setting *find(const struct setting_list *s, const char *key)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->items[i].key, key))
            return &s->items[i];
    return NULL;
}

/* The whole numbers a setting may take (keys not listed: any). */
static const struct {
    const char *key;
    long min, max;
} int_ranges[] = {
    /* the appointment policy (R-197, issue 11): minutes */
    {"appointment_tolerance_min", 0, 240},
    {"appointment_early_target_min", 0, 60},
    {"appointment_notice_lead_min", 0, 1440},
    {"appointment_precall_min", 0, 1440},
    {"appointment_duration_min", 1, 1440},
    /* shipments (issue 12): days to the expected arrival; the dead-on-arrival window */
    {"shipment_arrival_days", 0, 365},
    {"doa_days", 0, 365},
    /* issue 12 item 2: the installation deadline in working days */
    {"install_deadline_workdays", 1, 365},
    /* delivery of the outbox (issue 15): failures before dead letter, first back-off */
    {"notify_max_attempts", 1, 50},
    {"notify_retry_base_seconds", 1, 86400},
    /* the follow-up task of a periodic visit's opinions (WF-10 S5): days */
    {"visit_follow_up_days", 1, 365},
    /* quotes (issue 13 item 5): the amount above which a quote is approved first (fen, -1:
     * never), the days a quote is valid */
    {"quote_approval_above_fen", -1, 100000000000L},
    {"quote_valid_days", 1, 365},
    /* review 72 #11: what a customer or dealer account uploads (ticket_attach.c) */
    {"external_attachments_per_ticket", 0, 10000},
    {"external_upload_bytes_per_day", 0, 100000000000L},
};

/* The text settings that take one of a few words (issue 12 item 5, R-136). */
static enum sh_code check_word(const struct setting_change *c, struct sh_err *e)
{
    if (strcmp(c->key, SETTING_WARRANTY_START_EVENT) || !strcmp(c->value, "install") ||
        !strcmp(c->value, "acceptance") || !strcmp(c->value, "ship"))
        return SH_OK;
    sh_err_field(e, SH_INVALID, c->key, "'%s' is install, acceptance or ship", c->key);
    return sh_err_reason(e, "invalid_format",
                         "{\"allowed\":[\"install\",\"acceptance\",\"ship\"]}");
}

static enum sh_code check_range(const struct setting_change *c, struct sh_err *e)
{
    for (size_t i = 0; i < sizeof(int_ranges) / sizeof(int_ranges[0]); i++) {
        if (strcmp(int_ranges[i].key, c->key))
            continue;
        long v = strtol(c->value, NULL, 10);
        if (v >= int_ranges[i].min && v <= int_ranges[i].max)
            return SH_OK;
        sh_err_field(e, SH_INVALID, c->key, "'%s' must be between %ld and %ld", c->key,
                     int_ranges[i].min, int_ranges[i].max);
        return sh_err_reason(e, "out_of_range", "{\"min\":%ld,\"max\":%ld}", int_ranges[i].min,
                             int_ranges[i].max);
    }
    return SH_OK;
}

static enum sh_code check_change(const struct setting_list *cur, const struct setting_change *c,
                                 struct sh_err *e)
{
    const struct setting *s = find(cur, c->key);
    if (!s) {
        sh_err_field(e, SH_INVALID, c->key, "there is no setting '%s'", c->key);
        return sh_err_reason(e, "unknown_field", NULL);
    }
    if (strcmp(s->type, c->type)) {
        sh_err_field(e, SH_INVALID, c->key, "'%s' takes a %s value", c->key,
                     !strcmp(s->type, "bool")  ? "true or false"
                     : !strcmp(s->type, "int") ? "whole number"
                                               : "text");
        return sh_err_reason_str1(e, "invalid_format", "type", s->type);
    }
    if (!strcmp(c->key, "shipment_carrier_days"))
        return shp_carrier_table_check(c->value, c->key, e);
    return !strcmp(s->type, "int") ? check_range(c, e) : check_word(c, e);
}

enum sh_code uc_settings_update(const struct uc *u, const struct settings_update_in *in,
                                struct setting_list *out, struct sh_err *e)
{
    struct setting_list cur;
    enum sh_code rc = settings_load(u->tx, u->a, &cur, e);
    if (rc)
        return rc;
    if (in->if_match >= 0 && in->if_match != cur.version) {
        sh_err_set(e, SH_PRECONDITION, "the settings were changed by someone else: reload");
        return sh_err_reason(e, "stale", NULL);
    }
    if (in->n == 0) {
        sh_err_set(e, SH_INVALID, "send at least one setting to change");
        return sh_err_reason(e, "required", NULL);
    }
    for (int i = 0; i < in->n; i++)
        if ((rc = check_change(&cur, &in->items[i], e)))
            return rc;
    char at[21];
    sh_ts_format(u->now, at);
    for (int i = 0; i < in->n; i++)
        if ((rc = settings_store(u->tx, in->items[i].key, in->items[i].value, at,
                                 u->who ? u->who->user_id : 0, e)))
            return rc;
    if ((rc = settings_load(u->tx, u->a, out, e)))
        return rc;
    return uc_audit(u, "settings", 0, "update", settings_json(u->a, &cur), settings_json(u->a, out),
                    e);
}
