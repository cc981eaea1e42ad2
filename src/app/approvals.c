/* SPDX-License-Identifier: MIT */
/* Market-support approvals (app/approvals.h): the approval matrix and the requests on the
 * entity engine, the decision and the guard's fact. */
#include "app/notify_senders.h"
#include "app/approvals.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/quotes.h"
#include "app/resources.h"
#include "app/sla.h"
#include "app/ticket_entities.h"
#include "app/ticket_events.h"
#include "base/date.h"

/* quote: a quote above the company's amount (issue 13 item 5, app/quote_send.c);
 * replacement: a product replacement (WF-06, R-065; docs/rma.md), approved before the factory
 * replaces a returned unit */
static const char *const kinds[] = {"installation", "onsite_repair", "training", "quote",
                                    "replacement",  "other",         NULL};
static const char *const statuses[] = {"pending", "approved", "rejected", NULL};
/* the staff roles an approval may be bound to */
static const char *const approver_roles[] = {
    "admin",     "gm",         "dept_head",  "agent", "sales",      "finance", "logistics",
    "warehouse", "dispatcher", "technician", "qc",    "purchasing", NULL};

static struct fval *slot(struct ent_write *w, const char *name)
{
    int i = ent_colidx(w->ent, name);
    return i >= 0 ? &w->vals[i] : NULL;
}

static const char *val(struct ent_write *w, const char *name)
{
    const struct fval *v = slot(w, name);
    return v && v->present && !v->is_null ? v->text : NULL;
}

static void set(struct ent_write *w, const char *name, const char *text)
{
    struct fval *v = slot(w, name);
    if (!v)
        return;
    v->present = true;
    v->is_null = text == NULL;
    v->text = text;
}

/* ---- the approval matrix ---- */

static const struct col rule_cols[] = {
    COMMON_COLS,
    {"kind", F_ENUM, COL_REQUIRED | COL_FILTER | COL_SORT, 0, kinds, 0, 0, NULL},
    {"approver_role", F_ENUM, COL_NULLABLE | COL_FILTER, 0, approver_roles, 0, 0, NULL},
    {"approver_user_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"deputy_user_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"approver_away", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"note", F_TEXT, 0, 500, NULL, 0, 0, NULL},
};

/* RULE A-04: a rule names exactly one approver, a role or a user; the deputy is someone else. */
static enum sh_code rule_before(struct ent_write *w, struct sh_err *e)
{
    const char *role = val(w, "approver_role"), *user = val(w, "approver_user_id");
    const char *deputy = val(w, "deputy_user_id");
    if (!role == !user) {
        sh_err_field(e, SH_INVALID, "approver_role",
                     "name the approver: either approver_role or approver_user_id");
        return sh_err_reason(e, "required",
                             "{\"one_of\":[\"approver_role\",\"approver_user_id\"]}");
    }
    if (deputy && user && !strcmp(deputy, user)) {
        sh_err_field(e, SH_INVALID, "deputy_user_id", "the deputy is the approver");
        return sh_err_reason(e, "same_person", NULL);
    }
    return SH_OK;
}

const struct entity ent_approval_rules = {
    .name = "approval_rule",
    .table = "approval_rules",
    .cols = rule_cols,
    .ncols = NCOLS(rule_cols),
    .label_col = "kind",
    .default_sort = "kind",
    .before_write = rule_before,
};

/* ---- the requests ---- */

static const struct col approval_cols[] = {
    COMMON_COLS,
    {"kind", F_ENUM, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, kinds, 0, 0, NULL},
    {"purpose", F_TEXT, COL_REQUIRED, 1000, NULL, 0, 0, NULL},
    {"customer_id", F_ID, COL_REQUIRED | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"site", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"units", F_TEXT, 0, 1000, NULL, 0, 0, NULL},
    {"technicians", F_INT, 0, 0, NULL, 1, 50, NULL},
    {"trip_days", F_INT, 0, 0, NULL, 1, 365, NULL},
    {"cost_fen", F_MONEY, 0, 0, NULL, 0, 1e12, NULL},
    {"ticket_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_tickets},
    {"status", F_ENUM, COL_READONLY | COL_DERIVED | COL_FILTER | COL_SORT, 0, statuses, 0, 0, NULL},
    {"rule_id", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"approver_role", F_ENUM, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0,
     approver_roles, 0, 0, NULL},
    {"approver_user_id", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0,
     0, &ent_users},
    {"requested_by", F_ID, COL_READONLY | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0,
     &ent_users},
    {"decision_due_at", F_TS, COL_READONLY | COL_DERIVED | COL_SORT | COL_RANGE, 0, NULL, 0, 0,
     NULL},
    {"decided_by", F_ID, COL_READONLY | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"decided_at", F_TS, COL_READONLY | COL_NULLABLE | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"comment", F_TEXT, COL_READONLY, 2000, NULL, 0, 0, NULL},
};

/* RULE A-04: who may decide a request t, written once as SQL over t with ME standing for the
 * caller's user id: the inbox's view says it with {me}, the decision asks it of the database
 * with $2 (may_decide), so the list and the decision cannot disagree.
 *
 * NAMED_O / LEVEL_O: an active user o whom the request names (its user, or a holder of its
 * role), one who holds the next level (gm or admin); OTHER_O: such a user other than the
 * requester. */
#define NAMED_O                                                                                    \
    "(o.id = t.approver_user_id OR (t.approver_user_id IS NULL AND (',' || o.roles || ',') LIKE "  \
    "('%,' || t.approver_role || ',%')))"
#define LEVEL_O                                                                                    \
    "((',' || o.roles || ',') LIKE '%,gm,%' OR (',' || o.roles || ',') LIKE '%,admin,%')"
#define OTHER_O(cond)                                                                              \
    "EXISTS (SELECT 1 FROM users o WHERE o.active = 1 AND o.id <> COALESCE(t.requested_by, 0) "    \
    "AND " cond ")"
/* ME would decide it, were they not its requester: the named user, a holder of the named role,
 * the rule's deputy while the approver is away, or the next level (gm, admin) when nobody but
 * the requester is named. */
#define WOULD_DECIDE(ME)                                                                           \
    "(EXISTS (SELECT 1 FROM users o WHERE o.id = " ME " AND o.active = 1 AND (" NAMED_O            \
    " OR (" LEVEL_O " AND NOT " OTHER_O(                                                           \
        NAMED_O) "))) OR EXISTS (SELECT 1 FROM approval_rules r "                                  \
                 "WHERE r.id = t.rule_id AND r.approver_away = 1 AND r.deputy_user_id = " ME "))"
/* ... and it is not their own request, unless nobody else at all could decide it: no other
 * active user is named or holds gm or admin (a one-person company). */
#define MAY_DECIDE(ME)                                                                             \
    "(" WOULD_DECIDE(ME) " AND (COALESCE(t.requested_by, 0) <> " ME                                \
                         " OR NOT " OTHER_O("(" NAMED_O " OR " LEVEL_O ")") "))"

/* The inbox: pending requests the caller may decide (MAY_DECIDE). Overdue: pending past the
 * decision's working day. */
static const struct list_view approval_views[] = {
    {"inbox", "mine", "t.status = 'pending' AND " MAY_DECIDE("{me}")},
    {"overdue", "true", "t.status = 'pending' AND t.decision_due_at < {now}"},
    {"mine", "true", "t.requested_by = {me}"},
    {NULL, NULL, NULL},
};

/* RULE R-051: one working day of the company calendar (setting approval_calendar, a
 * calendars.code; 24 hours when it names none): the longest day of a calendar with office
 * hours, 24 hours of a round-the-clock one. */
static int64_t working_day(const struct calendar *cal)
{
    if (cal->kind != CAL_HOURS)
        return CAL_DAY_SECONDS;
    int64_t best = 0;
    for (int d = 0; d < 7; d++) {
        int64_t s = 0;
        for (size_t i = 0; i < cal->week[d].n; i++)
            s += cal->week[d].iv[i].end - cal->week[d].iv[i].start;
        if (s > best)
            best = s;
    }
    return best ? best : CAL_DAY_SECONDS;
}

static enum sh_code decision_due(const struct uc *u, int64_t *due, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT c.id FROM calendars c JOIN settings s ON s.key = "
                               "'approval_calendar' AND s.value = c.code",
                               DB_NOP, &r, e);
    if (rc)
        return rc;
    *due = u->now + CAL_DAY_SECONDS;
    if (!r.nrows)
        return SH_OK;
    struct calendar *cal = sh_arena_alloc(u->a, sizeof(*cal));
    if ((rc = calendar_load(u->tx, u->a, db_get_int(&r, 0, "id", 0), u->now, cal, e)))
        return rc;
    return cal_add_business(cal, u->now, working_day(cal), due, e);
}

/* A new request: pending, filed by the caller, for the approver the matrix names. */
/* The ticket a request is for is its customer's: an approval for one customer does not
 * unlock another customer's visit (400 other_customer on ticket_id). */
static enum sh_code same_customer(struct ent_write *w, struct sh_err *e)
{
    const char *ticket = val(w, "ticket_id");
    if (!ticket)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(w->u->tx, w->u->a, "SELECT customer_id FROM tickets WHERE id = $1",
                               DB_P(DB_TEXT(ticket)), &r, e);
    if (rc || !r.nrows)
        return rc;
    const char *cust = db_get(&r, 0, "customer_id"), *want = val(w, "customer_id");
    if (!cust || !want || !strcmp(cust, want))
        return SH_OK;
    sh_err_field(e, SH_INVALID, "ticket_id", "the ticket is another customer's");
    return sh_err_reason(e, "other_customer", NULL);
}

/* RULE A-04 (segregation of duties): the requester does not decide their own request. When
 * the rule names only them (the named user, or a role no other active user holds), the
 * request goes to the next level, the general manager (and past a lone gm to admin when
 * deciding: may_decide). */
static enum sh_code past_requester(const struct uc *u, const char **role, const char **user,
                                   struct sh_err *e)
{
    int64_t me = u->who->user_id;
    if (!me || (!*user && !*role))
        return SH_OK;
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a,
                 *user ? "SELECT count(*) AS n FROM users o WHERE o.active = 1 AND o.id <> $1 AND "
                         "o.id = $2"
                       : "SELECT count(*) AS n FROM users o WHERE o.active = 1 AND o.id <> $1 AND "
                         "(',' || o.roles || ',') LIKE $2",
                 DB_P(DB_INT(me), *user ? DB_INT(strtoll(*user, NULL, 10))
                                        : DB_TEXT(sh_arena_printf(u->a, "%%,%s,%%", *role))),
                 &r, e);
    if (rc || db_get_int(&r, 0, "n", 0) > 0)
        return rc;
    *role = APPROVAL_DEFAULT_ROLE;
    *user = NULL;
    return SH_OK;
}

static enum sh_code approval_before(struct ent_write *w, struct sh_err *e)
{
    const struct uc *u = w->u;
    if (!w->creating) {
        sh_err_set(e, SH_CONFLICT, "a request changes only by its decision");
        return sh_err_reason(e, "illegal_action", NULL);
    }
    struct db_rows r;
    enum sh_code rc = same_customer(w, e);
    if (rc || (rc = db_query(u->tx, u->a,
                             "SELECT id, approver_role, approver_user_id FROM approval_rules "
                             "WHERE kind = $1",
                             DB_P(DB_TEXT(val(w, "kind"))), &r, e)))
        return rc;
    set(w, "status", "pending");
    set(w, "requested_by",
        u->who->user_id ? sh_arena_printf(u->a, "%" PRId64, u->who->user_id) : NULL);
    set(w, "rule_id", r.nrows ? db_get(&r, 0, "id") : NULL);
    const char *role = r.nrows ? db_get(&r, 0, "approver_role") : APPROVAL_DEFAULT_ROLE;
    const char *user = r.nrows ? db_get(&r, 0, "approver_user_id") : NULL;
    int64_t due = 0;
    if ((rc = past_requester(u, &role, &user, e)) || (rc = decision_due(u, &due, e)))
        return rc;
    set(w, "approver_role", role && *role ? role : NULL);
    set(w, "approver_user_id", user);
    char *ts = sh_arena_alloc(u->a, 21);
    sh_ts_format(due, ts);
    set(w, "decision_due_at", ts);
    return SH_OK;
}

/* The approver (or the approver role) is told of the new request. */
static enum sh_code approval_after(struct ent_write *w, struct sh_err *e)
{
    return w->creating ? uc_notify_approval_requested(w->u, w->id, e) : SH_OK;
}

const struct entity ent_approvals = {
    .name = "approval",
    .table = "approvals",
    .cols = approval_cols,
    .ncols = NCOLS(approval_cols),
    .views = approval_views,
    .label_col = "purpose",
    .default_sort = "-id",
    .before_write = approval_before,
    .after_write = approval_after,
    .extra_key = "subject",
    .read_extra = approval_subjects,
};

/* ---- the decision ---- */

/* RULE A-04: whether the caller may decide request a (*ok), and whether they would but filed
 * it (*own: 409 own_request rather than 403): MAY_DECIDE and WOULD_DECIDE, the inbox's
 * condition, asked of the database. */
static enum sh_code may_decide(const struct uc *u, const struct db_rows *a, bool *ok, bool *own,
                               struct sh_err *e)
{
    int64_t me = u->who->user_id;
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a,
                 "SELECT CASE WHEN " MAY_DECIDE("$2") " THEN 1 ELSE 0 END AS may, "
                                                      "CASE WHEN " WOULD_DECIDE(
                                                          "$2") " THEN 1 ELSE 0 END AS would "
                                                                "FROM approvals t WHERE t.id = $1",
                 DB_P(DB_INT(db_get_int(a, 0, "id", 0)), DB_INT(me)), &r, e);
    if (rc)
        return rc;
    *ok = me && db_get_int(&r, 0, "may", 0) == 1;
    *own = !*ok && me && db_get_int(a, 0, "requested_by", 0) == me &&
           db_get_int(&r, 0, "would", 0) == 1;
    return SH_OK;
}

static enum sh_code decide_check(const struct uc *u, const struct approval_decide_in *in,
                                 const struct db_rows *a, struct sh_err *e)
{
    const char *status = db_get(a, 0, "status");
    if (strcmp(status, "pending")) {
        sh_err_set(e, SH_CONFLICT, "approval %" PRId64 " was already %s", in->id, status);
        return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\"}", status);
    }
    bool ok = false, own = false;
    enum sh_code rc = may_decide(u, a, &ok, &own, e);
    if (rc)
        return rc;
    if (!ok && own) {
        sh_err_set(e, SH_CONFLICT, "you filed this request: another approver decides it");
        return sh_err_reason(e, "guard", "{\"guard\":\"own_request\"}");
    }
    if (!ok) {
        const char *role = db_get(a, 0, "approver_role");
        sh_err_set(e, SH_FORBIDDEN, "only the approver the matrix names decides this request");
        return sh_err_reason(e, "not_approver", "{\"approver_role\":\"%s\"}", role ? role : "");
    }
    if (in->if_match >= 0 && in->if_match != db_get_int(a, 0, "version", -1)) {
        sh_err_set(e, SH_PRECONDITION, "the request was changed by someone else: reload");
        return sh_err_reason(e, "stale", NULL);
    }
    if (!in->approve && (!in->comment || !*in->comment)) {
        sh_err_field(e, SH_INVALID, "comment", "a rejection needs a comment");
        return sh_err_reason(e, "required", NULL);
    }
    return SH_OK;
}

enum sh_code uc_approval_decide(const struct uc *u, const struct approval_decide_in *in,
                                const char **json, struct sh_err *e)
{
    struct db_rows a;
    enum sh_code rc = ent_load(u->tx, u->a, &ent_approvals, in->id, &a, e);
    if (rc || (rc = decide_check(u, in, &a, e)))
        return rc;
    const char *before = ent_json(u->a, &ent_approvals, &a, 0);
    const char *status = in->approve ? "approved" : "rejected";
    char now[21];
    sh_ts_format(u->now, now);
    int64_t changed = 0;
    if ((rc = db_exec(u->tx,
                      "UPDATE approvals SET status = $1, decided_by = $2, decided_at = $3, "
                      "comment = $4, updated_at = $3, version = version + 1 WHERE id = $5 AND "
                      "version = $6",
                      DB_P(DB_TEXT(status), DB_INT(u->who->user_id), DB_TEXT(now),
                           DB_TEXT(in->comment ? in->comment : ""), DB_INT(in->id),
                           DB_INT(db_get_int(&a, 0, "version", 0))),
                      &changed, e)))
        return rc;
    if (changed != 1) {
        sh_err_set(e, SH_PRECONDITION, "approval %" PRId64 " was changed concurrently", in->id);
        return sh_err_reason(e, "stale", NULL);
    }
    if ((rc = ent_load(u->tx, u->a, &ent_approvals, in->id, &a, e)))
        return rc;
    *json = ent_json(u->a, &ent_approvals, &a, 0);
    if ((rc =
             uc_audit(u, "approval", in->id, in->approve ? "approve" : "reject", before, *json, e)))
        return rc;
    if ((rc = uc_notify_approval_decided(u, in->id, e)))
        return rc;
    if (!strcmp(db_get(&a, 0, "kind"), "quote") &&
        (rc = uc_quote_on_approval(u, in->id, in->approve, e)))
        return rc;
    int64_t ticket = db_get_int(&a, 0, "ticket_id", 0);
    if (!ticket)
        return SH_OK;
    return uc_ticket_event(
        u, ticket, "approval", "internal", in->comment ? in->comment : "",
        sh_arena_printf(u->a, "{\"approval_id\":%" PRId64 ",\"status\":\"%s\"}", in->id, status),
        NULL, e);
}

enum sh_code uc_approval_granted(const struct uc *u, int64_t ticket_id, bool *granted,
                                 struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id FROM approvals WHERE ticket_id = $1 AND status = "
                               "'approved' AND kind NOT IN ('quote', 'replacement') LIMIT 1",
                               DB_P(DB_INT(ticket_id)), &r, e);
    *granted = !rc && r.nrows > 0;
    return rc;
}
