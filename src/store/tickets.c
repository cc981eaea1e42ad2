/* SPDX-License-Identifier: MIT */
#include "store/tickets.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/bigram.h"
#include "base/date.h"
#include "domain/ticket.h"

#define PAIRS_MAX 40000 /* bytes of pair text kept */

const char *tickets_pairs(struct sh_arena *a, const char *text)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    const char *out = "";
    if (sh_bigrams(text ? text : "", &b) == SH_OK) {
        size_t n = b.len;
        if (n > PAIRS_MAX) {
            n = PAIRS_MAX;
            while (n > 0 && ((unsigned char)b.buf[n] & 0xC0) == 0x80)
                n--;
        }
        char *s = sh_arena_alloc(a, n + 1);
        memcpy(s, b.buf, n);
        s[n] = '\0';
        out = s;
    }
    sh_buf_release(&b);
    return out;
}

enum sh_code tickets_search_append(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                   const char *text, bool customer_visible, struct sh_err *e)
{
    if (!text || !*text)
        return SH_OK;
    /* the customer text stays empty ("the same as the staff text") until the first note the
     * customer may not read: then it starts as the staff text before that note */
    const char *sql = customer_visible
                          ? "UPDATE tickets SET search = substr(search || ' ' || $2, 1, 20000), "
                            "search_bi = substr(search_bi || ' ' || $3, 1, 40000), search_ext = "
                            "CASE WHEN search_ext = '' THEN '' ELSE substr(search_ext || ' ' || "
                            "$2, 1, 20000) END, search_ext_bi = CASE WHEN search_ext = '' THEN '' "
                            "ELSE substr(search_ext_bi || ' ' || $3, 1, 40000) END WHERE id = $1"
                          : "UPDATE tickets SET search = substr(search || ' ' || $2, 1, 20000), "
                            "search_bi = substr(search_bi || ' ' || $3, 1, 40000), search_ext = "
                            "CASE WHEN search_ext = '' THEN search ELSE search_ext END, "
                            "search_ext_bi = CASE WHEN search_ext = '' THEN search_bi ELSE "
                            "search_ext_bi END WHERE id = $1";
    return db_exec(tx, sql, DB_P(DB_INT(id), DB_TEXT(text), DB_TEXT(tickets_pairs(a, text))), NULL,
                   e);
}

static void base_of(const struct db_rows *r, int i, struct ticket_search_base *b)
{
    *b = (struct ticket_search_base){db_get(r, i, "number"),       db_get(r, i, "caller_name"),
                                     db_get(r, i, "caller_phone"), db_get(r, i, "cname"),
                                     db_get(r, i, "serial_no"),    db_get(r, i, "description")};
}

static const char *compose(struct sh_arena *a, const struct ticket_search_in *in, bool external,
                           struct sh_err *e)
{
    struct sh_buf b = SH_BUF_INIT(TICKET_SEARCH_MAX + 4096);
    const char *s = NULL;
    if (ticket_search_text(in, external, &b) == SH_OK)
        s = sh_arena_strdup(a, b.buf ? b.buf : "");
    else
        sh_err_set(e, SH_INTERNAL, "ticket search text");
    sh_buf_release(&b);
    return s;
}

enum sh_code tickets_search_rebuild(struct db_tx *tx, struct sh_arena *a, int64_t id,
                                    struct sh_err *e)
{
    struct db_rows t, ev;
    enum sh_code rc = db_query(
        tx, a,
        "SELECT t.number, t.caller_name, t.caller_phone, c.name AS cname, u.serial_no, "
        "t.description FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN "
        "units u ON u.id = t.unit_id WHERE t.id = $1 OR t.merged_into = $1 ORDER BY t.id <> $1, "
        "t.id",
        DB_P(DB_INT(id)), &t, e);
    if (rc || t.nrows == 0)
        return rc;
    if ((rc = db_query(tx, a,
                       "SELECT kind, visibility, body FROM ticket_events WHERE ticket_id = $1 AND "
                       "kind IN ('comment', 'call', 'state') AND body <> '' ORDER BY id",
                       DB_P(DB_INT(id)), &ev, e)))
        return rc;
    struct ticket_search_base *base = sh_arena_alloc(a, sizeof(*base) * (size_t)t.nrows);
    for (int i = 0; i < t.nrows; i++)
        base_of(&t, i, &base[i]);
    struct ticket_search_note *notes =
        sh_arena_alloc(a, sizeof(*notes) * (size_t)(ev.nrows ? ev.nrows : 1));
    for (int i = 0; i < ev.nrows; i++)
        notes[i] = (struct ticket_search_note){db_get(&ev, i, "kind"), db_get(&ev, i, "visibility"),
                                               db_get(&ev, i, "body")};
    struct ticket_search_in in = {base, (size_t)t.nrows, notes, (size_t)ev.nrows};
    const char *staff = compose(a, &in, false, e), *cust = compose(a, &in, true, e);
    if (!staff || !cust)
        return e->code;
    if (!strcmp(staff, cust))
        cust = ""; /* the same: searched through the staff indexes */
    return db_exec(tx,
                   "UPDATE tickets SET search = $2, search_bi = $3, search_ext = $4, "
                   "search_ext_bi = $5 WHERE id = $1",
                   DB_P(DB_INT(id), DB_TEXT(staff), DB_TEXT(tickets_pairs(a, staff)), DB_TEXT(cust),
                        DB_TEXT(*cust ? tickets_pairs(a, cust) : "")),
                   NULL, e);
}

/* Rebuilds the search texts of the tickets whose ids are column "id" of r. */
static enum sh_code rebuild_rows(struct db_tx *tx, const struct db_rows *r, struct sh_err *e)
{
    enum sh_code rc = SH_OK;
    for (int i = 0; !rc && i < r->nrows; i++) {
        struct sh_arena one; /* per ticket: a large table does not pile up in a */
        sh_arena_init(&one, 0);
        rc = tickets_search_rebuild(tx, &one, db_get_int(r, i, "id", 0), e);
        sh_arena_release(&one);
    }
    return rc;
}

enum sh_code tickets_search_rebuild_all(struct db_tx *tx, struct sh_arena *a, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a, "SELECT id FROM tickets ORDER BY id", DB_NOP, &r, e);
    return rc ? rc : rebuild_rows(tx, &r, e);
}

enum sh_code tickets_search_rebuild_of(struct db_tx *tx, struct sh_arena *a, bool of_customer,
                                       int64_t id, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        of_customer
            ? "SELECT id FROM tickets WHERE customer_id = $1 UNION SELECT merged_into AS id "
              "FROM tickets WHERE customer_id = $1 AND merged_into IS NOT NULL ORDER BY id"
            : "SELECT id FROM tickets WHERE unit_id = $1 UNION SELECT merged_into AS id "
              "FROM tickets WHERE unit_id = $1 AND merged_into IS NOT NULL ORDER BY id",
        DB_P(DB_INT(id)), &r, e);
    return rc ? rc : rebuild_rows(tx, &r, e);
}

enum sh_code tickets_region_refresh(struct db_tx *tx, int64_t customer_id, struct sh_err *e)
{
    return db_exec(tx,
                   "UPDATE tickets SET region = COALESCE((SELECT COALESCE(NULLIF(region, ''), "
                   "province) FROM customers WHERE id = $1), '') WHERE customer_id = $1",
                   DB_P(DB_INT(customer_id)), NULL, e);
}

/* ---- the ticket row ---- */

enum sh_code tickets_lock(struct db_tx *tx, int64_t id, struct sh_err *e)
{
    return db_lock_row(tx, "tickets", id, e);
}

enum sh_code tickets_get(struct db_tx *tx, struct sh_arena *a, int64_t id, struct ticket_row *out,
                         struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT id, number, type, status, customer_id, unit_id, "
                               "assignee_id, department_id, merged_into, version, "
                               "warranty_status, billing, received_at, exclusion FROM tickets "
                               "WHERE id = $1",
                               DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (r.nrows == 0)
        return sh_err_set(e, SH_NOT_FOUND, "ticket %" PRId64 " not found", id);
    *out = (struct ticket_row){
        .id = id,
        .number = db_get(&r, 0, "number"),
        .type = db_get(&r, 0, "type"),
        .status = db_get(&r, 0, "status"),
        .customer_id = db_get_int(&r, 0, "customer_id", 0),
        .unit_id = db_get_int(&r, 0, "unit_id", 0),
        .assignee_id = db_get_int(&r, 0, "assignee_id", 0),
        .department_id = db_get_int(&r, 0, "department_id", 0),
        .merged_into = db_get_int(&r, 0, "merged_into", 0),
        .version = db_get_int(&r, 0, "version", 0),
        .warranty_status = db_get(&r, 0, "warranty_status"),
        .billing = db_get(&r, 0, "billing"),
        .received_at = db_get(&r, 0, "received_at"),
        .exclusion = db_get(&r, 0, "exclusion"),
    };
    return SH_OK;
}

enum sh_code tickets_set_owner(struct db_tx *tx, int64_t id, int64_t assignee, int64_t dept,
                               struct sh_err *e)
{
    return db_exec(
        tx,
        "UPDATE tickets SET assignee_id = COALESCE($2, assignee_id), department_id = "
        "COALESCE($3, department_id) WHERE id = $1",
        DB_P(DB_INT(id), assignee ? DB_INT(assignee) : DB_NULL, dept ? DB_INT(dept) : DB_NULL),
        NULL, e);
}

enum sh_code tickets_set_times(struct db_tx *tx, int64_t id, const char *visit_at,
                               const char *promised_arrival_at, struct sh_err *e)
{
    enum sh_code rc = SH_OK;
    if (visit_at)
        rc = db_exec(tx, "UPDATE tickets SET visit_at = $2 WHERE id = $1",
                     DB_P(DB_INT(id), DB_TEXT(visit_at)), NULL, e);
    if (!rc && promised_arrival_at)
        rc = db_exec(tx, "UPDATE tickets SET promised_arrival_at = $2 WHERE id = $1",
                     DB_P(DB_INT(id), DB_TEXT(promised_arrival_at)), NULL, e);
    return rc;
}

enum sh_code tickets_set_warranty(struct db_tx *tx, int64_t id, const char *billing,
                                  const char *status, const char *json, struct sh_err *e)
{
    return db_exec(tx,
                   "UPDATE tickets SET billing = $2, warranty_status = $3, warranty_json = $4 "
                   "WHERE id = $1",
                   DB_P(DB_INT(id), DB_TEXT(billing), DB_TEXT(status), DB_TEXT(json)), NULL, e);
}

enum sh_code tickets_has_event(struct db_tx *tx, struct sh_arena *a, int64_t id, const char *kind,
                               bool *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT id FROM ticket_events WHERE ticket_id = $1 AND kind = $2 "
                               "LIMIT 1",
                               DB_P(DB_INT(id), DB_TEXT(kind)), &r, e);
    *out = !rc && r.nrows > 0;
    return rc;
}

enum sh_code tickets_staff_user(struct db_tx *tx, struct sh_arena *a, int64_t id, bool *out,
                                struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT id FROM users WHERE id = $1 AND active = 1 AND customer_id "
                               "IS NULL",
                               DB_P(DB_INT(id)), &r, e);
    *out = !rc && r.nrows > 0;
    return rc;
}

enum sh_code tickets_department(struct db_tx *tx, struct sh_arena *a, int64_t id, bool *out,
                                struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(tx, a, "SELECT id FROM departments WHERE id = $1", DB_P(DB_INT(id)), &r, e);
    *out = !rc && r.nrows > 0;
    return rc;
}

enum sh_code tickets_apply_action(struct db_tx *tx, int64_t id, enum ticket_action act,
                                  enum ticket_state to, const char *now, struct sh_err *e)
{
    enum sh_code rc =
        db_exec(tx,
                "UPDATE tickets SET status = $2, updated_at = $3, version = version "
                "+ 1 WHERE id = $1",
                DB_P(DB_INT(id), DB_TEXT(ticket_state_name(to)), DB_TEXT(now)), NULL, e);
    if (rc)
        return rc;
    /* the first instant of each SLA event is kept */
    const char *sql = NULL;
    switch (act) {
    case TA_REPLY:
        sql = "UPDATE tickets SET replied_at = COALESCE(replied_at, $2) WHERE id = $1";
        break;
    case TA_RESOLVE_REMOTE:
        sql = "UPDATE tickets SET replied_at = COALESCE(replied_at, $2), remote_solved_at = "
              "COALESCE(remote_solved_at, $2), resolved_at = COALESCE(resolved_at, $2) WHERE id = "
              "$1";
        break;
    case TA_SCHEDULE_VISIT:
        sql = "UPDATE tickets SET not_remote_at = COALESCE(not_remote_at, $2), "
              "visit_scheduled_at = COALESCE(visit_scheduled_at, $2) WHERE id = $1";
        break;
    case TA_ARRIVE:
        sql = "UPDATE tickets SET arrived_at = COALESCE(arrived_at, $2) WHERE id = $1";
        break;
    case TA_SEND_TO_FACTORY:
        sql = "UPDATE tickets SET not_remote_at = COALESCE(not_remote_at, $2), factory_at = "
              "COALESCE(factory_at, $2) WHERE id = $1";
        break;
    case TA_ESCALATE:
        sql = "UPDATE tickets SET not_remote_at = COALESCE(not_remote_at, $2) WHERE id = $1";
        break;
    case TA_WAIT_CUSTOMER:
        sql = "INSERT INTO ticket_pauses (ticket_id, started_at) VALUES ($1, $2)";
        break;
    case TA_RESUME:
        sql = "UPDATE ticket_pauses SET ended_at = $2 WHERE ticket_id = $1 AND ended_at IS NULL";
        break;
    case TA_RESOLVE:
        sql = "UPDATE tickets SET resolved_at = COALESCE(resolved_at, $2) WHERE id = $1";
        break;
    case TA_CLOSE:
    case TA_CANCEL:
        sql = "UPDATE tickets SET closed_at = $2 WHERE id = $1";
        break;
    case TA_REOPEN:
        sql = "UPDATE tickets SET resolved_at = NULL, closed_at = NULL WHERE id = $1 AND $2 <> ''";
        break;
    case TA_ASSIGN:
    case TA_ACCEPT:
    case TICKET_ACTION_COUNT:
        break;
    }
    if (sql && (rc = db_exec(tx, sql, DB_P(DB_INT(id), DB_TEXT(now)), NULL, e)))
        return rc;
    /* a pause still open when the ticket leaves "waiting" by another action ends now */
    if (act != TA_WAIT_CUSTOMER && to != TS_WAITING_CUSTOMER)
        rc = db_exec(tx,
                     "UPDATE ticket_pauses SET ended_at = $2 WHERE ticket_id = $1 AND ended_at IS "
                     "NULL",
                     DB_P(DB_INT(id), DB_TEXT(now)), NULL, e);
    return rc;
}

/* ---- intake ---- */

enum sh_code tickets_next_seq_ahead(struct db_tx *tx, struct sh_arena *a, const char *day,
                                    struct db_rows *out, struct sh_err *e)
{
    /* PostgreSQL: a sequence per day (migration 0039), no row lock held until COMMIT;
     * SQLite has one writer: the counter row */
    return db_query_ahead(tx, a,
                          db_tx_dialect(tx) == DB_PG
                              ? "SELECT shouhou_ticket_seq($1) AS n"
                              : "INSERT INTO ticket_counters (day, n) VALUES ($1, 1) ON "
                                "CONFLICT (day) DO UPDATE SET n = ticket_counters.n + 1 "
                                "RETURNING n",
                          DB_P(DB_TEXT(day)), out, e);
}

unsigned tickets_seq_of(const struct db_rows *r)
{
    return (unsigned)db_get_int(r, 0, "n", 1);
}

enum sh_code tickets_intake_info(struct db_tx *tx, struct sh_arena *a, int64_t cust, int64_t unit,
                                 struct intake_refs *out, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a,
        "SELECT u.model_id, u.serial_no, u.contract_id, c.name AS cname, "
        "COALESCE(NULLIF(c.region, ''), c.province) AS region, c.is_key FROM (SELECT 1 AS one) "
        "o LEFT JOIN units u ON u.id = $1 LEFT JOIN customers c ON c.id = $2",
        DB_P(DB_INT(unit), DB_INT(cust)), &r, e);
    if (rc)
        return rc;
    out->model_id = db_get(&r, 0, "model_id");
    out->serial_no = db_get(&r, 0, "serial_no");
    out->unit_contract_id = db_get_int(&r, 0, "contract_id", 0);
    out->region = db_get(&r, 0, "region");
    out->customer_name = db_get(&r, 0, "cname");
    out->customer_key = db_get_int(&r, 0, "is_key", 0) != 0;
    return SH_OK;
}

static struct db_val text_or_empty(const char *s)
{
    return DB_TEXT(s ? s : "");
}

static struct db_val id_or_null(int64_t id)
{
    return id ? DB_INT(id) : DB_NULL;
}

enum sh_code tickets_insert(struct db_tx *tx, struct sh_arena *a, const struct ticket_new *t,
                            int64_t *id, struct db_rows *row, struct sh_err *e)
{
    /* staff and customer texts are the same until the first internal note: the customer
     * text is kept empty meanwhile (entity.c searches the staff indexes for it) */
    const struct ticket_search_base sb = {t->number,        t->caller_name, t->caller_phone,
                                          t->customer_name, t->serial_no,   t->description};
    const struct ticket_search_in sin = {&sb, 1, NULL, 0};
    const char *search = compose(a, &sin, false, e);
    if (!search)
        return e->code;
    const char *pairs = tickets_pairs(a, search);
    char now[21], recv[21];
    sh_ts_format(t->created_at, now);
    sh_ts_format(t->received_at, recv);
    enum sh_code rc = db_query(
        tx, a,
        "INSERT INTO tickets (number, channel, type, status, priority, customer_id, unit_id, "
        "model_id, region, caller_name, caller_phone, fault_category, description, "
        "required_arrival_at, received_at, assignee_id, department_id, sla_policy_id, billing, "
        "warranty_status, warranty_json, search, created_by, created_at, updated_at, search_bi, "
        "search_ext, search_ext_bi, public_token, sla_state, next_due_at, next_check_at) VALUES "
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, "
        "$20, $21, $22, $23, $24, $24, $25, '', '', $26, $27, $28, $29) RETURNING *",
        DB_P(DB_TEXT(t->number), DB_TEXT(t->channel), DB_TEXT(t->type),
             DB_TEXT(t->assignee_id ? "assigned" : "new"), DB_TEXT(t->priority),
             id_or_null(t->customer_id), id_or_null(t->unit_id), DB_TEXT(t->model_id),
             text_or_empty(t->region), text_or_empty(t->caller_name),
             text_or_empty(t->caller_phone), text_or_empty(t->fault_category),
             text_or_empty(t->description), DB_TEXT(t->required_arrival_at), DB_TEXT(recv),
             id_or_null(t->assignee_id), id_or_null(t->department_id), id_or_null(t->sla_policy_id),
             DB_TEXT(t->billing), DB_TEXT(t->warranty_status), DB_TEXT(t->warranty_json),
             DB_TEXT(search), id_or_null(t->created_by), DB_TEXT(now), DB_TEXT(pairs),
             DB_TEXT(t->public_token), DB_TEXT(t->sla_state ? t->sla_state : "ok"),
             DB_TEXT(t->next_due_at), DB_TEXT(t->next_check_at)),
        row, e);
    if (!rc)
        *id = db_get_int(row, 0, "id", 0);
    return rc;
}

enum sh_code tickets_set_repeat(struct db_tx *tx, int64_t id, int64_t repeat_of, struct sh_err *e)
{
    return db_exec(tx, "UPDATE tickets SET repeat_of = $2 WHERE id = $1",
                   DB_P(DB_INT(id), DB_INT(repeat_of)), NULL, e);
}

enum sh_code tickets_resolved_repairs(struct db_tx *tx, struct sh_arena *a, int64_t unit,
                                      int64_t id, struct ticket_repair **out, size_t *n,
                                      struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(tx, a,
                               "SELECT id, fault_category, received_at, resolved_at FROM tickets "
                               "WHERE unit_id = $1 AND type = 'repair' AND resolved_at IS NOT NULL "
                               "AND id <> $2 AND merged_into IS NULL ORDER BY resolved_at DESC "
                               "LIMIT 50",
                               DB_P(DB_INT(unit), DB_INT(id)), &r, e);
    *n = 0;
    if (rc || r.nrows == 0)
        return rc;
    struct ticket_repair *prev = sh_arena_alloc(a, sizeof(*prev) * (size_t)r.nrows);
    for (int i = 0; i < r.nrows; i++) {
        int64_t t1 = 0, t2 = 0;
        sh_ts_parse(db_get(&r, i, "received_at"), &t1);
        sh_ts_parse(db_get(&r, i, "resolved_at"), &t2);
        prev[i] = (struct ticket_repair){.ticket_id = db_get_int(&r, i, "id", 0),
                                         .unit_id = unit,
                                         .fault_code = db_get(&r, i, "fault_category"),
                                         .reported = sh_civil_from_days((t1 + 8 * 3600) / 86400),
                                         .resolved = sh_civil_from_days((t2 + 8 * 3600) / 86400)};
    }
    *out = prev;
    *n = (size_t)r.nrows;
    return SH_OK;
}

/* ---- what intake checks, in one statement ---- */

/* s: the units of the serial number; un: the ticket's unit (by id, else the only one of s);
 * ph: a customer with the caller's phone, or a contact's (however typed: $5, $9–$11 its
 * spellings, domain/phone.h); cu: the ticket's customer (the one
 * named, else the unit's owner, else the one of the phone). Each lookup that may be skipped
 * is gated on its parameter ("$5 IS NOT NULL": a one-time filter even in the generic plan;
 * without it that plan scanned every customer for a NULL phone when most customers have the
 * same phone, e.g. none). PostgreSQL runs it with that generic plan (DB_GENERIC_PLAN): left
 * to choose, it kept making a custom plan at every intake that names its customer (the phone
 * NULL), ~0.7 ms each, for a statement that runs in ~0.05 ms. */
static const char intake_refs_sql[] = DB_GENERIC_PLAN
    "WITH s AS (SELECT id, customer_id FROM units WHERE serial_no = CAST($1 AS TEXT) AND "
    "(CAST($2 AS BIGINT) = 0 OR customer_id = CAST($2 AS BIGINT)) LIMIT 3), "
    "un AS (SELECT id, customer_id, model_id, serial_no, contract_id FROM units WHERE id = CASE "
    "WHEN CAST($3 AS BIGINT) <> 0 THEN CAST($3 AS BIGINT) WHEN (SELECT COUNT(*) FROM s) = 1 THEN "
    "(SELECT id FROM s) END), "
    "ph AS (SELECT id FROM customers WHERE CAST($5 AS TEXT) IS NOT NULL AND REPLACE(REPLACE("
    "phone, ' ', ''), '-', '') IN (CAST($5 AS TEXT), CAST($9 AS TEXT), CAST($10 AS TEXT), "
    "CAST($11 AS TEXT)) UNION ALL SELECT customer_id FROM contacts WHERE CAST($5 AS TEXT) IS "
    "NOT NULL AND REPLACE(REPLACE(phone, ' ', ''), '-', '') IN (CAST($5 AS TEXT), CAST($9 AS "
    "TEXT), CAST($10 AS TEXT), CAST($11 AS TEXT)) LIMIT 1), "
    "cu AS (SELECT id, name, COALESCE(NULLIF(region, ''), province) AS region, is_key FROM "
    "customers WHERE id = COALESCE(NULLIF(CAST($4 AS BIGINT), 0), (SELECT customer_id FROM un), "
    "(SELECT id FROM ph))) "
    "SELECT (SELECT COUNT(*) FROM s) AS serial_n, un.id AS unit_id, un.customer_id AS owner, "
    "un.model_id, un.serial_no, un.contract_id, cu.id AS cust_id, cu.name AS cname, cu.region, "
    "cu.is_key, (SELECT id FROM ph) AS phone_cust, (SELECT 1 FROM fault_categories WHERE code = "
    "CAST($6 AS TEXT) AND active = 1) AS fault_ok, (SELECT 1 FROM users WHERE id = CAST($7 AS "
    "BIGINT) AND active = 1) AS assignee_ok, (SELECT 1 FROM departments WHERE id = CAST($8 AS "
    "BIGINT)) AS dept_ok FROM (SELECT 1 AS one) o LEFT JOIN un ON 1 = 1 LEFT JOIN cu ON 1 = 1";

enum sh_code tickets_intake_refs(struct db_tx *tx, struct sh_arena *a,
                                 const struct intake_refs_in *in, struct intake_refs *out,
                                 struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        tx, a, intake_refs_sql,
        DB_P(DB_TEXT(in->serial), DB_INT(in->serial_owner), DB_INT(in->unit_id),
             DB_INT(in->customer_id), DB_TEXT(in->phone ? in->phone[0] : NULL),
             DB_TEXT(in->fault_category), DB_INT(in->assignee_id), DB_INT(in->department_id),
             DB_TEXT(in->phone ? in->phone[1] : NULL), DB_TEXT(in->phone ? in->phone[2] : NULL),
             DB_TEXT(in->phone ? in->phone[3] : NULL)),
        &r, e);
    if (rc)
        return rc;
    *out = (struct intake_refs){
        .serial_n = (int)db_get_int(&r, 0, "serial_n", 0),
        .unit_id = db_get_int(&r, 0, "unit_id", 0),
        .unit_owner = db_get_int(&r, 0, "owner", 0),
        .model_id = db_get(&r, 0, "model_id"),
        .serial_no = db_get(&r, 0, "serial_no"),
        .unit_contract_id = db_get_int(&r, 0, "contract_id", 0),
        .customer_id = db_get_int(&r, 0, "cust_id", 0),
        .region = db_get(&r, 0, "region"),
        .customer_name = db_get(&r, 0, "cname"),
        .customer_key = db_get_int(&r, 0, "is_key", 0) != 0,
        .phone_customer = db_get_int(&r, 0, "phone_cust", 0),
        .fault_ok = db_get(&r, 0, "fault_ok") != NULL,
        .assignee_ok = db_get(&r, 0, "assignee_ok") != NULL,
        .department_ok = db_get(&r, 0, "dept_ok") != NULL,
    };
    return SH_OK;
}

enum sh_code sla_policies_active_ahead(struct db_tx *tx, struct sh_arena *a, struct db_rows *out,
                                       struct sh_err *e)
{
    return db_query_ahead(tx, a, "SELECT * FROM sla_policies WHERE active = 1 ORDER BY id", DB_NOP,
                          out, e);
}

struct sla_candidate *sla_candidates_of(struct sh_arena *a, const struct db_rows *p)
{
    struct sla_candidate *cand = sh_arena_alloc(a, sizeof(*cand) * (size_t)(p->nrows + 1));
    /* selection needs only each candidate's scope: its policy is identified by id */
    struct sla_policy *pols = sh_arena_alloc(a, sizeof(*pols) * (size_t)(p->nrows + 1));
    for (int i = 0; i < p->nrows; i++) {
        pols[i].id = db_get_int(p, i, "id", 0);
        cand[i].policy = &pols[i];
        const char *ctr = db_get(p, i, "contract_id"), *tier = db_get(p, i, "customer_tier"),
                   *tt = db_get(p, i, "ticket_type");
        if (ctr) {
            cand[i].scope = SLA_SCOPE_CONTRACT;
            cand[i].contract_id = strtoll(ctr, NULL, 10);
        } else if (tier) {
            cand[i].scope = SLA_SCOPE_TIER;
            cand[i].tier = !strcmp(tier, "key") ? SLA_TIER_KEY : SLA_TIER_STANDARD;
        } else if (tt) {
            cand[i].scope = SLA_SCOPE_TICKET_TYPE;
            (void)ticket_type_parse(tt, &cand[i].type);
        } else {
            cand[i].scope = SLA_SCOPE_DEFAULT;
        }
    }
    return cand;
}

enum sh_code tickets_merge_into(struct db_tx *tx, int64_t id, int64_t into, const char *now,
                                struct sh_err *e)
{
    static const char *const moves[] = {
        "UPDATE ticket_events SET ticket_id = $2 WHERE ticket_id = $1",
        "UPDATE attachments SET ticket_id = $2 WHERE ticket_id = $1",
    };
    enum sh_code rc = SH_OK;
    for (size_t i = 0; !rc && i < sizeof(moves) / sizeof(moves[0]); i++)
        rc = db_exec(tx, moves[i], DB_P(DB_INT(id), DB_INT(into)), NULL, e);
    if (!rc)
        rc = db_exec(tx,
                     "UPDATE tickets SET merged_into = $2, status = 'cancelled', closed_at = $3, "
                     "next_check_at = NULL, updated_at = $3, version = version + 1 WHERE id = $1",
                     DB_P(DB_INT(id), DB_INT(into), DB_TEXT(now)), NULL, e);
    if (!rc)
        rc = db_exec(tx,
                     "UPDATE ticket_pauses SET ended_at = $2 WHERE ticket_id = $1 AND ended_at "
                     "IS NULL",
                     DB_P(DB_INT(id), DB_TEXT(now)), NULL, e);
    return rc;
}

enum sh_code tickets_set_exclusion(struct db_tx *tx, int64_t id, const char *cause,
                                   const char *reason, const char *billing, const char *status,
                                   const char *json, struct sh_err *e)
{
    return db_exec(tx,
                   "UPDATE tickets SET exclusion = $2, exclusion_reason = $3, billing = $4, "
                   "warranty_status = $5, warranty_json = $6, version = version + 1 WHERE id = $1",
                   DB_P(DB_INT(id), DB_TEXT(cause), DB_TEXT(reason), DB_TEXT(billing),
                        DB_TEXT(status), DB_TEXT(json)),
                   NULL, e);
}
