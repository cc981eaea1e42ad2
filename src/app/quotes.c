/* SPDX-License-Identifier: MIT */
/* Quotes: the rows, the lines and the drafts (app/quotes.h; docs/quotes.md). Sending, the
 * link and the decisions are app/quote_send.c; the JSON and the PDF app/quote_pdf.c. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/fees.h"
#include "app/quote_int.h"
#include "app/ticket_actions.h"
#include "app/ticket_events.h"
#include "base/date.h"
#include "domain/parts.h"
#include "store/settings.h"

enum sh_code quote_err(struct sh_err *e, enum sh_code code, const char *field, const char *reason,
                       const char *msg)
{
    if (field)
        sh_err_field(e, code, field, "%s", msg);
    else
        sh_err_set(e, code, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

const char *quote_now(const struct uc *u)
{
    char *s = sh_arena_alloc(u->a, 21);
    sh_ts_format(u->now, s);
    return s;
}

int64_t quote_day_end(const char *date)
{
    struct sh_date d;
    if (!date || !sh_date_parse(date, &d))
        return 0;
    /* the end of that day in Asia/Shanghai */
    return (sh_days_from_civil(d.y, d.m, d.d) + 1) * 86400 - 8 * 3600;
}

#define QUOTE_COLS                                                                                 \
    "q.id, q.number, q.ticket_id, q.work_order_id, q.customer_id, q.revision, q.previous_id, "     \
    "q.status, q.total_fen, q.valid_until, q.note, q.approval_id, q.link_expires_at, q.sent_at, "  \
    "q.decided_at, q.decision_channel, q.decision_note, q.decided_by, q.created_by, "              \
    "q.created_at, q.updated_at, q.version, t.number AS ticket_number, COALESCE(c.name, '') AS "   \
    "customer_name, COALESCE(a.status, '') AS approval_status FROM quotes q JOIN tickets t ON "    \
    "t.id = q.ticket_id LEFT JOIN customers c ON c.id = q.customer_id LEFT JOIN approvals a ON "   \
    "a.id = q.approval_id "

static void read_row(const struct uc *u, const struct db_rows *r, int i, struct quote_row *q)
{
    memset(q, 0, sizeof *q);
    q->id = db_get_int(r, i, "id", 0);
    q->number = db_get(r, i, "number");
    q->ticket_id = db_get_int(r, i, "ticket_id", 0);
    q->work_order_id = db_get_int(r, i, "work_order_id", 0);
    q->customer_id = db_get_int(r, i, "customer_id", 0);
    q->revision = db_get_int(r, i, "revision", 1);
    q->previous_id = db_get_int(r, i, "previous_id", 0);
    q->total_fen = db_get_int(r, i, "total_fen", 0);
    q->valid_until = db_get(r, i, "valid_until");
    q->note = db_get(r, i, "note");
    q->approval_id = db_get_int(r, i, "approval_id", 0);
    q->link_expires_at = db_get(r, i, "link_expires_at");
    q->sent_at = db_get(r, i, "sent_at");
    q->decided_at = db_get(r, i, "decided_at");
    q->decision_channel = db_get(r, i, "decision_channel");
    q->decision_note = db_get(r, i, "decision_note");
    q->decided_by = db_get_int(r, i, "decided_by", 0);
    q->created_by = db_get_int(r, i, "created_by", 0);
    q->created_at = db_get(r, i, "created_at");
    q->updated_at = db_get(r, i, "updated_at");
    q->version = db_get_int(r, i, "version", 1);
    q->ticket_number = db_get(r, i, "ticket_number");
    q->customer_name = db_get(r, i, "customer_name");
    q->approval_status = db_get(r, i, "approval_status");
    enum quote_status st = QS_DRAFT;
    (void)quote_status_parse(db_get(r, i, "status"), &st);
    q->status = quote_status_names[quote_effective(st, quote_day_end(q->valid_until), u->now)];
}

static enum sh_code load_lines(const struct uc *u, struct quote_row *q, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id, pos, kind, code, name, qty_centi, rate_fen, extra_fen, "
                               "amount_fen, price_source, fee_version_id, detail FROM quote_lines "
                               "WHERE quote_id = $1 ORDER BY pos",
                               DB_P(DB_INT(q->id)), &r, e);
    if (rc)
        return rc;
    q->nlines = r.nrows;
    q->lines = sh_arena_alloc(u->a, sizeof(*q->lines) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows; i++) {
        struct quote_line_row *l = &q->lines[i];
        l->id = db_get_int(&r, i, "id", 0);
        l->pos = db_get_int(&r, i, "pos", 0);
        l->kind = db_get(&r, i, "kind");
        l->code = db_get(&r, i, "code");
        l->name = db_get(&r, i, "name");
        l->qty_centi = db_get_int(&r, i, "qty_centi", 0);
        l->rate_fen = db_get_int(&r, i, "rate_fen", 0);
        l->extra_fen = db_get_int(&r, i, "extra_fen", 0);
        l->amount_fen = db_get_int(&r, i, "amount_fen", 0);
        l->price_source = db_get(&r, i, "price_source");
        l->fee_version_id = db_get_int(&r, i, "fee_version_id", 0);
        l->detail = db_get(&r, i, "detail");
    }
    return SH_OK;
}

/* The stored row with its lines, no scope check. */
enum sh_code quote_load(const struct uc *u, int64_t id, struct quote_row *q, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, "SELECT " QUOTE_COLS "WHERE q.id = $1", DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows) {
        sh_err_set(e, SH_NOT_FOUND, "quote %" PRId64 " not found", id);
        return sh_err_reason(e, "not_found", NULL);
    }
    read_row(u, &r, 0, q);
    return load_lines(u, q, e);
}

/* A customer sees their own quotes once sent (a withdrawn one too, if it had been sent);
 * everyone else through the ticket's scope. */
static bool customer_may_see(const struct quote_row *q)
{
    if (!strcmp(q->status, "withdrawn"))
        return q->sent_at != NULL;
    return strcmp(q->status, "draft") && strcmp(q->status, "pending_approval") &&
           strcmp(q->status, "superseded");
}

enum sh_code uc_quote_get(const struct uc *u, int64_t id, struct quote_row *out, struct sh_err *e)
{
    enum sh_code rc = quote_load(u, id, out, e);
    struct ticket_row t;
    if (rc == SH_OK)
        rc = uc_ticket_load(u, out->ticket_id, &t, e);
    if (rc == SH_OK && principal_external(u->who) &&
        (out->customer_id != u->who->customer_id || !customer_may_see(out)))
        rc = quote_err(e, SH_NOT_FOUND, NULL, "not_found", "quote not found");
    if (rc == SH_NOT_FOUND) {
        sh_err_clear(e);
        return quote_err(e, SH_NOT_FOUND, NULL, "not_found", "quote not found");
    }
    return rc;
}

/* The caller's scope and the list's filters over quotes q (parameters $1 ticket, $2 the
 * external caller's customer, $3 status). */
#define QUOTE_LIST_WHERE                                                                           \
    "WHERE ($1 = 0 OR q.ticket_id = $1) AND ($2 = 0 OR (q.customer_id = $2 AND (q.status IN "      \
    "('sent', 'accepted', 'rejected', 'expired') OR (q.status = 'withdrawn' AND q.sent_at IS NOT " \
    "NULL)))) AND ($3 = '' OR q.status = $3) "

enum sh_code uc_quote_list(const struct uc *u, const struct quote_list_in *in,
                           struct quote_row **rows, int *n, int64_t *total, struct sh_err *e)
{
    bool ext = principal_external(u->who);
    int64_t cust = ext ? u->who->customer_id : 0;
    *n = 0;
    *total = 0;
    *rows = NULL;
    if (principal_technician_only(u->who))
        return SH_OK;
    struct db_rows r, cnt;
    const char *status = in->status ? in->status : "";
    enum sh_code rc =
        db_query(u->tx, u->a, "SELECT " QUOTE_COLS QUOTE_LIST_WHERE "ORDER BY q.id DESC LIMIT $4",
                 DB_P(DB_INT(in->ticket_id), DB_INT(cust), DB_TEXT(status),
                      DB_INT(in->limit > 0 ? in->limit : 100)),
                 &r, e);
    if (rc || (rc = db_query(u->tx, u->a, "SELECT COUNT(*) AS n FROM quotes q " QUOTE_LIST_WHERE,
                             DB_P(DB_INT(in->ticket_id), DB_INT(cust), DB_TEXT(status)), &cnt, e)))
        return rc;
    *total = cnt.nrows ? db_get_int(&cnt, 0, "n", 0) : 0;
    *n = r.nrows;
    *rows = sh_arena_alloc(u->a, sizeof(**rows) * (size_t)(r.nrows ? r.nrows : 1));
    for (int i = 0; i < r.nrows && !rc; i++) {
        read_row(u, &r, i, &(*rows)[i]);
        rc = load_lines(u, &(*rows)[i], e);
    }
    return rc;
}

/* ---- lines ---- */

static enum sh_code line_err(const struct uc *u, struct sh_err *e, int i, const char *field,
                             const char *reason)
{
    const char *f = sh_arena_printf(u->a, "lines[%d].%s", i, field);
    sh_err_field(e, SH_INVALID, f, "%s: %s", f, reason);
    return sh_err_reason(e, reason, NULL);
}

/* A decimal with at most two decimals (integer, real or string) in hundredths. */
static bool centi(json_t *v, int64_t *out)
{
    char buf[48];
    if (json_is_integer(v)) {
        if (json_integer_value(v) < 0 || json_integer_value(v) > QUOTE_QTY_MAX / 100)
            return false;
        *out = json_integer_value(v) * 100;
        return true;
    }
    if (json_is_real(v))
        snprintf(buf, sizeof buf, "%.10g", json_real_value(v));
    else if (json_is_string(v))
        snprintf(buf, sizeof buf, "%s", json_string_value(v));
    else
        return false;
    return fee_centi_parse(buf, out) && *out >= 0 && *out <= QUOTE_QTY_MAX;
}

static const char *str_of(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A number member: required or 0 when absent. */
static enum sh_code num(const struct uc *u, json_t *o, int i, const char *k, bool decimal,
                        bool required, int64_t *out, struct sh_err *e)
{
    json_t *v = json_object_get(o, k);
    *out = 0;
    if (!v || json_is_null(v))
        return required ? line_err(u, e, i, k, "required") : SH_OK;
    if (decimal ? !centi(v, out)
                : !json_is_integer(v) || json_integer_value(v) < 0 ||
                      json_integer_value(v) > QUOTE_MONEY_MAX)
        return line_err(u, e, i, k, decimal ? "invalid_format" : "out_of_range");
    if (!decimal)
        *out = json_integer_value(v);
    return SH_OK;
}

static const char *const line_keys[] = {"kind",          "code",     "name",     "quantity",
                                        "unit_fen",      "hours",    "rate_fen", "days",
                                        "transport_fen", "rule_set", "inputs",   NULL};

static enum sh_code text_field(const struct uc *u, json_t *o, int i, const char *k, size_t max,
                               bool required, const char **out, struct sh_err *e)
{
    json_t *v = json_object_get(o, k);
    *out = json_is_string(v) ? json_string_value(v) : "";
    if (v && !json_is_null(v) && !json_is_string(v))
        return line_err(u, e, i, k, "invalid_format");
    if (required && !**out)
        return line_err(u, e, i, k, "required");
    if (utf8_len(*out) > max) {
        sh_err_field(e, SH_INVALID, sh_arena_printf(u->a, "lines[%d].%s", i, k), "too long");
        return sh_err_reason(e, "too_long", "{\"max\":%zu}", max);
    }
    return SH_OK;
}

/* RULE R-016: a part of the catalogue is quoted at the unified price list's price (unit_fen
 * may be left out; another price is 422 price_list with the list's price), named as the
 * catalogue names it when no name is given; a part outside the catalogue (a bought-in one)
 * needs its name and unit_fen and is marked priced by hand (price_source ""). The quantity
 * is more than 0. Review 72 #3: the code is looked up by its key (part_code_key: case, full
 * width and dashes aside), so `mb-300` or `ＭＢ-300` is the catalogue's MB-300, and the line
 * keeps the catalogue's spelling. */
static enum sh_code part_line(const struct uc *u, json_t *o, int i, struct quote_line_row *l,
                              struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = num(u, o, i, "quantity", true, true, &l->qty_centi, e);
    if (rc)
        return rc;
    if (l->qty_centi <= 0)
        return line_err(u, e, i, "quantity", "out_of_range");
    if ((rc = db_query(u->tx, u->a,
                       "SELECT code, name, price_fen FROM parts WHERE code_key = $1 AND "
                       "active = 1 ORDER BY CASE WHEN code = $2 THEN 0 ELSE 1 END, id LIMIT 1",
                       DB_P(DB_TEXT(part_code_key(u->a, l->code)), DB_TEXT(l->code)), &r, e)))
        return rc;
    bool listed = r.nrows > 0;
    if (listed)
        l->code = db_get(&r, 0, "code");
    json_t *given = json_object_get(o, "unit_fen");
    if ((rc = num(u, o, i, "unit_fen", false, !listed, &l->rate_fen, e)))
        return rc;
    if (!*l->name && (!listed || !(l->name = db_get(&r, 0, "name"))))
        return line_err(u, e, i, "name", "required");
    if (!listed)
        return SH_OK;
    int64_t price = db_get_int(&r, 0, "price_fen", 0);
    if (given && !json_is_null(given) && l->rate_fen != price) {
        sh_err_field(e, SH_UNPROCESSABLE, sh_arena_printf(u->a, "lines[%d].unit_fen", i),
                     "part %s is %" PRId64 " fen on the unified price list", l->code, price);
        return sh_err_reason(e, "price_list", "{\"price_fen\":%" PRId64 "}", price);
    }
    l->rate_fen = price;
    l->price_source = QUOTE_PRICE_SOURCE;
    return SH_OK;
}

/* A fee line: the fee engine's total over the rule set in effect today, its version kept. */
static enum sh_code fee_line(const struct uc *u, json_t *o, int i, struct quote_line_row *l,
                             struct sh_err *e)
{
    const char *code = str_of(o, "rule_set");
    if (!code || !*code)
        return line_err(u, e, i, "rule_set", "required");
    struct fee_calc_in in = {.code = code, .inputs = json_object_get(o, "inputs")};
    struct fee_calc_out *fo = sh_arena_alloc(u->a, sizeof *fo);
    enum sh_code rc = uc_fee_calculate(u, &in, fo, e);
    if (rc) { /* name the line in the field: "lines[2].inputs.days" */
        char f[40];
        snprintf(f, sizeof f, "%.39s", e->field[0] ? e->field : "rule_set");
        if (!strncmp(f, "inputs", 6) || !strcmp(f, "rule_set"))
            snprintf(e->field, sizeof e->field, "lines[%d].%.39s", i % 1000, f);
        return rc;
    }
    l->amount_fen = fo->result.total;
    l->fee_version_id = fo->version.id;
    /* the detail keeps the inputs too, so a draft's editor shows them again (review 68 L6) */
    const char *calc = fee_calc_json(u->a, fo);
    char *inputs = json_is_object(in.inputs) ? json_dumps(in.inputs, JSON_COMPACT) : NULL;
    l->detail = inputs && calc[0] == '{' && calc[1] != '}'
                    ? sh_arena_printf(u->a, "{\"inputs\":%s,%s", inputs, calc + 1)
                    : calc;
    free(inputs);
    if (!*l->name)
        l->name = fo->set.name;
    l->code = fo->set.code;
    return SH_OK;
}

static enum sh_code parse_line(const struct uc *u, json_t *o, int i, struct quote_line_row *l,
                               struct sh_err *e)
{
    if (!json_is_object(o))
        return line_err(u, e, i, "kind", "invalid_format");
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v)
    {
        if (fee_name_index(line_keys, k) < 0)
            return line_err(u, e, i, k, "unknown_field");
    }
    enum quote_line_kind kind;
    if (!quote_line_kind_parse(str_of(o, "kind"), &kind))
        return line_err(u, e, i, "kind", json_object_get(o, "kind") ? "unknown_value" : "required");
    memset(l, 0, sizeof *l);
    l->pos = i + 1;
    l->kind = quote_line_kind_names[kind];
    l->price_source = "";
    l->detail = "";
    enum sh_code rc;
    if ((rc = text_field(u, o, i, "code", 40, kind == QL_PART, &l->code, e)) ||
        (rc = text_field(u, o, i, "name", 200, false, &l->name, e)))
        return rc;
    const char *why = part_code_problem(l->code); /* review 72 #3: no look-alike codes */
    if (why && !strcmp(why, "control_char"))
        return line_err(u, e, i, "code", why);
    if (why) {
        line_err(u, e, i, "code", why);
        return sh_err_reason_str1(e, why, "format", "code");
    }
    switch (kind) {
    case QL_PART:
        rc = part_line(u, o, i, l, e);
        break;
    case QL_LABOUR:
        rc = num(u, o, i, "hours", true, true, &l->qty_centi, e);
        if (!rc)
            rc = num(u, o, i, "rate_fen", false, true, &l->rate_fen, e);
        break;
    case QL_TRAVEL:
        rc = num(u, o, i, "days", true, true, &l->qty_centi, e);
        if (!rc)
            rc = num(u, o, i, "rate_fen", false, true, &l->rate_fen, e);
        if (!rc)
            rc = num(u, o, i, "transport_fen", false, false, &l->extra_fen, e);
        break;
    case QL_FEE:
    case QUOTE_LINE_KIND_COUNT:
        return fee_line(u, o, i, l, e);
    }
    if (rc)
        return rc;
    struct quote_line_calc c = {
        .kind = kind, .qty = l->qty_centi, .rate = l->rate_fen, .extra = l->extra_fen};
    if (!quote_line_amount(&c))
        return line_err(u, e, i, kind == QL_PART ? "quantity" : "rate_fen", "out_of_range");
    l->amount_fen = c.amount;
    return SH_OK;
}

/* Checks every line and stores them in place of the quote's; *total gets the sum. */
static enum sh_code put_lines(const struct uc *u, int64_t quote_id, json_t *lines, int64_t *total,
                              struct sh_err *e)
{
    if (lines && !json_is_array(lines))
        return quote_err(e, SH_INVALID, "lines", "invalid_format", "lines: an array");
    int n = (int)json_array_size(lines);
    if (n > QUOTE_LINES_MAX) {
        sh_err_field(e, SH_INVALID, "lines", "at most %d lines", QUOTE_LINES_MAX);
        return sh_err_reason(e, "too_many", "{\"max\":%d}", QUOTE_LINES_MAX);
    }
    struct quote_line_row *l = sh_arena_alloc(u->a, sizeof(*l) * (size_t)(n ? n : 1));
    struct quote_line_calc *c = sh_arena_alloc(u->a, sizeof(*c) * (size_t)(n ? n : 1));
    enum sh_code rc = SH_OK;
    for (int i = 0; i < n && !rc; i++) {
        rc = parse_line(u, json_array_get(lines, (size_t)i), i, &l[i], e);
        c[i].amount = l[i].amount_fen;
    }
    if (rc)
        return rc;
    if (!quote_total(c, n, total))
        return quote_err(e, SH_INVALID, "lines", "out_of_range", "the total is too large");
    if ((rc = db_exec(u->tx, "DELETE FROM quote_lines WHERE quote_id = $1", DB_P(DB_INT(quote_id)),
                      NULL, e)))
        return rc;
    for (int i = 0; i < n && !rc; i++)
        rc = db_exec(
            u->tx,
            "INSERT INTO quote_lines (quote_id, pos, kind, code, name, qty_centi, "
            "rate_fen, extra_fen, amount_fen, price_source, fee_version_id, detail) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            DB_P(DB_INT(quote_id), DB_INT(l[i].pos), DB_TEXT(l[i].kind), DB_TEXT(l[i].code),
                 DB_TEXT(l[i].name), DB_INT(l[i].qty_centi), DB_INT(l[i].rate_fen),
                 DB_INT(l[i].extra_fen), DB_INT(l[i].amount_fen), DB_TEXT(l[i].price_source),
                 l[i].fee_version_id ? DB_INT(l[i].fee_version_id) : DB_NULL, DB_TEXT(l[i].detail)),
            NULL, e);
    return rc;
}

/* ---- drafts ---- */

/* valid_until: the given date, else today + quote_valid_days (Asia/Shanghai). */
static enum sh_code valid_until(const struct uc *u, const char *given, const char **out,
                                struct sh_err *e)
{
    struct sh_date d;
    if (given) {
        if (!sh_date_parse(given, &d))
            return quote_err(e, SH_INVALID, "valid_until", "invalid_format", "a date YYYY-MM-DD");
        *out = given;
        return SH_OK;
    }
    int64_t days = 15;
    enum sh_code rc = settings_int(u->tx, u->a, "quote_valid_days", 15, &days, e);
    char *s = sh_arena_alloc(u->a, 11);
    sh_date_format(sh_civil_from_days((u->now + 8 * 3600) / 86400 + days), s);
    *out = s;
    return rc;
}

static enum sh_code check_in(const struct uc *u, const struct quote_row *q,
                             const struct quote_in *in, struct sh_err *e)
{
    if (in->note && utf8_len(in->note) > 2000) {
        sh_err_field(e, SH_INVALID, "note", "too long");
        return sh_err_reason(e, "too_long", "{\"max\":2000}");
    }
    if (!in->work_order_id)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc =
        db_query(u->tx, u->a, "SELECT id FROM work_orders WHERE id = $1 AND ticket_id = $2",
                 DB_P(DB_INT(in->work_order_id), DB_INT(q->ticket_id)), &r, e);
    if (!rc && !r.nrows)
        return quote_err(e, SH_INVALID, "work_order_id", "unknown_reference",
                         "no such work order of this ticket");
    return rc;
}

/* Stores a draft's fields and lines (the row exists). */
static enum sh_code store_draft(const struct uc *u, struct quote_row *q, const struct quote_in *in,
                                struct sh_err *e)
{
    int64_t total = 0;
    const char *vu = NULL;
    enum sh_code rc;
    if ((rc = check_in(u, q, in, e)) || (rc = valid_until(u, in->valid_until, &vu, e)) ||
        (rc = put_lines(u, q->id, in->lines, &total, e)))
        return rc;
    return db_exec(u->tx,
                   "UPDATE quotes SET work_order_id = $1, valid_until = $2, note = $3, total_fen = "
                   "$4, updated_at = $5, version = version + 1 WHERE id = $6",
                   DB_P(in->work_order_id ? DB_INT(in->work_order_id) : DB_NULL, DB_TEXT(vu),
                        DB_TEXT(in->note ? in->note : ""), DB_INT(total), DB_TEXT(quote_now(u)),
                        DB_INT(q->id)),
                   NULL, e);
}

enum sh_code quote_insert(const struct uc *u, const struct ticket_row *t, const char *number,
                          int64_t revision, int64_t previous, int64_t *id, struct sh_err *e)
{
    struct db_rows r;
    const char *now = quote_now(u);
    enum sh_code rc = db_query(
        u->tx, u->a,
        "INSERT INTO quotes (number, ticket_id, customer_id, revision, previous_id, status, "
        "valid_until, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'draft', "
        "'', $6, $7, $7) RETURNING id",
        DB_P(DB_TEXT(number), DB_INT(t->id), t->customer_id ? DB_INT(t->customer_id) : DB_NULL,
             DB_INT(revision), previous ? DB_INT(previous) : DB_NULL,
             u->who && u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL, DB_TEXT(now)),
        &r, e);
    if (!rc)
        *id = db_get_int(&r, 0, "id", 0);
    return rc;
}

enum sh_code uc_quote_create(const struct uc *u, int64_t ticket_id, const struct quote_in *in,
                             struct quote_row *out, struct sh_err *e)
{
    struct ticket_row t;
    enum sh_code rc = uc_ticket_load(u, ticket_id, &t, e);
    if (rc)
        return rc;
    if (!strcmp(t.status, "closed") || !strcmp(t.status, "cancelled")) {
        sh_err_set(e, SH_CONFLICT, "ticket %s is %s: no new quote", t.number, t.status);
        return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\"}", t.status);
    }
    if ((rc = quote_none_accepted(u, ticket_id, e)) || (rc = quote_billing_allows(t.billing, e)))
        return rc;
    struct db_rows r;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT COUNT(*) AS n FROM quotes WHERE ticket_id = $1 AND previous_id IS "
                       "NULL",
                       DB_P(DB_INT(ticket_id)), &r, e)))
        return rc;
    const char *number =
        sh_arena_printf(u->a, "%s-Q%" PRId64, t.number, db_get_int(&r, 0, "n", 0) + 1);
    int64_t id = 0;
    if ((rc = quote_insert(u, &t, number, 1, 0, &id, e)))
        return rc;
    out->id = id;
    out->ticket_id = ticket_id;
    if ((rc = store_draft(u, out, in, e)) || (rc = quote_load(u, id, out, e)))
        return rc;
    return quote_audit(u, out, "create", e);
}

enum sh_code uc_quote_update(const struct uc *u, int64_t id, const struct quote_in *in,
                             struct quote_row *out, struct sh_err *e)
{
    enum sh_code rc = uc_quote_get(u, id, out, e);
    enum quote_status st = QS_DRAFT, to;
    if (rc)
        return rc;
    (void)quote_status_parse(out->status, &st);
    if (!quote_transition(st, QA_EDIT, &to)) {
        sh_err_set(e, SH_CONFLICT, "quote %s is %s: only a draft changes (revise it)", out->number,
                   out->status);
        return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\"}", out->status);
    }
    if (in->if_match >= 0 && in->if_match != out->version)
        return quote_err(e, SH_PRECONDITION, NULL, "stale", "the quote was changed: reload");
    if ((rc = store_draft(u, out, in, e)) || (rc = quote_load(u, id, out, e)))
        return rc;
    return quote_audit(u, out, "update", e);
}

enum sh_code quote_audit(const struct uc *u, const struct quote_row *q, const char *action,
                         struct sh_err *e)
{
    const char *after = sh_arena_printf(
        u->a,
        "{\"number\":\"%s\",\"status\":\"%s\",\"total_fen\":%" PRId64 ",\"lines\":%d,"
        "\"revision\":%" PRId64 "}",
        q->number, q->status, q->total_fen, q->nlines, q->revision);
    return uc_audit(u, "quote", q->id, action, NULL, after, e);
}
