/* SPDX-License-Identifier: MIT */
/* What an approval is about (review 68 M2): the `subject` member of a request read through the
 * API (entity approval's read_extra), one place per kind, so that the approver does not
 * decide blind. A quote: the quote, its ticket, customer, lines and total, and the code and
 * parameters of the purpose the server wrote. A replacement: the unit, the RMA, its cause
 * analysis and the warranty with the eligibility (WF-06). The market-support kinds carry
 * everything on the request itself: null. Read in the list's or get's own transaction, for a
 * caller the route let read the request (docs/approvals.md "The subject"). */
#include "app/approvals.h"

#include <inttypes.h>
#include <string.h>

#include "base/jw.h"
#include "domain/rma.h"

/* The ids of the page's requests of one kind as an SQL list ("1,5,9"); NULL: none. */
static const char *ids_of(const struct uc *u, const struct db_rows *r, int n, const char *kind)
{
    const char *list = NULL;
    for (int i = 0; i < n; i++) {
        const char *k = db_get(r, i, "kind");
        if (!k || strcmp(k, kind))
            continue;
        int64_t id = db_get_int(r, i, "id", 0);
        list = list ? sh_arena_printf(u->a, "%s,%" PRId64, list, id)
                    : sh_arena_printf(u->a, "%" PRId64, id);
    }
    return list;
}

/* Row i of the page whose id is id; -1: none. */
static int row_of(const struct db_rows *r, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (db_get_int(r, i, "id", 0) == id)
            return i;
    return -1;
}

static const char *finish(const struct uc *u, struct sh_buf *b, struct jw *w)
{
    const char *s = jw_finish(w) ? NULL : sh_arena_strdup(u->a, b->buf);
    sh_buf_release(b);
    return s;
}

static void quote_lines(struct jw *w, const struct db_rows *l, int64_t quote_id)
{
    jw_key(w, "lines");
    jw_arr_begin(w);
    for (int i = 0; i < l->nrows; i++) {
        if (db_get_int(l, i, "quote_id", 0) != quote_id)
            continue;
        jw_obj_begin(w);
        jw_kintstr(w, "pos", db_get(l, i, "pos"));
        jw_kstr(w, "kind", db_get(l, i, "kind"));
        jw_kstr(w, "code", db_get(l, i, "code"));
        jw_kstr(w, "name", db_get(l, i, "name"));
        jw_kintstr(w, "qty_centi", db_get(l, i, "qty_centi"));
        jw_kintstr(w, "rate_fen", db_get(l, i, "rate_fen"));
        jw_kintstr(w, "extra_fen", db_get(l, i, "extra_fen"));
        jw_kintstr(w, "amount_fen", db_get(l, i, "amount_fen"));
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

/* RULE M2 (review 68): a quote approval shows the quote it approves. The purpose the server
 * wrote (app/quote_send.c) is code "quote" with the quote's number and the request's amount,
 * for the UI to say in its language. */
static const char *quote_subject(const struct uc *u, const struct db_rows *q, int i,
                                 const struct db_rows *l, const char *cost_fen)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kstr(&w, "kind", "quote");
    jw_key(&w, "quote");
    jw_obj_begin(&w);
    jw_kintstr(&w, "id", db_get(q, i, "id"));
    const char *fields[] = {"number", "status", "valid_until"};
    for (size_t k = 0; k < 3; k++)
        jw_kstr(&w, fields[k], db_get(q, i, fields[k]));
    jw_kintstr(&w, "revision", db_get(q, i, "revision"));
    jw_kintstr(&w, "total_fen", db_get(q, i, "total_fen"));
    jw_obj_end(&w);
    jw_key(&w, "ticket");
    jw_obj_begin(&w);
    jw_kintstr(&w, "id", db_get(q, i, "ticket_id"));
    jw_kstr(&w, "number", db_get(q, i, "ticket_number"));
    jw_obj_end(&w);
    jw_kstr(&w, "customer_name", db_get(q, i, "customer_name"));
    /* the lines are the quote's: the roles that do not read quotes (the goods roles) see the
     * approval's total, not them */
    if (u->who->roles & ROLES_QUOTE_READ)
        quote_lines(&w, l, db_get_int(q, i, "id", 0));
    else
        jw_knull(&w, "lines");
    jw_key(&w, "purpose");
    jw_obj_begin(&w);
    jw_kstr(&w, "code", "quote");
    jw_key(&w, "params");
    jw_obj_begin(&w);
    jw_kstr(&w, "number", db_get(q, i, "number"));
    jw_kintstr(&w, "amount_fen", cost_fen);
    jw_obj_end(&w);
    jw_obj_end(&w);
    jw_obj_end(&w);
    return finish(u, &b, &w);
}

static enum sh_code quotes(const struct uc *u, const struct db_rows *r, int n, const char **out,
                           struct sh_err *e)
{
    const char *ids = ids_of(u, r, n, "quote");
    if (!ids)
        return SH_OK;
    struct db_rows q, l;
    enum sh_code rc = db_query(
        u->tx, u->a,
        sh_arena_printf(u->a,
                        "SELECT q.approval_id, q.id, q.number, q.status, q.revision, q.total_fen, "
                        "q.valid_until, q.ticket_id, t.number AS ticket_number, c.name AS "
                        "customer_name FROM quotes q JOIN tickets t ON t.id = q.ticket_id LEFT "
                        "JOIN customers c ON c.id = q.customer_id WHERE q.approval_id IN (%s)",
                        ids),
        DB_NOP, &q, e);
    if (rc || !q.nrows ||
        (rc = db_query(u->tx, u->a,
                       sh_arena_printf(u->a,
                                       "SELECT l.quote_id, l.pos, l.kind, l.code, l.name, "
                                       "l.qty_centi, l.rate_fen, l.extra_fen, l.amount_fen FROM "
                                       "quote_lines l JOIN quotes q ON q.id = l.quote_id WHERE "
                                       "q.approval_id IN (%s) ORDER BY l.quote_id, l.pos",
                                       ids),
                       DB_NOP, &l, e)))
        return rc;
    for (int i = 0; i < q.nrows; i++) {
        int row = row_of(r, n, db_get_int(&q, i, "approval_id", 0));
        if (row >= 0)
            out[row] = quote_subject(u, &q, i, &l, db_get(r, row, "cost_fen"));
    }
    return SH_OK;
}

/* RULE M2 (review 68), WF-06 S2: a replacement approval shows the unit, the RMA's cause
 * analysis and the warranty, with the eligibility the RMA's replace checks (paid: out of
 * warranty, the customer accepted the charge). */
static const char *replacement_subject(const struct uc *u, const struct db_rows *x, int i)
{
    struct sh_buf b = SH_BUF_INIT(1 << 20);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kstr(&w, "kind", "replacement");
    jw_key(&w, "unit");
    jw_obj_begin(&w);
    jw_kintstr(&w, "id", db_get(x, i, "unit_id"));
    jw_kstr(&w, "serial_no", db_get(x, i, "serial_no"));
    jw_kstr(&w, "model_code", db_get(x, i, "model_code"));
    jw_kstr(&w, "model_name", db_get(x, i, "model_name"));
    jw_obj_end(&w);
    jw_key(&w, "ticket");
    jw_obj_begin(&w);
    jw_kintstr(&w, "id", db_get(x, i, "ticket_id"));
    jw_kstr(&w, "number", db_get(x, i, "ticket_number"));
    jw_obj_end(&w);
    bool rma = db_get(x, i, "rma_id") != NULL;
    jw_key(&w, "rma");
    if (rma) {
        jw_obj_begin(&w);
        jw_kintstr(&w, "id", db_get(x, i, "rma_id"));
        const char *fields[] = {"number", "state", "cause_category", "cause_analysis"};
        for (size_t k = 0; k < 4; k++)
            jw_kstr(&w, fields[k], db_get(x, i, k ? fields[k] : "rma_number"));
        jw_obj_end(&w);
    } else {
        jw_null(&w);
    }
    const char *warranty = db_get(x, i, "warranty_status"), *why = NULL;
    jw_kstr(&w, "warranty_status", warranty);
    bool ok = rma_replacement_eligible(
        warranty, db_get(x, i, "cause_category"),
        rma_accepted_fen(db_get_int(x, i, "charge_fen", 0), db_get(x, i, "consent_decision")),
        &why);
    jw_kbool(&w, "eligible", ok);
    jw_kstr(&w, "reason", why);
    jw_kbool(&w, "paid", ok && rma_chargeable(warranty));
    jw_obj_end(&w);
    return finish(u, &b, &w);
}

static enum sh_code replacements(const struct uc *u, const struct db_rows *r, int n,
                                 const char **out, struct sh_err *e)
{
    const char *ids = ids_of(u, r, n, "replacement");
    if (!ids)
        return SH_OK;
    /* the ticket's latest RMA that is not cancelled; its unit, else the ticket's */
    struct db_rows x;
    enum sh_code rc = db_query(
        u->tx, u->a,
        sh_arena_printf(
            u->a,
            "SELECT a.id AS approval_id, t.id AS ticket_id, t.number AS ticket_number, x.id AS "
            "rma_id, x.number AS rma_number, x.state, x.cause_category, x.cause_analysis, "
            "x.charge_fen, x.consent_decision, "
            "COALESCE(x.warranty_status, t.warranty_status) AS warranty_status, n.id AS unit_id, "
            "n.serial_no, m.code AS model_code, m.name AS model_name FROM approvals a JOIN "
            "tickets t ON t.id = a.ticket_id LEFT JOIN rmas x ON x.id = (SELECT max(y.id) FROM "
            "rmas y WHERE y.ticket_id = t.id AND y.state <> 'cancelled') LEFT JOIN units n ON "
            "n.id = COALESCE(x.unit_id, t.unit_id) LEFT JOIN product_models m ON m.id = "
            "n.model_id WHERE a.id IN (%s)",
            ids),
        DB_NOP, &x, e);
    if (rc)
        return rc;
    for (int i = 0; i < x.nrows; i++) {
        int row = row_of(r, n, db_get_int(&x, i, "approval_id", 0));
        if (row >= 0)
            out[row] = replacement_subject(u, &x, i);
    }
    return SH_OK;
}

enum sh_code approval_subjects(const struct uc *u, const struct db_rows *r, int n, const char **out,
                               struct sh_err *e)
{
    if (principal_external(u->who)) /* the routes are staff's; never for an outside account */
        return SH_OK;
    enum sh_code rc = quotes(u, r, n, out, e);
    return rc ? rc : replacements(u, r, n, out, e);
}
