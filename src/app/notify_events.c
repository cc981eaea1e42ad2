/* SPDX-License-Identifier: MIT */
/* An event's message rendered from the company's template in the recipient's language and
 * queued on the recipient's channel (app/notify_events.h). */
#include "app/i18n.h"
#include "app/notify_events.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/notify_templates.h"
#include "app/tasks.h"
#include "base/date.h"
#include "base/jw.h"
#include "domain/fees.h"
#include "notify/notify.h"

/* Where one message goes once the recipient is looked up. */
struct rcpt {
    const char *channel, *recipient, *locale, *role;
    int64_t user_id, task_owner;
    /* the company's template of the event in the recipient's language, read with the
     * recipient (NULL: none stored, the shipped default applies) */
    const char *tsubject, *tbody;
};

/* The stored template of the event ($2) in the recipient's language, joined to its row. */
#define TEMPLATE_JOIN(loc)                                                                         \
    " LEFT JOIN notify_templates nt ON nt.kind = $2 AND nt.locale = CASE WHEN " loc " = 'en' "     \
    "THEN 'en' ELSE 'zh-CN' END"

static const char *ts_text(const struct uc *u, int64_t t)
{
    char *s = sh_arena_alloc(u->a, 21);
    sh_ts_format(t, s);
    return s;
}

const char *notify_local_time(struct sh_arena *a, int64_t t)
{
    char s[21];
    sh_ts_format(t + 8 * 3600, s); /* Asia/Shanghai, no daylight saving */
    return sh_arena_printf(a, "%.10s %.5s", s, s + 11);
}

const char *notify_local_text(struct sh_arena *a, const char *utc)
{
    int64_t t = 0;
    if (!utc || !sh_ts_parse(utc, &t))
        return utc ? utc : "";
    return notify_local_time(a, t);
}

/* The variables whose value is a stable code: the message shows the recipient's label of
 * the i18n key prefix + code (approved: 已批准 / approved), as the screens do. */
static const struct {
    const char *kind, *var, *prefix;
} code_labels[] = {
    {"approval_decided", "decision", "enum.status."},
    {"sla_at_risk", "clock", "ui.tk.target."},
    {"sla_breached", "clock", "ui.tk.target."},
};

static const char *code_label(const char *kind, const char *var)
{
    for (size_t i = 0; i < sizeof(code_labels) / sizeof(code_labels[0]); i++)
        if (!strcmp(code_labels[i].kind, kind) && !strcmp(code_labels[i].var, var))
            return code_labels[i].prefix;
    return NULL;
}

/* Subject and body: the stored template, else the shipped default, else (an event nobody
 * declared) the event's name and its variables: never an empty message. */
static void render(const struct uc *u, const char *kind, const struct rcpt *r,
                   const struct notify_var *v, int n, const char **subject, const char **body)
{
    const char *locale = r->locale;
    const char **names = sh_arena_alloc(u->a, sizeof(char *) * (size_t)(n + 1));
    const char **values = sh_arena_alloc(u->a, sizeof(char *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        names[i] = v[i].name, values[i] = v[i].value ? v[i].value : "";
        const char *label = code_label(kind, names[i]);
        if (label && u->app)
            values[i] = i18n_label(u->app, locale, sh_arena_printf(u->a, "%s%s", label, values[i]),
                                   values[i]);
    }
    *subject = *body = "";
    int l = !strcmp(locale, "en");
    bool declared = false;
    for (int i = 0; i < notify_nevents; i++)
        declared |= !strcmp(notify_events[i].kind, kind);
    /* a company's template applies to a declared event (uc_notify_render's rule) */
    if (declared && r->tsubject && r->tbody) {
        *subject = nt_template_render(u->a, r->tsubject, names, values, n);
        *body = nt_template_render(u->a, r->tbody, names, values, n);
    }
    for (int i = 0; i < notify_nevents && (!**subject || !**body); i++)
        if (!strcmp(notify_events[i].kind, kind)) {
            *subject = nt_template_render(u->a, notify_events[i].subject[l], names, values, n);
            *body = nt_template_render(u->a, notify_events[i].body[l], names, values, n);
        }
    if (!**subject)
        *subject = kind;
    if (!**body) {
        const char *b = kind;
        for (int i = 0; i < n; i++)
            b = sh_arena_printf(u->a, "%s\n%s: %s", b, names[i], values[i]);
        *body = b;
    }
}

static const char *params_json(const struct uc *u, const struct notify_var *v, int n)
{
    struct sh_buf b = SH_BUF_INIT(1 << 16);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    for (int i = 0; i < n; i++)
        jw_kstr(&w, v[i].name, v[i].value ? v[i].value : "");
    jw_obj_end(&w);
    char *r = sh_arena_strndup(u->a, b.buf, b.len);
    sh_buf_release(&b);
    return r;
}

/* The ticket's customer ($1: the ticket) or a customer ($1), with the template of event $2. */
static const char ticket_customer_sql[] =
    "SELECT COALESCE(NULLIF(t.caller_phone, ''), c.phone, '') AS phone, COALESCE(c.email, '') AS "
    "email, COALESCE(c.name, t.caller_name, '') AS name, COALESCE(c.locale, 'zh-CN') AS locale, "
    "COALESCE(c.notify_channel, 'sms') AS ch, t.assignee_id, nt.subject AS tsubject, nt.body AS "
    "tbody FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id" TEMPLATE_JOIN(
        "COALESCE(c.locale, 'zh-CN')") " WHERE t.id = $1";
/* The same for a ticket not inserted yet: $1 its customer, $3 the caller's phone, $4 name,
 * $5 assignee. */
static const char caller_sql[] =
    "SELECT COALESCE(NULLIF(CAST($3 AS TEXT), ''), c.phone, '') AS phone, COALESCE(c.email, '') "
    "AS email, COALESCE(c.name, CAST($4 AS TEXT), '') AS name, COALESCE(c.locale, 'zh-CN') AS "
    "locale, COALESCE(c.notify_channel, 'sms') AS ch, CAST($5 AS BIGINT) AS assignee_id, "
    "nt.subject AS tsubject, nt.body AS tbody FROM (SELECT 1 AS one) o LEFT JOIN customers c ON "
    "c.id = $1" TEMPLATE_JOIN("COALESCE(c.locale, 'zh-CN')");
static const char customer_sql[] =
    "SELECT c.phone, c.email, c.name, c.locale, c.notify_channel AS ch, NULL AS assignee_id, "
    "nt.subject AS tsubject, nt.body AS tbody FROM customers c" TEMPLATE_JOIN(
        "COALESCE(c.locale, 'zh-CN')") " WHERE c.id = $1";
static const char user_sql[] = "SELECT s.locale, s.phone, nt.subject AS tsubject, nt.body AS "
                               "tbody FROM users s" TEMPLATE_JOIN("s.locale") " WHERE s.id = $1";

SH_WUR static enum sh_code customer_rcpt(const struct uc *u, const char *kind,
                                         const struct notify_to *to, struct rcpt *r,
                                         struct sh_err *e)
{
    struct db_rows q;
    enum sh_code rc = to->rcpt ? SH_OK
                      : to->ticket_customer
                          ? db_query(u->tx, u->a, ticket_customer_sql,
                                     DB_P(DB_INT(to->ticket_id), DB_TEXT(kind)), &q, e)
                          : db_query(u->tx, u->a, customer_sql,
                                     DB_P(DB_INT(to->customer_id), DB_TEXT(kind)), &q, e);
    if (rc)
        return rc;
    if (to->rcpt)
        q = *to->rcpt;
    if (!q.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "no recipient for the message");
    r->locale = db_get(&q, 0, "locale");
    r->channel = to->channel ? to->channel : db_get(&q, 0, "ch");
    r->recipient = !strcmp(r->channel, "email")    ? db_get(&q, 0, "email")
                   : !strcmp(r->channel, "letter") ? db_get(&q, 0, "name")
                                                   : db_get(&q, 0, "phone");
    r->task_owner = db_get_int(&q, 0, "assignee_id", 0);
    r->tsubject = db_get(&q, 0, "tsubject");
    r->tbody = db_get(&q, 0, "tbody");
    if (!strcmp(r->channel, "phone") && !r->task_owner)
        r->role = "agent"; /* nobody assigned: the call desk makes it */
    return SH_OK;
}

enum sh_code uc_notify_caller_ahead(const struct uc *u, const char *kind, int64_t customer_id,
                                    const char *caller_phone, const char *caller_name,
                                    int64_t assignee_id, struct db_rows *out, struct sh_err *e)
{
    return db_query_ahead(u->tx, u->a, caller_sql,
                          DB_P(DB_INT(customer_id), DB_TEXT(kind), DB_TEXT(caller_phone),
                               DB_TEXT(caller_name), assignee_id ? DB_INT(assignee_id) : DB_NULL),
                          out, e);
}

SH_WUR static enum sh_code resolve(const struct uc *u, const char *kind, const struct notify_to *to,
                                   struct rcpt *r, struct sh_err *e)
{
    memset(r, 0, sizeof(*r));
    if (to->ticket_customer || to->customer_id)
        return customer_rcpt(u, kind, to, r, e);
    struct db_rows q;
    enum sh_code rc =
        db_query(u->tx, u->a, user_sql, DB_P(DB_INT(to->user_id), DB_TEXT(kind)), &q, e);
    if (rc)
        return rc;
    if (!q.nrows)
        return sh_err_set(e, SH_NOT_FOUND, "no user %" PRId64, to->user_id);
    r->locale = db_get(&q, 0, "locale");
    r->channel = to->channel ? to->channel : "email";
    r->user_id = to->user_id;
    r->task_owner = to->user_id;
    r->recipient = !strcmp(r->channel, "phone") ? db_get(&q, 0, "phone") : "";
    r->tsubject = db_get(&q, 0, "tsubject");
    r->tbody = db_get(&q, 0, "tbody");
    return SH_OK;
}

/* A phone message is a task for a person (or the role) to call and record the outcome. */
SH_WUR static enum sh_code open_call(const struct uc *u, int64_t id, const struct rcpt *r,
                                     const struct notify_to *to, const char *subject,
                                     const char *body, struct sh_err *e)
{
    int64_t due = to->due ? to->due : to->deliver_after ? to->deliver_after : u->now;
    const char *text = *r->recipient ? sh_arena_printf(u->a, "%s\n☎ %s", body, r->recipient) : body;
    struct task_in t = {.kind = "phone_call",
                        .title = subject,
                        .body = text,
                        .assignee_id = r->task_owner,
                        .role = r->role,
                        .ticket_id = to->ticket_id,
                        .source = "notification",
                        .source_id = id,
                        .due_at = ts_text(u, due)};
    int64_t task = 0;
    enum sh_code rc = uc_task_create(u, &t, &task, e);
    if (rc)
        return rc;
    return db_exec(
        u->tx,
        "UPDATE outbox SET task_id = $2, state = 'sent', sent_at = $3, address = $4 "
        "WHERE id = $1",
        DB_P(DB_INT(id), DB_INT(task), DB_TEXT(ts_text(u, u->now)), DB_TEXT(r->recipient)), NULL,
        e);
}

#define OUTBOX_INSERT                                                                              \
    "INSERT INTO outbox (created_at, kind, channel, recipient_user_id, recipient, subject, body, " \
    "ticket_id, deliver_after, dedupe_key, params, locale) VALUES ($1, $2, $3, $4, $5, $6, $7, "   \
    "$8, $9, $10, $11, $12) ON CONFLICT (dedupe_key) DO NOTHING"
static const char outbox_sql[] = OUTBOX_INSERT;
static const char want_id_sql[] = OUTBOX_INSERT " RETURNING id";

enum sh_code uc_notify_event(const struct uc *u, const char *kind, const struct notify_to *to,
                             const struct notify_var *v, int n, int64_t *id, struct sh_err *e)
{
    struct rcpt r;
    enum sh_code rc = resolve(u, kind, to, &r, e);
    if (rc)
        return rc;
    if (id)
        *id = 0;
    /* a customer without a phone (or e-mail) for the channel: nothing can be sent */
    if (!r.user_id && (!strcmp(r.channel, "sms") || !strcmp(r.channel, "email")) &&
        (!r.recipient || !*r.recipient))
        return SH_OK;
    const char *subject, *body;
    render(u, kind, &r, v, n, &subject, &body);
    int64_t at = to->deliver_after ? to->deliver_after : u->now;
    /* the new row's id is read only when someone needs it: the caller, or a phone call's task
     * (otherwise the INSERT's answer is not waited for) */
    bool want_id = id || !strcmp(r.channel, "phone");
    const struct db_val p[] = {DB_TEXT(ts_text(u, u->now)),
                               DB_TEXT(kind),
                               DB_TEXT(r.channel),
                               r.user_id ? DB_INT(r.user_id) : DB_NULL,
                               DB_TEXT(r.recipient ? r.recipient : ""),
                               DB_TEXT(subject),
                               DB_TEXT(body),
                               to->ticket_id ? DB_INT(to->ticket_id) : DB_NULL,
                               DB_TEXT(ts_text(u, at)),
                               to->dedupe ? DB_TEXT(to->dedupe) : DB_NULL,
                               DB_TEXT(params_json(u, v, n)),
                               DB_TEXT(r.locale)};
    if (!want_id)
        return db_exec_nowait(u->tx, outbox_sql, p, 12, e);
    struct db_rows q;
    rc = db_query(u->tx, u->a, want_id_sql, p, 12, &q, e);
    if (rc)
        return rc;
    int64_t oid = q.nrows ? db_get_int(&q, 0, "id", 0) : 0;
    if (id)
        *id = oid;
    if (oid && !strcmp(r.channel, "phone"))
        rc = open_call(u, oid, &r, to, subject, body, e);
    return rc;
}

enum sh_code uc_notify_role(const struct uc *u, const char *kind, const char *role,
                            int64_t ticket_id, const struct notify_var *v, int n,
                            const char *dedupe_prefix, struct sh_err *e)
{
    struct db_rows who;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id FROM users WHERE active = 1 AND (',' || roles || ',') "
                               "LIKE $1 ORDER BY id LIMIT 20",
                               DB_P(DB_TEXT(sh_arena_printf(u->a, "%%,%s,%%", role))), &who, e);
    for (int i = 0; !rc && i < who.nrows; i++) {
        int64_t uid = db_get_int(&who, i, "id", 0);
        struct notify_to to = {
            .user_id = uid,
            .ticket_id = ticket_id,
            .dedupe =
                dedupe_prefix ? sh_arena_printf(u->a, "%s:%" PRId64, dedupe_prefix, uid) : NULL};
        rc = uc_notify_event(u, kind, &to, v, n, NULL, e);
    }
    return rc;
}

enum sh_code uc_notify_quote_ready(const struct uc *u, int64_t ticket_id, const char *number,
                                   int64_t amount_fen, const char *url, struct sh_err *e)
{
    char amount[32];
    fee_fen_format(amount_fen, amount);
    const struct notify_var v[] = {{"number", number}, {"amount", amount}, {"url", url}};
    struct notify_to to = {.ticket_customer = true, .ticket_id = ticket_id};
    return uc_notify_event(u, "quote_ready", &to, v, 3, NULL, e);
}
