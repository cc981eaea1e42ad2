/* SPDX-License-Identifier: MIT */
/* PATCH /api/v1/tickets/{id} of the unit and the receipt time (issue 10, item 20): an agent
 * adds the unit a caller could not name, or corrects when a letter, fax or e-mail actually
 * arrived (its deadlines run from then). The unit must be the ticket's customer's; the new
 * receipt time lies between a year ago and the registration. Afterwards the warranty,
 * billing, customer and model follow the unit, and the SLA clocks the new receipt time
 * (ticket_patch_after refreshes them); a ticket made free withdraws its quotes and their
 * unpaid charges (uc_quote_on_billing). A ticket without a customer (a QR report on an unsold
 * unit) is given one by customer_id (check_customer); warranty and billing are decided again. */
#include <stdlib.h>
#include <string.h>

#include "app/ticket_entities.h"
#include "app/ticket_warranty.h"
#include "base/date.h"
#include "domain/roles.h"

static const char *old_of(const struct ent_write *w, const char *col)
{
    int i = ent_colidx(w->ent, col);
    return i >= 0 && w->old ? w->old[i] : NULL;
}

static enum sh_code check_unit(struct ent_write *w, int ui, struct sh_err *e)
{
    if (w->vals[ui].is_null)
        return sh_err_field(e, SH_INVALID, "unit_id", "'unit_id' cannot be removed");
    struct db_rows r;
    enum sh_code rc = db_query(w->u->tx, w->u->a, "SELECT customer_id FROM units WHERE id = $1",
                               DB_P(DB_TEXT(w->vals[ui].text)), &r, e);
    if (rc)
        return rc;
    if (r.nrows == 0)
        return sh_err_field(e, SH_INVALID, "unit_id", "no unit %s", w->vals[ui].text);
    const char *cust = old_of(w, "customer_id"), *ucust = db_get(&r, 0, "customer_id");
    if (cust && (!ucust || strcmp(cust, ucust)))
        return sh_err_field(e, SH_INVALID, "unit_id", "the unit belongs to another customer");
    return SH_OK;
}

static enum sh_code check_received(struct ent_write *w, int ri, struct sh_err *e)
{
    const char *ch = old_of(w, "channel");
    if (!ch || (strcmp(ch, "letter") && strcmp(ch, "fax") && strcmp(ch, "email")))
        return sh_err_field(e, SH_INVALID, "received_at",
                            "'received_at' can be corrected for letters, faxes and e-mails only");
    int64_t t = 0, created = 0;
    if (w->vals[ri].is_null || !sh_ts_parse(w->vals[ri].text, &t))
        return sh_err_field(e, SH_INVALID, "received_at", "'received_at' is required");
    const char *cr = old_of(w, "created_at");
    if (!cr || !sh_ts_parse(cr, &created))
        created = sh_now();
    if (t > created || t < created - 366 * 86400)
        return sh_err_field(e, SH_INVALID, "received_at",
                            "'received_at' must lie within the year before registration");
    return SH_OK;
}

/* RULE review 72 #2: a report filed without a customer (a QR report on an unsold unit) joins
 * a customer only by this explicit after-sales act: customer_id is set once, on a ticket that
 * has none, by an agent, a department head or admin; the unit must be without a customer or
 * that customer's. */
static enum sh_code check_customer(struct ent_write *w, struct sh_err *e)
{
    int ci = ent_colidx(w->ent, "customer_id"), ui = ent_colidx(w->ent, "unit_id");
    if (w->old[ci]) {
        sh_err_field(e, SH_INVALID, "customer_id",
                     "'customer_id' is set once, on a ticket without one");
        return sh_err_reason(e, "read_only", NULL);
    }
    if (!(w->u->who->roles & (RB(AGENT) | RB(DEPT_HEAD) | RB(ADMIN))))
        return sh_err_field(e, SH_FORBIDDEN, "customer_id",
                            "an agent, a department head or admin gives a ticket its customer");
    if (w->vals[ci].is_null)
        return sh_err_field(e, SH_INVALID, "customer_id", "'customer_id' is required");
    const char *st = old_of(w, "status");
    if (st && (!strcmp(st, "closed") || !strcmp(st, "cancelled")))
        return sh_err_field(e, SH_UNPROCESSABLE, "customer_id", "a %s ticket keeps its customer",
                            st);
    if (w->vals[ui].is_null)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(w->u->tx, w->u->a, "SELECT customer_id FROM units WHERE id = $1",
                               DB_P(DB_TEXT(w->vals[ui].text)), &r, e);
    if (rc)
        return rc;
    const char *uc = r.nrows ? db_get(&r, 0, "customer_id") : NULL;
    if (uc && strcmp(uc, w->vals[ci].text))
        return sh_err_field(e, SH_INVALID, "customer_id",
                            "the ticket's unit belongs to another customer");
    return SH_OK;
}

enum sh_code ticket_edit_check(struct ent_write *w, struct sh_err *e)
{
    if (w->creating)
        return SH_OK;
    if (ent_changed(w, "customer_id")) {
        enum sh_code rc = check_customer(w, e);
        if (rc)
            return rc;
    }
    int ui = ent_colidx(w->ent, "unit_id"), ri = ent_colidx(w->ent, "received_at");
    bool cu = ent_changed(w, "unit_id"), cr = ent_changed(w, "received_at");
    if (!cu && !cr)
        return SH_OK;
    const char *st = old_of(w, "status");
    if (st && (!strcmp(st, "closed") || !strcmp(st, "cancelled")))
        return sh_err_field(e, SH_UNPROCESSABLE, cu ? "unit_id" : "received_at",
                            "a %s ticket keeps its unit and receipt time", st);
    enum sh_code rc = cu ? check_unit(w, ui, e) : SH_OK;
    if (!rc && cr)
        rc = check_received(w, ri, e);
    return rc;
}

enum sh_code ticket_edit_after(struct ent_write *w, struct sh_err *e)
{
    if (w->creating)
        return SH_OK;
    int ui = ent_colidx(w->ent, "unit_id"), ri = ent_colidx(w->ent, "received_at");
    if (!ent_changed(w, "unit_id") && !ent_changed(w, "received_at") &&
        !ent_changed(w, "customer_id"))
        return SH_OK;
    int64_t received = 0;
    if (!sh_ts_parse(w->vals[ri].text, &received))
        return sh_err_set(e, SH_INTERNAL, "ticket %lld: bad received_at", (long long)w->id);
    int64_t unit = w->vals[ui].is_null ? 0 : strtoll(w->vals[ui].text, NULL, 10);
    if (!unit && !ent_changed(w, "unit_id") && !ent_changed(w, "received_at"))
        return SH_OK; /* a customer given to a ticket without a unit: nothing to decide */
    return uc_ticket_warranty_redecide(w->u, w->id, unit, received, old_of(w, "exclusion"), e);
}
