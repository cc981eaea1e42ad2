/* SPDX-License-Identifier: MIT */
/* Dealers' installation applications: the actions (answer in FIFO order, not supported, the
 * agreement F-16 with the cabinet_install fee, the dealer's confirmation, the trip, cancel)
 * and the guard on the linked trip's departure (app/dealer_apps.h). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/dealer_apps.h"
#include "app/fees.h"
#include "app/notify_events.h"
#include "app/sla.h"
#include "base/date.h"

/* The columns an action changes. */
struct dstate {
    const char *status, *answered_at, *answer_note, *queue_note, *agreement_due_at,
        *agreement_sent_at, *order_no, *departure_date, *fee_lines, *confirm_due_at, *confirmed_at,
        *dispatched_at, *price_fen, *install_fee_fen, *management_fee_fen, *fee_fen,
        *fee_version_id;
    int64_t answered_by, agreement_by, confirmed_by, trip_id, appliances, accessories;
    bool out_of_order;
};

static void state_read(const struct db_rows *r, struct dstate *s)
{
    *s = (struct dstate){
        .status = db_get(r, 0, "status"),
        .answered_at = db_get(r, 0, "answered_at"),
        .answer_note = db_get(r, 0, "answer_note"),
        .queue_note = db_get(r, 0, "queue_note"),
        .agreement_due_at = db_get(r, 0, "agreement_due_at"),
        .agreement_sent_at = db_get(r, 0, "agreement_sent_at"),
        .order_no = db_get(r, 0, "order_no"),
        .departure_date = db_get(r, 0, "departure_date"),
        .fee_lines = db_get(r, 0, "fee_lines"),
        .confirm_due_at = db_get(r, 0, "confirm_due_at"),
        .confirmed_at = db_get(r, 0, "confirmed_at"),
        .dispatched_at = db_get(r, 0, "dispatched_at"),
        .price_fen = db_get(r, 0, "price_fen"),
        .install_fee_fen = db_get(r, 0, "install_fee_fen"),
        .management_fee_fen = db_get(r, 0, "management_fee_fen"),
        .fee_fen = db_get(r, 0, "fee_fen"),
        .fee_version_id = db_get(r, 0, "fee_version_id"),
        .answered_by = db_get_int(r, 0, "answered_by", 0),
        .agreement_by = db_get_int(r, 0, "agreement_by", 0),
        .confirmed_by = db_get_int(r, 0, "confirmed_by", 0),
        .trip_id = db_get_int(r, 0, "trip_id", 0),
        .appliances = db_get_int(r, 0, "appliances", 0),
        .accessories = db_get_int(r, 0, "accessories", 0),
        .out_of_order = db_get_int(r, 0, "out_of_order", 0) != 0,
    };
}

static struct db_val opt_id(int64_t v)
{
    return v ? DB_INT(v) : DB_NULL;
}

static enum sh_code state_write(const struct uc *u, int64_t id, int64_t version,
                                const struct dstate *s, struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
    int64_t changed = 0;
    enum sh_code rc = db_exec(
        u->tx,
        "UPDATE dealer_applications SET status = $1, answered_by = $2, answered_at = $3, "
        "answer_note = $4, out_of_order = $5, queue_note = $6, agreement_due_at = $7, "
        "agreement_sent_at = $8, agreement_by = $9, order_no = $10, price_fen = $11, appliances "
        "= $12, accessories = $13, departure_date = $14, install_fee_fen = $15, "
        "management_fee_fen = $16, fee_fen = $17, fee_version_id = $18, fee_lines = $19, "
        "confirm_due_at = $20, confirmed_at = $21, confirmed_by = $22, trip_id = $23, "
        "dispatched_at = $24, updated_at = $25, version = version + 1 WHERE id = $26 AND "
        "version = $27",
        DB_P(DB_TEXT(s->status), opt_id(s->answered_by), DB_TEXT(s->answered_at),
             DB_TEXT(s->answer_note ? s->answer_note : ""), DB_INT(s->out_of_order),
             DB_TEXT(s->queue_note ? s->queue_note : ""), DB_TEXT(s->agreement_due_at),
             DB_TEXT(s->agreement_sent_at), opt_id(s->agreement_by),
             DB_TEXT(s->order_no ? s->order_no : ""),
             s->price_fen ? DB_INT(strtoll(s->price_fen, NULL, 10)) : DB_NULL,
             DB_INT(s->appliances), DB_INT(s->accessories), DB_TEXT(s->departure_date),
             s->install_fee_fen ? DB_INT(strtoll(s->install_fee_fen, NULL, 10)) : DB_NULL,
             s->management_fee_fen ? DB_INT(strtoll(s->management_fee_fen, NULL, 10)) : DB_NULL,
             s->fee_fen ? DB_INT(strtoll(s->fee_fen, NULL, 10)) : DB_NULL,
             s->fee_version_id ? DB_INT(strtoll(s->fee_version_id, NULL, 10)) : DB_NULL,
             DB_TEXT(s->fee_lines ? s->fee_lines : ""), DB_TEXT(s->confirm_due_at),
             DB_TEXT(s->confirmed_at), opt_id(s->confirmed_by), opt_id(s->trip_id),
             DB_TEXT(s->dispatched_at), DB_TEXT(now), DB_INT(id), DB_INT(version)),
        &changed, e);
    if (rc)
        return rc;
    if (changed != 1) {
        sh_err_set(e, SH_PRECONDITION, "application %" PRId64 " was changed concurrently", id);
        return sh_err_reason(e, "stale", NULL);
    }
    return SH_OK;
}

static enum sh_code need(struct sh_err *e, const char *field, const char *what)
{
    sh_err_field(e, SH_INVALID, field, "%s", what);
    return sh_err_reason(e, "required", NULL);
}

static char *ts(const struct uc *u, int64_t t)
{
    char *s = sh_arena_alloc(u->a, 21);
    if (s)
        sh_ts_format(t, s);
    return s;
}

/* RULE R-075, A-choice (docs/dealer-applications.md): answers go in order of submission.
 * Answering while earlier applications still wait is allowed but flagged (out_of_order),
 * and needs a queue_note saying why (422 required, params.ahead = how many wait before). */
static enum sh_code answer(const struct uc *u, const struct dapp_act_in *in,
                           const struct db_rows *r, struct dstate *s, struct sh_err *e)
{
    if (in->action == DAA_REFUSE && (!in->note || !*in->note))
        return need(e, "note", "a refusal needs a reason");
    struct db_rows q;
    const char *at = db_get(r, 0, "submitted_at");
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT COUNT(*) AS n FROM dealer_applications WHERE status = "
                               "'submitted' AND (submitted_at < $1 OR (submitted_at = $1 AND id "
                               "< $2))",
                               DB_P(DB_TEXT(at), DB_INT(in->id)), &q, e);
    if (rc)
        return rc;
    int64_t ahead = db_get_int(&q, 0, "n", 0);
    if (ahead > 0 && (!in->queue_note || !*in->queue_note)) {
        sh_err_field(e, SH_INVALID, "queue_note",
                     "%" PRId64 " earlier application(s) still wait: say why this one goes first",
                     ahead);
        return sh_err_reason(e, "required", "{\"ahead\":%" PRId64 "}", ahead);
    }
    s->out_of_order = ahead > 0;
    s->queue_note = ahead > 0 ? in->queue_note : "";
    s->answered_by = u->who->user_id;
    s->answered_at = ts(u, u->now);
    s->answer_note = in->note ? in->note : "";
    if (in->action == DAA_APPROVE) {
        struct calendar *cal = sh_arena_alloc(u->a, sizeof(*cal));
        if ((rc = uc_company_calendar(u, cal, e)))
            return rc;
        s->agreement_due_at = ts(u, dapp_workdays_end(cal, u->now, 2));
    }
    return SH_OK;
}

static const char *line_sum(const struct uc *u, const struct fee_calc_out *o, const char *code)
{
    int64_t sum = 0;
    for (int i = 0; i < o->result.nlines; i++) {
        const struct fee_line *l = &o->result.lines[i];
        if (l->applied && !l->info && !strcmp(o->rules.comps[l->comp].code, code))
            sum += l->amount;
    }
    return sh_arena_printf(u->a, "%" PRId64, sum);
}

/* RULE R-137…R-140 (item 1's cabinet_install rule set, the version in effect today): the
 * installation fee by series, × 1.2 for a sample order or 20 sets or fewer, the pieces, and
 * the management fee the dealer pays; stored with the version. */
static enum sh_code agreement_fee(const struct uc *u, const struct dapp_act_in *in,
                                  const struct db_rows *r, struct dstate *s, struct sh_err *e)
{
    json_t *pieces = json_object();
    if (in->appliances > 0)
        json_object_set_new(pieces, DAPP_PIECE_APPL, json_integer(in->appliances));
    if (in->accessories > 0)
        json_object_set_new(pieces, DAPP_PIECE_ACCESS, json_integer(in->accessories));
    json_t *inputs =
        json_pack("{s:I, s:s, s:I, s:b, s:o}", "price_fen", (json_int_t)in->price_fen, "series",
                  db_get(r, 0, "series"), "sets", (json_int_t)db_get_int(r, 0, "sets", 1),
                  "sample_order", db_get_int(r, 0, "sample_order", 0) != 0, "pieces", pieces);
    struct fee_calc_out o;
    struct fee_calc_in ci = {.code = DAPP_FEE_SET, .inputs = inputs};
    enum sh_code rc = uc_fee_calculate(u, &ci, &o, e);
    json_decref(inputs);
    if (rc) {
        if (!strncmp(e->field, "inputs.", 7))
            memmove(e->field, e->field + 7, strlen(e->field + 7) + 1);
        return rc;
    }
    s->install_fee_fen = line_sum(u, &o, "install");
    s->management_fee_fen = line_sum(u, &o, "management");
    s->fee_fen = sh_arena_printf(u->a, "%" PRId64, o.result.total);
    s->fee_version_id = sh_arena_printf(u->a, "%" PRId64, o.version.id);
    const char *js = fee_calc_json(u->a, &o);
    s->fee_lines = js ? js : "";
    return SH_OK;
}

/* RULE R-124, F-16: the order, its standard price, the departure; the confirmation is due by
 * the end of the working day before departure. */
static enum sh_code agreement(const struct uc *u, const struct dapp_act_in *in,
                              const struct db_rows *r, struct dstate *s, struct sh_err *e)
{
    if (!in->order_no || !*in->order_no)
        return need(e, "order_no", "the agreement names the order");
    if (!in->has_price)
        return need(e, "price_fen", "the agreement needs the order's standard sale price");
    if (!in->departure_date)
        return need(e, "departure_date", "the agreement names the departure date");
    struct calendar *cal = sh_arena_alloc(u->a, sizeof(*cal));
    enum sh_code rc = uc_company_calendar(u, cal, e);
    if (rc)
        return rc;
    struct sh_date dep;
    char today[11];
    sh_date_format(cal_local_date(cal, u->now), today);
    if (!sh_date_parse(in->departure_date, &dep) || strcmp(in->departure_date, today) < 0) {
        sh_err_field(e, SH_INVALID, "departure_date", "the departure date has passed");
        return sh_err_reason(e, "out_of_range", "{\"min\":\"%s\"}", today);
    }
    if ((rc = agreement_fee(u, in, r, s, e)))
        return rc;
    s->order_no = in->order_no;
    s->price_fen = sh_arena_printf(u->a, "%" PRId64, in->price_fen);
    s->appliances = in->appliances;
    s->accessories = in->accessories;
    s->departure_date = in->departure_date;
    s->agreement_sent_at = ts(u, u->now);
    s->agreement_by = u->who->user_id;
    s->confirm_due_at = ts(u, dapp_confirm_due(cal, dep));
    s->confirmed_at = NULL;
    s->confirmed_by = 0;
    return SH_OK;
}

static enum sh_code assign_trip(const struct uc *u, const struct dapp_act_in *in, struct dstate *s,
                                struct sh_err *e)
{
    if (in->trip_id <= 0)
        return need(e, "trip_id", "name the trip");
    struct db_rows t;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT status FROM trips WHERE id = $1",
                               DB_P(DB_INT(in->trip_id)), &t, e);
    if (rc)
        return rc;
    if (!t.nrows) {
        sh_err_field(e, SH_INVALID, "trip_id", "no trip %" PRId64, in->trip_id);
        return sh_err_reason(e, "unknown_reference", NULL);
    }
    if (strcmp(db_get(&t, 0, "status"), "planned")) {
        sh_err_field(e, SH_CONFLICT, "trip_id", "the trip is no longer planned");
        return sh_err_reason(e, "illegal_action", "{\"trip_status\":\"%s\"}",
                             db_get(&t, 0, "status"));
    }
    s->trip_id = in->trip_id;
    return SH_OK;
}

static enum sh_code apply(const struct uc *u, const struct dapp_act_in *in, const struct db_rows *r,
                          struct dstate *s, struct sh_err *e)
{
    switch (in->action) {
    case DAA_APPROVE:
    case DAA_REFUSE:
        return answer(u, in, r, s, e);
    case DAA_NOT_SUPPORTED:
    case DAA_CANCEL:
        if (!in->note || !*in->note)
            return need(e, "note", "say why");
        s->answer_note = in->note;
        return SH_OK;
    case DAA_SEND_AGREEMENT:
        return agreement(u, in, r, s, e);
    case DAA_CONFIRM:
        s->confirmed_at = ts(u, u->now);
        s->confirmed_by = u->who->user_id;
        return SH_OK;
    case DAA_ASSIGN_TRIP:
        return assign_trip(u, in, s, e);
    case DAPP_ACTION_COUNT:
        break;
    }
    return sh_err_set(e, SH_INVALID, "unknown action");
}

/* R-123…R-125: the dealer hears of the answer and the agreement (the company's templates
 * dealer_app_approved, dealer_app_refused, dealer_agreement_sent): the dealer account that
 * filed it, or the dealer's customer record (its channel) when after-sales filed on its
 * behalf; r is the application after the action. */
static enum sh_code tell_dealer(const struct uc *u, enum dapp_action act, const struct db_rows *r,
                                struct sh_err *e)
{
    int64_t dealer = db_get_int(r, 0, "dealer_id", 0);
    struct db_rows acc;
    enum sh_code rc =
        db_query(u->tx, u->a,
                 "SELECT id FROM users WHERE id = $1 AND customer_id = $2 AND active "
                 "= 1",
                 DB_P(DB_INT(db_get_int(r, 0, "submitted_by", 0)), DB_INT(dealer)), &acc, e);
    if (rc)
        return rc;
    struct notify_to to = {.user_id = acc.nrows ? db_get_int(&acc, 0, "id", 0) : 0,
                           .customer_id = acc.nrows ? 0 : dealer};
    const char *project = db_get(r, 0, "project_name");
    char fee[32];
    fee_fen_format(db_get_int(r, 0, "fee_fen", 0), fee);
    if (act == DAA_APPROVE) {
        const struct notify_var v[] = {
            {"project", project},
            {"agreement_due", notify_local_text(u->a, db_get(r, 0, "agreement_due_at"))}};
        return uc_notify_event(u, "dealer_app_approved", &to, v, 2, NULL, e);
    }
    if (act == DAA_REFUSE || act == DAA_NOT_SUPPORTED) {
        const struct notify_var v[] = {{"project", project},
                                       {"reason", db_get(r, 0, "answer_note")}};
        return uc_notify_event(u, "dealer_app_refused", &to, v, 2, NULL, e);
    }
    if (act != DAA_SEND_AGREEMENT)
        return SH_OK;
    const struct notify_var v[] = {
        {"project", project},
        {"order_no", db_get(r, 0, "order_no")},
        {"departure_date", db_get(r, 0, "departure_date")},
        {"fee", fee},
        {"confirm_due", notify_local_text(u->a, db_get(r, 0, "confirm_due_at"))}};
    return uc_notify_event(u, "dealer_agreement_sent", &to, v, 5, NULL, e);
}

enum sh_code uc_dealer_app_act(const struct uc *u, const struct dapp_act_in *in, const char **json,
                               struct sh_err *e)
{
    const struct entity *ent = &ent_dealer_applications;
    struct db_rows r;
    enum sh_code rc = uc_ent_load_visible(u, ent, in->id, &r, e);
    if (rc)
        return rc;
    int64_t version = db_get_int(&r, 0, "version", 0);
    if (in->if_match >= 0 && in->if_match != version) {
        sh_err_set(e, SH_PRECONDITION, "the application was changed by someone else: reload");
        return sh_err_reason(e, "stale", NULL);
    }
    enum dapp_status st, to;
    if (!dapp_status_parse(db_get(&r, 0, "status"), &st))
        return sh_err_set(e, SH_INTERNAL, "stored application has an unknown status");
    if ((rc = dapp_transition(st, in->action, u->who->roles, &to, e)))
        return rc;
    struct dstate s;
    state_read(&r, &s);
    s.status = dapp_status_name(to);
    if ((rc = apply(u, in, &r, &s, e)) || (rc = state_write(u, in->id, version, &s, e)))
        return rc;
    const char *before = ent_json(u->a, ent, &r, 0);
    if ((rc = ent_load(u->tx, u->a, ent, in->id, &r, e)) ||
        (rc = tell_dealer(u, in->action, &r, e)))
        return rc;
    *json = ent_json(u->a, ent, &r, 0);
    return uc_audit(u, "dealer_application", in->id, dapp_action_names[in->action], before, *json,
                    e);
}

static enum sh_code guard(struct sh_err *e, int64_t id, bool late)
{
    sh_err_set(e, SH_CONFLICT,
               late ? "the dealer confirmed the agreement of application %" PRId64
                      " after the working day before departure"
                    : "the dealer has not confirmed the agreement of application %" PRId64,
               id);
    return sh_err_reason(e, "guard",
                         "{\"guard\":\"dealer_confirmation\",\"application_id\":%" PRId64
                         ",\"late\":%s}",
                         id, late ? "true" : "false");
}

enum sh_code uc_dealer_app_depart(const struct uc *u, int64_t trip_id,
                                  const char *planned_departure_at, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id, status, confirmed_at FROM dealer_applications WHERE "
                               "trip_id = $1 AND status IN ('approved', 'agreement_sent', "
                               "'confirmed') ORDER BY id",
                               DB_P(DB_INT(trip_id)), &r, e);
    if (rc || !r.nrows)
        return rc;
    struct calendar *cal = sh_arena_alloc(u->a, sizeof(*cal));
    if ((rc = uc_company_calendar(u, cal, e)))
        return rc;
    int64_t dep = u->now, done = 0;
    if (planned_departure_at)
        sh_ts_parse(planned_departure_at, &dep);
    int64_t due = dapp_confirm_due(cal, cal_local_date(cal, dep));
    for (int i = 0; i < r.nrows; i++) {
        int64_t id = db_get_int(&r, i, "id", 0);
        if (strcmp(db_get(&r, i, "status"), "confirmed"))
            return guard(e, id, false);
        if (!sh_ts_parse(db_get(&r, i, "confirmed_at"), &done) || done > due)
            return guard(e, id, true);
    }
    char now[21];
    sh_ts_format(u->now, now);
    return db_exec(u->tx,
                   "UPDATE dealer_applications SET status = 'dispatched', dispatched_at = $1, "
                   "updated_at = $1, version = version + 1 WHERE trip_id = $2 AND status = "
                   "'confirmed'",
                   DB_P(DB_TEXT(now), DB_INT(trip_id)), NULL, e);
}
