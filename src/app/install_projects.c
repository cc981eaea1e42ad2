/* SPDX-License-Identifier: MIT */
/* Installation projects: open, load, list, the agreed date, visits, close
 * (app/install_projects.h). */
#include "app/install_projects.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/checklists.h"
#include "app/sla.h"
#include "app/ticket_actions.h"
#include "app/ticket_intake.h"
#include "base/date.h"
#include "domain/calendar.h"

#define IP_SELECT                                                                                  \
    "SELECT p.id, p.number, p.customer_id, p.site_id, p.contract_id, p.ticket_id, "                \
    "p.shipment_id, p.status, p.agreed_date, p.deadline_days, p.deadline_at, p.free_seats, "       \
    "p.training_required, p.note, p.accepted_at, p.closed_at, p.created_at, p.updated_at, "        \
    "p.version, c.name AS customer_name, s.name AS site_name, k.number AS contract_number "        \
    "FROM installation_projects p JOIN customers c ON c.id = p.customer_id "                       \
    "LEFT JOIN sites s ON s.id = p.site_id LEFT JOIN contracts k ON k.id = p.contract_id "

static void row_read(const struct db_rows *r, int i, struct ip_row *p)
{
    *p = (struct ip_row){
        .id = db_get_int(r, i, "id", 0),
        .customer_id = db_get_int(r, i, "customer_id", 0),
        .site_id = db_get_int(r, i, "site_id", 0),
        .contract_id = db_get_int(r, i, "contract_id", 0),
        .ticket_id = db_get_int(r, i, "ticket_id", 0),
        .shipment_id = db_get_int(r, i, "shipment_id", 0),
        .number = db_get(r, i, "number"),
        .status = db_get(r, i, "status"),
        .agreed_date = db_get(r, i, "agreed_date"),
        .deadline_at = db_get(r, i, "deadline_at"),
        .note = db_get(r, i, "note"),
        .accepted_at = db_get(r, i, "accepted_at"),
        .closed_at = db_get(r, i, "closed_at"),
        .created_at = db_get(r, i, "created_at"),
        .updated_at = db_get(r, i, "updated_at"),
        .customer_name = db_get(r, i, "customer_name"),
        .site_name = db_get(r, i, "site_name"),
        .contract_number = db_get(r, i, "contract_number"),
        .deadline_days = (int)db_get_int(r, i, "deadline_days", 0),
        .free_seats = (int)db_get_int(r, i, "free_seats", 3),
        .version = (int)db_get_int(r, i, "version", 1),
        .training_required = db_get_int(r, i, "training_required", 0) != 0,
    };
}

static enum sh_code not_found(int64_t id, struct sh_err *e)
{
    return sh_err_set(e, SH_NOT_FOUND, "installation project %" PRId64 " not found", id);
}

static enum sh_code bad_ref(struct sh_err *e, const char *field, const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, "unknown_reference", NULL);
}

/* ---- the deadline clock ---- */

/* The end of the n-th working day after the local date of t. */
static int64_t deadline_of(const struct calendar *cal, int64_t t, int days)
{
    struct sh_date d = cal_local_date(cal, t);
    int64_t day = sh_days_from_civil(d.y, d.m, d.d);
    for (int found = 0, guard = 0; found < days && guard < 3660; guard++) {
        day++;
        if (cal_day_hours(cal, sh_civil_from_days(day)).n > 0)
            found++;
    }
    return cal_local_midnight(cal, sh_civil_from_days(day + 1));
}

/* ok, at_risk (less than a fifth of the working time left), breached; met once accepted in
 * time. */
static void sla_state(const struct uc *u, const struct calendar *cal, struct ip_view *v)
{
    int64_t open = 0, due = 0, done = 0;
    sh_ts_parse(v->row.created_at, &open);
    sh_ts_parse(v->row.deadline_at, &due);
    bool finished = v->row.accepted_at && sh_ts_parse(v->row.accepted_at, &done);
    v->remaining_s = finished || u->now >= due ? 0 : cal_business_between(cal, u->now, due);
    if (finished) {
        v->sla_state = done <= due ? "met" : "breached";
        return;
    }
    if (u->now >= due) {
        v->sla_state = "breached";
        return;
    }
    int64_t total = cal_business_between(cal, open, due);
    v->sla_state = total > 0 && v->remaining_s * 5 < total ? "at_risk" : "ok";
}

/* ---- load ---- */

static enum sh_code load_parts(const struct uc *u, struct ip_view *v, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        "SELECT un.id, un.serial_no, m.name AS model_name, un.ship_date, un.install_date, "
        "un.warranty_start, un.warranty_end, un.warranty_basis FROM installation_project_units pu "
        "JOIN units un ON un.id = pu.unit_id JOIN product_models m ON m.id = un.model_id "
        "WHERE pu.project_id = $1 ORDER BY un.serial_no, un.id",
        DB_P(DB_INT(v->row.id)), &r, e);
    if (rc)
        return rc;
    v->nunits = r.nrows;
    v->units = sh_arena_alloc(u->a, sizeof(*v->units) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++)
        v->units[i] =
            (struct ip_unit){db_get_int(&r, i, "id", 0),    db_get(&r, i, "serial_no"),
                             db_get(&r, i, "model_name"),   db_get(&r, i, "ship_date"),
                             db_get(&r, i, "install_date"), db_get(&r, i, "warranty_start"),
                             db_get(&r, i, "warranty_end"), db_get(&r, i, "warranty_basis")};
    if ((rc = db_query(u->tx, u->a,
                       "SELECT w.id, w.number, w.kind, w.status, w.appointment_at, "
                       "us.display_name AS lead_name FROM work_orders w LEFT JOIN users us ON "
                       "us.id = w.lead_id WHERE w.project_id = $1 ORDER BY w.id",
                       DB_P(DB_INT(v->row.id)), &r, e)))
        return rc;
    v->nwos = r.nrows;
    v->wos = sh_arena_alloc(u->a, sizeof(*v->wos) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++) {
        struct ip_wo *w = &v->wos[i];
        *w = (struct ip_wo){db_get_int(&r, i, "id", 0),
                            db_get(&r, i, "number"),
                            db_get(&r, i, "kind"),
                            db_get(&r, i, "status"),
                            db_get(&r, i, "appointment_at"),
                            db_get(&r, i, "lead_name"),
                            false};
        struct checklist_view cv;
        if ((rc = checklist_view_load(u, w->id, &cv, e)))
            return rc;
        w->self_check_passed = cv.passed;
    }
    return SH_OK;
}

static enum sh_code load_signoffs(const struct uc *u, struct ip_view *v, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a,
                               "SELECT id, kind, snapshot, signature_sha256, signer_name, comment, "
                               "trainees, chargeable, signed_at FROM project_signoffs WHERE "
                               "project_id = $1",
                               DB_P(DB_INT(v->row.id)), &r, e);
    for (int i = 0; !rc && i < r.nrows; i++) {
        struct ip_signoff *s =
            !strcmp(db_get(&r, i, "kind"), "acceptance") ? &v->acceptance : &v->training;
        *s = (struct ip_signoff){.present = true,
                                 .id = db_get_int(&r, i, "id", 0),
                                 .signer_name = db_get(&r, i, "signer_name"),
                                 .signed_at = db_get(&r, i, "signed_at"),
                                 .comment = db_get(&r, i, "comment"),
                                 .snapshot = db_get(&r, i, "snapshot"),
                                 .signature_sha256 = db_get(&r, i, "signature_sha256"),
                                 .trainees = (int)db_get_int(&r, i, "trainees", 0),
                                 .chargeable = (int)db_get_int(&r, i, "chargeable", 0)};
    }
    return rc;
}

static enum sh_code fill(const struct uc *u, const struct calendar *cal, struct ip_view *v,
                         bool full, struct sh_err *e)
{
    enum sh_code rc = SH_OK;
    if (full && ((rc = load_parts(u, v, e)) || (rc = load_signoffs(u, v, e))))
        return rc;
    sla_state(u, cal, v);
    return SH_OK;
}

enum sh_code uc_install_project_load(const struct uc *u, int64_t id, struct ip_view *out,
                                     struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    if (principal_external(u->who))
        return not_found(id, e);
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, IP_SELECT "WHERE p.id = $1", DB_P(DB_INT(id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return not_found(id, e);
    row_read(&r, 0, &out->row);
    struct calendar *cal = sh_arena_alloc(u->a, sizeof(*cal));
    if ((rc = uc_company_calendar(u, cal, e)))
        return rc;
    return fill(u, cal, out, true, e);
}

enum sh_code uc_install_project_list(const struct uc *u, const struct ip_list_in *in,
                                     struct ip_view **out, int *n, struct sh_err *e)
{
    *out = NULL;
    *n = 0;
    if (principal_external(u->who))
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(
        u->tx, u->a,
        IP_SELECT "WHERE ($1 = '' OR p.status = $1) AND ($2 = 0 OR p.customer_id = $2) "
                  "ORDER BY CASE WHEN p.status IN ('accepted', 'closed') THEN 1 ELSE 0 END, "
                  "p.deadline_at, p.id LIMIT $3",
        DB_P(DB_TEXT(in->status ? in->status : ""), DB_INT(in->customer_id),
             DB_INT(in->limit > 0 ? in->limit : 200)),
        &r, e);
    struct calendar *cal = sh_arena_alloc(u->a, sizeof(*cal));
    if (rc || (rc = uc_company_calendar(u, cal, e)))
        return rc;
    *out = sh_arena_alloc(u->a, sizeof(**out) * (size_t)(r.nrows + 1));
    for (int i = 0; i < r.nrows; i++) {
        memset(&(*out)[i], 0, sizeof(**out));
        row_read(&r, i, &(*out)[i].row);
        if ((rc = fill(u, cal, &(*out)[i], false, e)))
            return rc;
    }
    *n = r.nrows;
    return SH_OK;
}

/* ---- open ---- */

/* The units: of the customer, on a contract with installation when on one, not in another
 * open project. Gives the contract of the first unit on one. */
static enum sh_code check_units(const struct uc *u, const struct ip_open_in *in, int64_t *contract,
                                struct sh_err *e)
{
    *contract = 0;
    if (in->nunits < 1) {
        sh_err_field(e, SH_INVALID, "unit_ids", "a project needs at least one unit");
        return sh_err_reason(e, "required", NULL);
    }
    for (int i = 0; i < in->nunits; i++) {
        struct db_rows r;
        enum sh_code rc = db_query(
            u->tx, u->a,
            "SELECT un.customer_id, un.contract_id, k.installation_included, "
            "(SELECT p.number FROM installation_project_units pu JOIN installation_projects p ON "
            "p.id = pu.project_id WHERE pu.unit_id = un.id AND p.status <> 'closed' LIMIT 1) AS "
            "other FROM units un LEFT JOIN contracts k ON k.id = un.contract_id WHERE un.id = $1",
            DB_P(DB_INT(in->unit_ids[i])), &r, e);
        if (rc)
            return rc;
        if (!r.nrows || db_get_int(&r, 0, "customer_id", 0) != in->customer_id)
            return bad_ref(e, "unit_ids", "a unit is not one of the customer's");
        if (db_get(&r, 0, "other")) {
            sh_err_field(e, SH_CONFLICT, "unit_ids", "unit %" PRId64 " is in project %s",
                         in->unit_ids[i], db_get(&r, 0, "other"));
            return sh_err_reason_str1(e, "duplicate", "project", db_get(&r, 0, "other"));
        }
        if (db_get(&r, 0, "contract_id") && !db_get_int(&r, 0, "installation_included", 0)) {
            sh_err_field(e, SH_CONFLICT, "unit_ids",
                         "the contract of unit %" PRId64 " does not include installation",
                         in->unit_ids[i]);
            return sh_err_reason(e, "guard", "{\"guard\":\"installation_not_included\"}");
        }
        if (!*contract)
            *contract = db_get_int(&r, 0, "contract_id", 0);
    }
    return SH_OK;
}

static enum sh_code check_open(const struct uc *u, const struct ip_open_in *in, int64_t *contract,
                               struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT id FROM customers WHERE id = $1",
                               DB_P(DB_INT(in->customer_id)), &r, e);
    if (rc)
        return rc;
    if (!r.nrows)
        return bad_ref(e, "customer_id", "no such customer");
    if (in->site_id) {
        if ((rc = db_query(u->tx, u->a, "SELECT customer_id FROM sites WHERE id = $1",
                           DB_P(DB_INT(in->site_id)), &r, e)))
            return rc;
        if (!r.nrows || db_get_int(&r, 0, "customer_id", 0) != in->customer_id)
            return bad_ref(e, "site_id", "the site is not one of the customer's");
    }
    struct sh_date d;
    if (in->agreed_date && !sh_date_parse(in->agreed_date, &d)) {
        sh_err_field(e, SH_INVALID, "agreed_date", "'agreed_date' is a date YYYY-MM-DD");
        return sh_err_reason(e, "invalid_format", "{\"format\":\"date\"}");
    }
    if (in->deadline_days < 0 || in->deadline_days > 365) {
        sh_err_field(e, SH_INVALID, "deadline_days", "'deadline_days' is 1 to 365");
        return sh_err_reason(e, "out_of_range", "{\"min\":1,\"max\":365}");
    }
    return check_units(u, in, contract, e);
}

/* The installation ticket the visits are booked on, taken on by the caller. */
static enum sh_code open_ticket(const struct uc *u, const struct ip_open_in *in, const char *number,
                                int64_t *ticket, struct sh_err *e)
{
    struct ticket_intake_in ti = {
        .channel = "api",
        .type = "installation",
        .customer_id = in->customer_id,
        .unit_id = in->unit_ids[0],
        .description = sh_arena_printf(u->a, "安装项目 %s", number),
        .planned = true,
    };
    struct ticket_intake_out tout;
    enum sh_code rc = uc_ticket_intake(u, &ti, &tout, e);
    if (rc)
        return rc;
    *ticket = tout.id;
    struct ticket_action_out out = {0};
    struct ticket_action_in ta = {.id = tout.id, .act = TA_ACCEPT, .if_match = -1};
    struct db_rows r;
    if ((rc = db_query(u->tx, u->a,
                       "SELECT id FROM departments WHERE active = 1 ORDER BY CASE WHEN kind = "
                       "'after_sales' THEN 0 ELSE 1 END, id LIMIT 1",
                       DB_NOP, &r, e)))
        return rc;
    struct ticket_action_in as = {.id = tout.id,
                                  .act = TA_ASSIGN,
                                  .if_match = -1,
                                  .department_id = db_get_int(&r, 0, "id", 0)};
    if ((rc = uc_ticket_action(u, &as, &out, e)))
        return rc;
    return uc_ticket_action(u, &ta, &out, e);
}

static enum sh_code read_int_setting(const struct uc *u, const char *key, int def, int *out,
                                     struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT value FROM settings WHERE key = $1",
                               DB_P(DB_TEXT(key)), &r, e);
    *out = def;
    if (!rc && r.nrows)
        sscanf(db_get(&r, 0, "value"), "%d", out);
    return rc;
}

static enum sh_code insert_project(const struct uc *u, const struct ip_open_in *in,
                                   int64_t contract, int days, int seats, const char *now,
                                   const char *deadline, int64_t *id, struct sh_err *e)
{
    struct db_rows r;
    char tmp[40];
    snprintf(tmp, sizeof(tmp), "tmp-%" PRId64 "-%" PRId64, u->now, u->who->user_id);
    enum sh_code rc = db_query(
        u->tx, u->a,
        "INSERT INTO installation_projects (number, customer_id, site_id, contract_id, "
        "shipment_id, status, agreed_date, deadline_days, deadline_at, free_seats, note, "
        "created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "$12, $13, $13) RETURNING id",
        DB_P(DB_TEXT(tmp), DB_INT(in->customer_id), in->site_id ? DB_INT(in->site_id) : DB_NULL,
             contract ? DB_INT(contract) : DB_NULL,
             in->shipment_id ? DB_INT(in->shipment_id) : DB_NULL,
             DB_TEXT(in->agreed_date ? "scheduled" : "open"), DB_TEXT(in->agreed_date),
             DB_INT(days), DB_TEXT(deadline), DB_INT(seats), DB_TEXT(in->note ? in->note : ""),
             u->who->user_id ? DB_INT(u->who->user_id) : DB_NULL, DB_TEXT(now)),
        &r, e);
    if (rc)
        return rc;
    *id = db_get_int(&r, 0, "id", 0);
    for (int i = 0; i < in->nunits; i++)
        if ((rc = db_exec(u->tx,
                          "INSERT INTO installation_project_units (project_id, unit_id) VALUES "
                          "($1, $2) ON CONFLICT DO NOTHING",
                          DB_P(DB_INT(*id), DB_INT(in->unit_ids[i])), NULL, e)))
            return rc;
    return SH_OK;
}

enum sh_code uc_install_project_open(const struct uc *u, const struct ip_open_in *in,
                                     struct ip_view *out, struct sh_err *e)
{
    int64_t contract = 0, id = 0, ticket = 0;
    int days = in->deadline_days, seats = 3;
    enum sh_code rc = check_open(u, in, &contract, e);
    if (rc || (!days && (rc = read_int_setting(u, "install_deadline_workdays", 10, &days, e))))
        return rc;
    struct db_rows r;
    if (contract &&
        (rc = db_query(u->tx, u->a, "SELECT training_seats FROM contracts WHERE id = $1",
                       DB_P(DB_INT(contract)), &r, e)))
        return rc;
    if (contract)
        seats = (int)db_get_int(&r, 0, "training_seats", 3);
    struct calendar *cal = sh_arena_alloc(u->a, sizeof(*cal));
    if ((rc = uc_company_calendar(u, cal, e)))
        return rc;
    char now[21], deadline[21];
    sh_ts_format(u->now, now);
    sh_ts_format(deadline_of(cal, u->now, days), deadline);
    if ((rc = insert_project(u, in, contract, days, seats, now, deadline, &id, e)))
        return rc;
    const char *number = sh_arena_printf(u->a, "AZ-%06" PRId64, id);
    if ((rc = open_ticket(u, in, number, &ticket, e)) ||
        (rc = db_exec(u->tx,
                      "UPDATE installation_projects SET number = $2, ticket_id = $3 WHERE id = $1",
                      DB_P(DB_INT(id), DB_TEXT(number), DB_INT(ticket)), NULL, e)) ||
        (rc = uc_install_project_load(u, id, out, e)))
        return rc;
    return uc_audit(u, "installation_project", id, "create", NULL,
                    sh_arena_printf(u->a,
                                    "{\"number\":\"%s\",\"ticket_id\":%" PRId64
                                    ",\"shipment_id\":%" PRId64 ",\"units\":%d}",
                                    number, ticket, in->shipment_id, in->nunits),
                    e);
}

/* ---- state changes ---- */

static enum sh_code illegal(const struct ip_view *v, const char *action, struct sh_err *e)
{
    sh_err_set(e, SH_CONFLICT, "project %s is %s: cannot %s", v->row.number, v->row.status, action);
    return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"%s\"}",
                         v->row.status, action);
}

static enum sh_code set_status(const struct uc *u, const struct ip_view *v, const char *to,
                               const char *action, const char *extra, struct sh_err *e)
{
    char now[21];
    sh_ts_format(u->now, now);
    enum sh_code rc = db_exec(u->tx,
                              "UPDATE installation_projects SET status = $2, updated_at = $3, "
                              "version = version + 1 WHERE id = $1",
                              DB_P(DB_INT(v->row.id), DB_TEXT(to), DB_TEXT(now)), NULL, e);
    if (rc)
        return rc;
    return uc_audit(
        u, "installation_project", v->row.id, action,
        sh_arena_printf(u->a, "{\"status\":\"%s\"}", v->row.status),
        sh_arena_printf(u->a, "{\"status\":\"%s\"%s%s}", to, extra ? "," : "", extra ? extra : ""),
        e);
}

enum sh_code uc_install_project_schedule(const struct uc *u, int64_t id, const char *agreed_date,
                                         struct ip_view *out, struct sh_err *e)
{
    struct sh_date d;
    if (!agreed_date || !sh_date_parse(agreed_date, &d)) {
        sh_err_field(e, SH_INVALID, "agreed_date", "'agreed_date' is a date YYYY-MM-DD");
        return sh_err_reason(e, agreed_date ? "invalid_format" : "required", NULL);
    }
    struct ip_view v;
    enum sh_code rc = uc_install_project_load(u, id, &v, e);
    if (rc)
        return rc;
    bool early = !strcmp(v.row.status, "open") || !strcmp(v.row.status, "scheduled");
    if (!early && strcmp(v.row.status, "in_progress"))
        return illegal(&v, "schedule", e);
    if ((rc = db_exec(u->tx, "UPDATE installation_projects SET agreed_date = $2 WHERE id = $1",
                      DB_P(DB_INT(id), DB_TEXT(agreed_date)), NULL, e)) ||
        (rc = set_status(u, &v, early ? "scheduled" : v.row.status, "schedule",
                         sh_arena_printf(u->a, "\"agreed_date\":\"%s\"", agreed_date), e)))
        return rc;
    return uc_install_project_load(u, id, out, e);
}

enum sh_code uc_install_project_link(const struct uc *u, int64_t project_id, int64_t work_order_id,
                                     struct sh_err *e)
{
    int64_t n = 0;
    enum sh_code rc =
        db_exec(u->tx,
                "UPDATE work_orders SET project_id = $1 WHERE id = $2 AND ticket_id = "
                "(SELECT ticket_id FROM installation_projects WHERE id = $1)",
                DB_P(DB_INT(project_id), DB_INT(work_order_id)), &n, e);
    if (!rc && n != 1)
        return bad_ref(e, "work_order_id", "the work order is not on the project's ticket");
    return rc;
}

enum sh_code uc_install_project_book(const struct uc *u, int64_t id, const struct wo_create_in *in,
                                     struct wo_view *out, struct sh_err *e)
{
    struct ip_view v;
    enum sh_code rc = uc_install_project_load(u, id, &v, e);
    if (rc)
        return rc;
    if (strcmp(v.row.status, "open") && strcmp(v.row.status, "scheduled") &&
        strcmp(v.row.status, "in_progress"))
        return illegal(&v, "book", e);
    struct wo_create_in w = *in;
    w.ticket_id = v.row.ticket_id;
    if (!w.kind)
        w.kind = "installation";
    if ((rc = uc_work_order_create(u, &w, out, e)) ||
        (rc = uc_install_project_link(u, id, out->row.id, e)))
        return rc;
    if (strcmp(v.row.status, "in_progress"))
        rc = set_status(u, &v, "in_progress", "book",
                        sh_arena_printf(u->a, "\"work_order_id\":%" PRId64, out->row.id), e);
    return rc;
}

enum sh_code uc_install_project_close(const struct uc *u, int64_t id, struct ip_view *out,
                                      struct sh_err *e)
{
    struct ip_view v;
    enum sh_code rc = uc_install_project_load(u, id, &v, e);
    if (rc)
        return rc;
    if (strcmp(v.row.status, "accepted"))
        return illegal(&v, "close", e);
    if (v.row.training_required && !v.training.present) {
        sh_err_set(e, SH_CONFLICT, "project %s needs the signed training record first (R-054)",
                   v.row.number);
        return sh_err_reason(e, "guard", "{\"guard\":\"training\"}");
    }
    char now[21];
    sh_ts_format(u->now, now);
    if ((rc = db_exec(u->tx, "UPDATE installation_projects SET closed_at = $2 WHERE id = $1",
                      DB_P(DB_INT(id), DB_TEXT(now)), NULL, e)) ||
        (rc = set_status(u, &v, "closed", "close", NULL, e)))
        return rc;
    /* RULE WF-02: the installation is done when its project closes (acceptance and training
     * signed): the project's ticket resolves with it, at whatever visit step it is */
    if (v.row.ticket_id &&
        (rc = uc_ticket_resolve_by(
             u, v.row.ticket_id,
             sh_arena_printf(u->a, "installation project %s closed", v.row.number), e)))
        return rc;
    return uc_install_project_load(u, id, out, e);
}
