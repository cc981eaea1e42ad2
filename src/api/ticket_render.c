/* SPDX-License-Identifier: MIT */
/* GET /api/v1/tickets/{id}: a ticket with its SLA targets and allowed actions. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "app/contract_reqs.h"
#include "app/shipments.h"
#include "base/date.h"
#include "domain/ticket.h"

/* ---- rendering a ticket with its SLA targets and allowed actions ---- */

static void kts(struct jw *w, const char *key, int64_t t)
{
    char ts[21];
    if (t == SLA_NO_TIME) {
        jw_knull(w, key);
        return;
    }
    sh_ts_format(t, ts);
    jw_kstr(w, key, ts);
}

/* One SLA target: live due, time used and state from the same evaluation the scanner uses;
 * the escalation level from the refresh that just stored it, or as stored (sla). */
static void render_clock(struct jw *w, const struct ticket_sla_view *v,
                         const struct ticket_sla_view *view, const struct db_rows *sla, int k,
                         int64_t now)
{
    const struct sla_clock_state *cs = &v->result.clock[k];
    const char *target = sla_clock_name((enum sla_clock)k);
    jw_obj_begin(w);
    jw_kstr(w, "target", target);
    jw_kstr(w, "state", sla_status_name(cs->status));
    kts(w, "started_at", cs->start);
    kts(w, "due_at", cs->due);
    kts(w, "done_at", cs->stop);
    jw_kint(w, "budget_seconds", cs->budget);
    jw_kint(w, "used_seconds", cs->used);
    if (!cs->completed && cs->due != SLA_NO_TIME)
        jw_kint(w, "seconds_left", cs->due - now);
    jw_kbool(w, "met", cs->status == SLA_MET);
    jw_kbool(w, "breached", cs->status == SLA_BREACHED);
    int64_t level = view && view->has_levels ? view->level[k] : 0;
    for (int i = 0; i < sla->nrows; i++)
        if (!strcmp(db_get(sla, i, "target"), target))
            level = db_get_int(sla, i, "escalation_level", 0);
    jw_kint(w, "escalation_level", level);
    jw_obj_end(w);
}

/* A dead-on-arrival ticket: its replacement shipments (WF-08), number and state. */
static enum sh_code render_replacements(struct api_ctx *c, struct db_tx *tx, int64_t id,
                                        struct jw *w, struct sh_err *e)
{
    const struct uc u = api_uc(c, tx);
    struct db_rows r;
    enum sh_code rc = uc_shipment_replacements(&u, id, &r, e);
    if (rc)
        return rc;
    jw_key(w, "replacement_shipments");
    jw_arr_begin(w);
    for (int i = 0; i < r.nrows; i++) {
        jw_obj_begin(w);
        jw_kint(w, "id", db_get_int(&r, i, "id", 0));
        jw_kstr(w, "number", db_get(&r, i, "number"));
        jw_kstr(w, "state", db_get(&r, i, "state"));
        jw_kstr(w, "created_at", db_get(&r, i, "created_at"));
        jw_obj_end(w);
    }
    jw_arr_end(w);
    return SH_OK;
}

/* the service requirements of the contract of the ticket's unit (issue 18 item 6). */
static enum sh_code render_contract_reqs(struct api_ctx *c, struct db_tx *tx,
                                         const struct db_rows *t, int64_t id, struct jw *w,
                                         struct sh_err *e)
{
    if (!db_get(t, 0, "unit_id"))
        return SH_OK; /* a ticket without a unit is on no contract: nothing to read */
    const struct uc u = api_uc(c, tx);
    const char *creq = NULL;
    enum sh_code rc = contract_reqs_of_ticket(&u, id, &creq, e);
    if (!rc && creq) {
        jw_key(w, "contract_requirements");
        jw_raw(w, creq);
    }
    return rc;
}

/* view: the SLA evaluation when the caller just made one (NULL: evaluate now). */
enum sh_code render_ticket(struct api_ctx *c, struct db_tx *tx, int64_t id,
                           const struct ticket_sla_view *view, struct sh_buf *out,
                           const char **version, struct sh_err *e)
{
    return render_ticket_row(c, tx, id, NULL, view, out, version, e);
}

enum sh_code render_ticket_row(struct api_ctx *c, struct db_tx *tx, int64_t id,
                               const struct db_rows *row, const struct ticket_sla_view *view,
                               struct sh_buf *out, const char **version, struct sh_err *e)
{
    struct db_rows t, sla;
    enum sh_code rc = SH_OK;
    if (row && ent_row_in_scope(c, &ent_tickets, row, 0))
        t = *row; /* as the caller just stored it */
    else if ((rc = load_ticket(c, tx, id, &t, e)))
        return rc;
    /* the escalation levels: from the refresh that just stored them, or as stored */
    sla.nrows = 0;
    if (!(view && view->has_levels) &&
        (rc = db_query(tx, c->a,
                       "SELECT target, escalation_level FROM ticket_sla WHERE ticket_id = $1",
                       DB_P(DB_INT(id)), &sla, e)))
        return rc;
    const char *obj = ent_json(c->a, &ent_tickets, &t, 0);
    if (!obj)
        return sh_err_set(e, SH_TOO_BIG, "ticket too large");
    sh_buf_reset(out);
    struct jw w;
    jw_init(&w, out);
    /* the row's fields, then the computed parts */
    size_t n = strlen(obj);
    if (sh_buf_add(out, obj, n - 1) != SH_OK)
        return sh_err_set(e, SH_TOO_BIG, "ticket too large");
    w.depth = 1;
    w.first[1] = false;
    jw_key(&w, "warranty");
    const char *wjs = db_get(&t, 0, "warranty_json"); /* t.* has it */
    if (wjs)
        jw_raw(&w, wjs);
    else
        jw_null(&w);
    /* per target: live due, time used and state from the same evaluation the scanner uses */
    jw_key(&w, "sla");
    jw_arr_begin(&w);
    int64_t now = sh_now();
    const struct ticket_sla_view *v = view;
    if (!v) {
        struct ticket_sla_view *nv = sh_arena_alloc(c->a, sizeof(*nv));
        if ((rc = ticket_sla_eval(c, tx, id, now, nv, e)))
            return rc;
        v = nv;
    }
    for (int k = 0; v->has_policy && k < SLA_CLOCK_COUNT; k++)
        if (v->result.clock[k].status != SLA_OFF)
            render_clock(&w, v, view, &sla, k, now);
    jw_arr_end(&w);
    jw_key(&w, "allowed_actions");
    jw_arr_begin(&w);
    enum ticket_type ty;
    enum ticket_state st;
    if (ticket_type_parse(db_get(&t, 0, "type"), &ty) &&
        ticket_state_parse(db_get(&t, 0, "status"), &st) && !db_get(&t, 0, "merged_into")) {
        enum ticket_action acts[TICKET_ACTION_COUNT];
        size_t na = ticket_allowed_actions(ty, st, c->who.roles, acts);
        for (size_t i = 0; i < na; i++)
            jw_str(&w, ticket_action_name(acts[i]));
    }
    jw_arr_end(&w);
    if (!strcmp(db_get(&t, 0, "type"), "doa") && (rc = render_replacements(c, tx, id, &w, e)))
        return rc;
    if ((rc = render_contract_reqs(c, tx, &t, id, &w, e)))
        return rc;
    w.depth = 0;
    if (sh_buf_addc(out, '}') != SH_OK || jw_finish(&w) != SH_OK)
        return sh_err_set(e, SH_TOO_BIG, "ticket too large");
    if (version)
        *version = db_get(&t, 0, "version");
    return SH_OK;
}

struct tget {
    struct api_ctx *c;
    int64_t id;
    struct sh_buf out;
    const char *version;
};

static enum sh_code tget_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct tget *g = arg;
    return render_ticket(g->c, tx, g->id, NULL, &g->out, &g->version, e);
}

void h_ticket_get(struct api_ctx *c)
{
    struct tget g = {.c = c};
    sh_buf_init(&g.out, 4 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if (api_param_id(c, 0, &g.id)) {
        if (db_read(c->app->db, tget_run, &g, &e)) {
            api_reply_err(c, &e);
        } else {
            http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%s\"", g.version));
            api_reply_json(c, 200, &g.out);
        }
    }
    sh_buf_release(&g.out);
}
