/* SPDX-License-Identifier: MIT */
/* POST /api/v1/tickets: intake from every channel (来电来函登记, R-055…R-059). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/tickets.h"
#include "base/date.h"
#include "domain/ticket.h"
#include "store/tickets.h"

/* ---- intake ---- */

static const struct col intake_cols[] = {
    {"channel", F_ENUM, COL_REQUIRED, 0, ticket_channels, 0, 0, NULL},
    {"type", F_ENUM, COL_REQUIRED, 0, ticket_types, 0, 0, NULL},
    {"customer_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"unit_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"serial_no", F_STR, COL_NULLABLE, 60, NULL, 0, 0, NULL},
    {"caller_name", F_STR, 0, 60, NULL, 0, 0, NULL},
    {"caller_phone", F_STR, 0, 40, NULL, 0, 0, NULL},
    {"customer_name", F_STR, 0, 100, NULL, 0, 0, NULL},
    {"customer_address", F_STR, 0, 200, NULL, 0, 0, NULL},
    {"fault_category", F_STR, COL_NULLABLE, 40, NULL, 0, 0, NULL},
    {"description", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"priority", F_ENUM, 0, 0, ticket_priorities, 0, 0, NULL},
    {"required_arrival_at", F_TS, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"received_at", F_TS, 0, 0, NULL, 0, 0, NULL},
    {"answer", F_TEXT, 0, 4000, NULL, 0, 0, NULL},
    {"close", F_BOOL, 0, 0, NULL, 0, 0, NULL},
    {"assignee_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
    {"department_id", F_ID, COL_NULLABLE, 0, NULL, 0, 0, NULL},
};
enum {
    I_CHANNEL,
    I_TYPE,
    I_CUSTOMER,
    I_UNIT,
    I_SERIAL,
    I_CALLER,
    I_PHONE,
    I_CNAME,
    I_CADDR,
    I_FAULT,
    I_DESC,
    I_PRIO,
    I_REQUIRED,
    I_RECEIVED,
    I_ANSWER,
    I_CLOSE,
    I_ASSIGNEE,
    I_DEPT,
    I_COUNT
};

struct intake {
    struct api_ctx *c;
    struct fval v[I_COUNT];
    const char *idem_key;
    struct sh_buf out;
    int status;
    bool replayed;
    int64_t id;
    const char *version;
};

/* The one answer an external account gets for a unit that is not its own or not there. */
static enum sh_code no_such_unit(struct sh_err *e, const char *field)
{
    sh_err_field(e, SH_INVALID, field, "no such unit among your units");
    return sh_err_reason(e, "unknown_reference", NULL);
}

static enum sh_code find_customer(struct intake *x, struct db_tx *tx, int64_t *cust, int64_t *unit,
                                  struct sh_err *e)
{
    struct api_ctx *c = x->c;
    struct db_rows r;
    enum sh_code rc;
    *cust = x->v[I_CUSTOMER].present && !x->v[I_CUSTOMER].is_null ? x->v[I_CUSTOMER].i : 0;
    *unit = x->v[I_UNIT].present && !x->v[I_UNIT].is_null ? x->v[I_UNIT].i : 0;
    const char *serial = fv(&x->v[I_SERIAL]);
    /* issue 10 item 11: an external account learns nothing of units it does not own */
    bool ext = api_is_external(c);
    const char *ufield = serial && *serial && !*unit ? "serial_no" : "unit_id";
    if (!*unit && serial && *serial) {
        if ((rc = db_query(tx, c->a,
                           "SELECT id FROM units WHERE serial_no = $1 AND ($2 = 0 OR customer_id "
                           "= $2) LIMIT 3",
                           DB_P(DB_TEXT(serial), DB_INT(ext ? c->who.customer_id : 0)), &r, e)))
            return rc;
        if (r.nrows == 0 && ext)
            return no_such_unit(e, ufield);
        if (r.nrows == 0)
            return sh_err_field(e, SH_INVALID, "serial_no", "no unit with serial number '%s'",
                                serial);
        if (r.nrows > 1)
            return sh_err_field(e, SH_CONFLICT, "serial_no",
                                "serial number '%s' belongs to several models: send unit_id",
                                serial);
        *unit = db_get_int(&r, 0, "id", 0);
    }
    if (*unit) {
        if ((rc = db_query(tx, c->a, "SELECT customer_id FROM units WHERE id = $1",
                           DB_P(DB_INT(*unit)), &r, e)))
            return rc;
        if (r.nrows == 0 && !ext)
            return sh_err_field(e, SH_INVALID, "unit_id", "no unit %" PRId64, *unit);
        int64_t owner = r.nrows ? db_get_int(&r, 0, "customer_id", 0) : 0;
        if (ext && owner != c->who.customer_id)
            return no_such_unit(e, ufield);
        if (*cust && owner && owner != *cust)
            return sh_err_field(e, SH_INVALID, "customer_id",
                                "the unit belongs to another customer");
        if (!*cust)
            *cust = owner;
    }
    if (api_is_external(c))
        *cust = c->who.customer_id;
    if (*cust) {
        if ((rc = db_query(tx, c->a, "SELECT id FROM customers WHERE id = $1", DB_P(DB_INT(*cust)),
                           &r, e)))
            return rc;
        if (r.nrows == 0)
            return sh_err_field(e, SH_INVALID, "customer_id", "no customer %" PRId64, *cust);
        return SH_OK;
    }
    /* match by the caller's phone: customers first, then their contacts */
    const char *phone = fv(&x->v[I_PHONE]);
    if (phone && *phone) {
        if ((rc = db_query(tx, c->a,
                           "SELECT id FROM customers WHERE phone = $1 UNION ALL SELECT customer_id "
                           "FROM contacts WHERE phone = $1 LIMIT 1",
                           DB_P(DB_TEXT(phone)), &r, e)))
            return rc;
        if (r.nrows) {
            *cust = db_get_int(&r, 0, "id", 0);
            return SH_OK;
        }
    }
    /* a first contact (初次往来客户, R-018): name, address and phone are mandatory */
    const char *name = fv(&x->v[I_CNAME]) ? fv(&x->v[I_CNAME]) : fv(&x->v[I_CALLER]);
    if (!name || !*name)
        return sh_err_field(e, SH_INVALID, "customer_name",
                            "unknown caller: send customer_id, serial_no, a known phone, or "
                            "customer_name with customer_address and caller_phone");
    const char *addr = fv(&x->v[I_CADDR]);
    if (!addr || !*addr)
        return sh_err_field(e, SH_INVALID, "customer_address",
                            "a first-contact customer needs an address (R-018)");
    if (!phone || !*phone)
        return sh_err_field(e, SH_INVALID, "caller_phone",
                            "a first-contact customer needs a phone number (R-018)");
    extern const struct entity ent_customers;
    struct fval *cv = sh_arena_alloc(c->a, sizeof(struct fval) * (size_t)ent_customers.ncols);
    struct {
        const char *col, *val;
    } set[] = {
        {"name", name},
        {"type", "individual"},
        {"address", addr},
        {"phone", phone},
        {"first_contact_note", sh_arena_printf(c->a, "首次来电登记 (%s)", x->v[I_CHANNEL].text)}};
    for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
        int k = ent_colidx(&ent_customers, set[i].col);
        cv[k].present = true;
        cv[k].text = set[i].val;
    }
    return ent_insert(c, tx, &ent_customers, cv, cust, NULL, e);
}

/* Chooses the SLA policy (R-117: contract, then customer tier, then ticket type, then default). */
static enum sh_code choose_policy(struct api_ctx *c, struct db_tx *tx, int64_t cust, int64_t unit,
                                  enum ticket_type type, int64_t *policy, struct sh_err *e)
{
    struct db_rows p, s;
    enum sh_code rc = db_query(tx, c->a,
                               "SELECT id, contract_id, customer_tier, ticket_type FROM "
                               "sla_policies WHERE active = 1 ORDER BY id",
                               DB_NOP, &p, e);
    if (rc)
        return rc;
    if ((rc = db_query(tx, c->a,
                       "SELECT (SELECT is_key FROM customers WHERE id = $1) AS is_key, "
                       "(SELECT contract_id FROM units WHERE id = $2) AS contract_id",
                       DB_P(DB_INT(cust), DB_INT(unit)), &s, e)))
        return rc;
    struct sla_candidate *cand = sh_arena_alloc(c->a, sizeof(*cand) * (size_t)(p.nrows + 1));
    /* selection needs only each candidate's scope: its policy is identified by id */
    struct sla_policy *pols = sh_arena_alloc(c->a, sizeof(*pols) * (size_t)(p.nrows + 1));
    for (int i = 0; i < p.nrows; i++) {
        pols[i].id = db_get_int(&p, i, "id", 0);
        cand[i].policy = &pols[i];
        const char *ctr = db_get(&p, i, "contract_id"), *tier = db_get(&p, i, "customer_tier"),
                   *tt = db_get(&p, i, "ticket_type");
        if (ctr) {
            cand[i].scope = SLA_SCOPE_CONTRACT;
            cand[i].contract_id = strtoll(ctr, NULL, 10);
        } else if (tier) {
            cand[i].scope = SLA_SCOPE_TIER;
            cand[i].tier = !strcmp(tier, "key") ? SLA_TIER_KEY : SLA_TIER_STANDARD;
        } else if (tt) {
            cand[i].scope = SLA_SCOPE_TICKET_TYPE;
            ticket_type_parse(tt, &cand[i].type);
        } else {
            cand[i].scope = SLA_SCOPE_DEFAULT;
        }
    }
    struct sla_subject subj = {.contract_id = db_get_int(&s, 0, "contract_id", 0),
                               .tier = db_get_int(&s, 0, "is_key", 0) ? SLA_TIER_KEY
                                                                      : SLA_TIER_STANDARD,
                               .type = type};
    size_t idx;
    struct sh_err se;
    sh_err_clear(&se);
    rc = sla_select(cand, (size_t)p.nrows, &subj, &idx, &se);
    if (rc == SH_NOT_FOUND) {
        *policy = 0; /* no policy configured: no clocks */
        return SH_OK;
    }
    if (rc)
        return sh_err_set(e, SH_UNPROCESSABLE, "SLA configuration: %s", se.msg);
    *policy = db_get_int(&p, (int)idx, "id", 0);
    return SH_OK;
}

/* link a repair to the unit's earlier repair of the same fault and tell the heads. */
static enum sh_code detect_repeat(struct api_ctx *c, struct db_tx *tx, int64_t id, int64_t unit,
                                  const char *fault, int64_t received, int64_t *repeat_of,
                                  struct sh_err *e)
{
    *repeat_of = 0;
    if (!unit || !fault || !*fault)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(tx, c->a,
                               "SELECT id, fault_category, received_at, resolved_at FROM tickets "
                               "WHERE unit_id = $1 AND type = 'repair' AND resolved_at IS NOT NULL "
                               "AND id <> $2 AND merged_into IS NULL ORDER BY resolved_at DESC "
                               "LIMIT 50",
                               DB_P(DB_INT(unit), DB_INT(id)), &r, e);
    if (rc || r.nrows == 0)
        return rc;
    struct ticket_repair now = {
        .ticket_id = id, .unit_id = unit, .fault_code = fault, .reported = local_date(received)};
    struct ticket_repair *prev = sh_arena_alloc(c->a, sizeof(*prev) * (size_t)r.nrows);
    for (int i = 0; i < r.nrows; i++) {
        int64_t t1 = 0, t2 = 0;
        sh_ts_parse(db_get(&r, i, "received_at"), &t1);
        sh_ts_parse(db_get(&r, i, "resolved_at"), &t2);
        prev[i] = (struct ticket_repair){.ticket_id = db_get_int(&r, i, "id", 0),
                                         .unit_id = unit,
                                         .fault_code = db_get(&r, i, "fault_category"),
                                         .reported = local_date(t1),
                                         .resolved = local_date(t2)};
    }
    size_t idx;
    if (!ticket_find_repeat(&now, prev, (size_t)r.nrows, TICKET_REPEAT_WINDOW_DAYS, &idx))
        return SH_OK;
    *repeat_of = prev[idx].ticket_id;
    struct db_rows heads;
    if ((rc = db_query(tx, c->a,
                       "SELECT id FROM users WHERE active = 1 AND (',' || roles || ',') LIKE "
                       "'%,dept_head,%' ORDER BY id LIMIT 20",
                       DB_NOP, &heads, e)))
        return rc;
    for (int i = 0; i < heads.nrows; i++) {
        int64_t uid = db_get_int(&heads, i, "id", 0);
        if ((rc = outbox_add(c, tx, "repeat_repair", uid, id,
                             sh_arena_printf(c->a, "repeat repair of ticket %" PRId64, *repeat_of),
                             fault, sh_now(),
                             sh_arena_printf(c->a, "repeat:%" PRId64 ":%" PRId64, id, uid), e)))
            return rc;
    }
    return SH_OK;
}

static enum sh_code intake_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct intake *x = arg;
    struct api_ctx *c = x->c;
    enum sh_code rc;
    if (x->idem_key) {
        rc = api_idem_replay(c, tx, x->idem_key, &x->out, &x->status, &x->replayed, e);
        if (rc || x->replayed)
            return rc;
    }
    enum ticket_type type;
    ticket_type_parse(x->v[I_TYPE].text, &type);
    int64_t cust = 0, unit = 0;
    if ((rc = find_customer(x, tx, &cust, &unit, e)))
        return rc;
    const char *fault = fv(&x->v[I_FAULT]);
    if (fault && *fault) {
        struct db_rows r;
        if ((rc = db_query(tx, c->a,
                           "SELECT id FROM fault_categories WHERE code = $1 AND active = 1",
                           DB_P(DB_TEXT(fault)), &r, e)))
            return rc;
        if (r.nrows == 0)
            return sh_err_field(e, SH_INVALID, "fault_category", "no fault category '%s'", fault);
    }
    for (int k = I_ASSIGNEE; k <= I_DEPT; k++) {
        if (!x->v[k].present || x->v[k].is_null)
            continue;
        struct db_rows r;
        if ((rc = db_query(tx, c->a,
                           k == I_ASSIGNEE ? "SELECT id FROM users WHERE id = $1 AND active = 1"
                                           : "SELECT id FROM departments WHERE id = $1",
                           DB_P(DB_INT(x->v[k].i)), &r, e)))
            return rc;
        if (r.nrows == 0)
            return sh_err_field(e, SH_INVALID, intake_cols[k].name, "no such %s",
                                k == I_ASSIGNEE ? "user" : "department");
    }
    int64_t now_t = sh_now(), received = now_t;
    if (x->v[I_RECEIVED].present) {
        received = x->v[I_RECEIVED].i;
        if (received > now_t + 300)
            return sh_err_field(e, SH_INVALID, "received_at", "'received_at' is in the future");
    }
    char now[21], recv[21];
    sh_ts_format(now_t, now);
    sh_ts_format(received, recv);

    /* number SH-YYYYMMDD-NNNN, per local day of receipt */
    struct sh_date day = local_date(received);
    char dtext[11];
    sh_date_format(day, dtext);
    struct db_rows r;
    if ((rc = db_query(tx, c->a,
                       "INSERT INTO ticket_counters (day, n) VALUES ($1, 1) ON CONFLICT (day) DO "
                       "UPDATE SET n = ticket_counters.n + 1 RETURNING n",
                       DB_P(DB_TEXT(dtext)), &r, e)))
        return rc;
    char number[TICKET_NUMBER_SIZE];
    if ((rc = ticket_number_format(day, (unsigned)db_get_int(&r, 0, "n", 1), number, e)))
        return rc;

    struct warranty_decision wd;
    if ((rc = decide_warranty(c, tx, unit, day, TC_UNKNOWN, &wd, e)))
        return rc;
    int64_t policy = 0;
    if ((rc = choose_policy(c, tx, cust, unit, type, &policy, e)))
        return rc;
    struct db_rows info;
    if ((rc = db_query(tx, c->a,
                       "SELECT (SELECT model_id FROM units WHERE id = $1) AS model_id, "
                       "(SELECT COALESCE(NULLIF(region, ''), province) FROM customers WHERE id = "
                       "$2) AS region, (SELECT name FROM customers WHERE id = $2) AS cname, "
                       "(SELECT serial_no FROM units WHERE id = $1) AS serial",
                       DB_P(DB_INT(unit), DB_INT(cust)), &info, e)))
        return rc;
    const char *desc = fv(&x->v[I_DESC]) ? fv(&x->v[I_DESC]) : "";
    /* staff and customer texts are the same until the first internal note */
    const struct ticket_search_base sb = {number,
                                          fv(&x->v[I_CALLER]),
                                          fv(&x->v[I_PHONE]),
                                          db_get(&info, 0, "cname"),
                                          db_get(&info, 0, "serial"),
                                          desc};
    const struct ticket_search_in sin = {&sb, 1, NULL, 0};
    struct sh_buf sbuf = SH_BUF_INIT(TICKET_SEARCH_MAX + 4096);
    rc = ticket_search_text(&sin, false, &sbuf);
    const char *search = rc ? "" : sh_arena_strdup(c->a, sbuf.buf);
    sh_buf_release(&sbuf);
    if (rc)
        return sh_err_set(e, rc, "search text");
    const char *pairs = tickets_pairs(c->a, search);
    int64_t assignee =
        x->v[I_ASSIGNEE].present && !x->v[I_ASSIGNEE].is_null ? x->v[I_ASSIGNEE].i : 0;
    int64_t dept = x->v[I_DEPT].present && !x->v[I_DEPT].is_null ? x->v[I_DEPT].i : 0;
    /* a technician who registers a call (e.g. on site) owns it: it stays in their scope */
    if (!assignee && api_is_technician_only(c))
        assignee = c->who.user_id;
    rc = db_query(
        tx, c->a,
        "INSERT INTO tickets (number, channel, type, status, priority, customer_id, unit_id, "
        "model_id, region, caller_name, caller_phone, fault_category, description, "
        "required_arrival_at, received_at, assignee_id, department_id, sla_policy_id, billing, "
        "warranty_status, warranty_json, search, created_by, created_at, updated_at, search_bi, "
        "search_ext, search_ext_bi) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
        "$13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $24, $25, $22, $25) "
        "RETURNING id",
        DB_P(DB_TEXT(number), DB_TEXT(x->v[I_CHANNEL].text), DB_TEXT(x->v[I_TYPE].text),
             DB_TEXT(assignee ? "assigned" : "new"),
             DB_TEXT(fv(&x->v[I_PRIO]) ? fv(&x->v[I_PRIO]) : "normal"),
             cust ? DB_INT(cust) : DB_NULL, unit ? DB_INT(unit) : DB_NULL,
             DB_TEXT(db_get(&info, 0, "model_id")),
             DB_TEXT(db_get(&info, 0, "region") ? db_get(&info, 0, "region") : ""),
             DB_TEXT(fv(&x->v[I_CALLER]) ? fv(&x->v[I_CALLER]) : ""),
             DB_TEXT(fv(&x->v[I_PHONE]) ? fv(&x->v[I_PHONE]) : ""), DB_TEXT(fault ? fault : ""),
             DB_TEXT(desc), DB_TEXT(fv(&x->v[I_REQUIRED])), DB_TEXT(recv),
             assignee ? DB_INT(assignee) : DB_NULL, dept ? DB_INT(dept) : DB_NULL,
             policy ? DB_INT(policy) : DB_NULL, DB_TEXT(wd.billing), DB_TEXT(wd.status),
             DB_TEXT(wd.json), DB_TEXT(search), c->who.user_id ? DB_INT(c->who.user_id) : DB_NULL,
             DB_TEXT(now), DB_TEXT(pairs)),
        &r, e);
    if (rc)
        return rc;
    x->id = db_get_int(&r, 0, "id", 0);
    /* the timeline's first entries, in one statement */
    struct ticket_ev evs[3];
    int nev = 0;
    evs[nev++] = (struct ticket_ev){"created", "customer", number,
                                    sh_arena_printf(c->a, "{\"channel\":\"%s\",\"type\":\"%s\"}",
                                                    x->v[I_CHANNEL].text, x->v[I_TYPE].text)};
    if (!strcmp(x->v[I_CHANNEL].text, "phone"))
        evs[nev++] = (struct ticket_ev){"call", "internal", desc, "{\"direction\":\"inbound\"}"};
    if (assignee)
        evs[nev++] =
            (struct ticket_ev){"assign", "internal", "",
                               sh_arena_printf(c->a, "{\"assignee_id\":%" PRId64 "}", assignee)};
    if ((rc = ticket_events_add(c, tx, x->id, evs, nev, NULL, e)))
        return rc;
    int64_t repeat = 0;
    if (type == TICKET_REPAIR &&
        (rc = detect_repeat(c, tx, x->id, unit, fault, received, &repeat, e)))
        return rc;
    if (repeat) {
        if ((rc = db_exec(tx, "UPDATE tickets SET repeat_of = $2 WHERE id = $1",
                          DB_P(DB_INT(x->id), DB_INT(repeat)), NULL, e)))
            return rc;
        if ((rc = ticket_event(c, tx, x->id, "repeat", "internal", "",
                               sh_arena_printf(c->a, "{\"repeat_of\":%" PRId64 "}", repeat), NULL,
                               e)))
            return rc;
    }
    /* a consultation answered during the call: registered and closed in one request */
    const char *answer = fv(&x->v[I_ANSWER]);
    bool close = x->v[I_CLOSE].present && x->v[I_CLOSE].i;
    if (close) {
        if (!answer || !*answer)
            return sh_err_field(e, SH_INVALID, "answer", "closing at intake needs the 'answer'");
        static const enum ticket_action steps[] = {TA_REPLY, TA_RESOLVE_REMOTE, TA_CLOSE};
        enum ticket_state st = assignee ? TS_ASSIGNED : TS_NEW;
        for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
            enum ticket_state to;
            if ((rc = ticket_transition(type, st, steps[i], c->who.roles, &to, e)))
                return rc;
            if ((rc = apply_action(c, tx, x->id, steps[i], to, now, e)))
                return rc;
            if ((rc = ticket_event(c, tx, x->id, "state", "customer", i == 0 ? answer : "",
                                   sh_arena_printf(c->a,
                                                   "{\"action\":\"%s\",\"from\":\"%s\",\"to\":"
                                                   "\"%s\"}",
                                                   ticket_action_name(steps[i]),
                                                   ticket_state_name(st), ticket_state_name(to)),
                                   NULL, e)))
                return rc;
            st = to;
        }
        if ((rc = append_search(c, tx, x->id, answer, "customer", e)))
            return rc;
    }
    const struct ticket_sla_view *view = NULL;
    /* a call only registered has no pauses or stored clocks yet: nothing to read back */
    if ((rc = close ? ticket_sla_refresh(c, tx, x->id, now_t, &view, e)
                    : ticket_sla_start(c, tx, x->id, now_t, &view, e)))
        return rc;
    sh_buf_reset(&x->out);
    if ((rc = render_ticket(c, tx, x->id, view, &x->out, &x->version, e)))
        return rc;
    if ((rc = audit_write(tx, &c->who, "ticket", x->id, "create", NULL, x->out.buf, e)))
        return rc;
    x->status = 201;
    if (x->idem_key)
        rc = api_idem_store(c, tx, x->idem_key, x->status, x->out.buf, e);
    return rc;
}

enum sh_code ticket_intake(struct api_ctx *c, struct db_tx *tx, const char *json, size_t len,
                           int64_t *id, struct sh_err *e)
{
    struct intake x = {.c = c};
    sh_buf_init(&x.out, 4 << 20);
    enum sh_code rc = api_parse_object(c->a, json, len, intake_cols, I_COUNT, false, x.v, NULL, e);
    if (!rc)
        rc = intake_run(tx, &x, e);
    *id = x.id;
    sh_buf_release(&x.out);
    return rc;
}

void h_ticket_create(struct api_ctx *c)
{
    struct intake x = {.c = c};
    sh_buf_init(&x.out, 4 << 20);
    struct sh_err e;
    sh_err_clear(&e);
    if (!api_idem_key(c, &x.idem_key))
        goto out;
    if (api_parse_object(c->a, c->req->body.buf, c->req->body.len, intake_cols, I_COUNT, false, x.v,
                         NULL, &e)) {
        api_reply_err(c, &e);
        goto out;
    }
    if (api_is_external(c) && (x.v[I_ASSIGNEE].present || x.v[I_DEPT].present ||
                               x.v[I_CLOSE].present || x.v[I_RECEIVED].present)) {
        api_reply_error(c, SH_FORBIDDEN, NULL,
                        "customers cannot assign, close or back-date their requests");
        goto out;
    }
    enum sh_code rc = db_write(c->app->db, intake_run, &x, &e);
    if (rc == SH_CONFLICT && x.idem_key) {
        struct sh_err e2;
        sh_err_clear(&e2);
        /* a concurrent request with the same key won */
        rc = SH_CONFLICT;
        (void)e2;
    }
    if (rc) {
        api_reply_err(c, &e);
        goto out;
    }
    if (x.replayed)
        http_add_header(c->req, "Idempotent-Replayed", "true");
    else
        http_add_header(c->req, "Location",
                        sh_arena_printf(c->a, "/api/v1/tickets/%" PRId64, x.id));
    if (x.version)
        http_add_header(c->req, "ETag", sh_arena_printf(c->a, "\"%s\"", x.version));
    api_reply_json(c, x.status, &x.out);
out:
    sh_buf_release(&x.out);
}
