/* SPDX-License-Identifier: MIT */
#include "app/ticket_merge.h"

#include <inttypes.h>
#include <string.h>

#include "app/quotes.h"
#include "app/shipments.h"
#include "app/ticket_actions.h"
#include "app/ticket_events.h"
#include "base/date.h"
#include "store/tickets.h"

static enum sh_code check(const struct uc *u, const struct ticket_merge_in *in,
                          struct ticket_row *a, struct sh_err *e)
{
    struct ticket_row b;
    enum sh_code rc = uc_ticket_load(u, in->id, a, e);
    if (rc)
        return rc;
    if ((rc = uc_ticket_load(u, in->into, &b, e)))
        return rc == SH_NOT_FOUND
                   ? sh_err_field(e, SH_INVALID, "into", "no ticket %" PRId64, in->into)
                   : rc;
    if (in->id == in->into)
        return sh_err_field(e, SH_INVALID, "into", "a ticket cannot be merged into itself");
    if (a->merged_into)
        return sh_err_set(e, SH_CONFLICT, "ticket %" PRId64 " was already merged", in->id);
    if (b.merged_into)
        return sh_err_field(e, SH_CONFLICT, "into", "ticket %" PRId64 " was itself merged",
                            in->into);
    if (!a->customer_id || a->customer_id != b.customer_id)
        return sh_err_field(e, SH_UNPROCESSABLE, "into",
                            "only tickets of the same customer can be merged");
    /* WF-08: the merge cancels the duplicate; its replacement on its way is received first */
    struct ticket_guard_facts f = {0};
    if ((rc = uc_shipment_doa_facts(u, in->id, &f, e)))
        return rc;
    return ticket_merge_check(&f, e);
}

enum sh_code uc_ticket_merge(const struct uc *u, const struct ticket_merge_in *in,
                             const struct ticket_sla_view **view, struct sh_err *e)
{
    struct ticket_row a;
    enum sh_code rc = check(u, in, &a, e);
    if (rc)
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    const char *data =
        sh_arena_printf(u->a, "{\"merged\":%" PRId64 ",\"number\":\"%s\"}", in->id, a.number);
    /* the survivor's texts: its own, the merged ticket's fields, and the moved timeline */
    /* the duplicate is cancelled: it bills nothing (WF-20, docs/quotes.md), unless its work
     * was done (resolved or closed), whose charges stay */
    bool done = !strcmp(a.status, "resolved") || !strcmp(a.status, "closed");
    if ((!done && (rc = uc_quote_on_cancel(u, in->id, e))) ||
        (rc = tickets_merge_into(u->tx, in->id, in->into, now, e)) ||
        (rc = tickets_search_rebuild(u->tx, u->a, in->into, e)) ||
        (rc = uc_ticket_event(u, in->into, "merge", "internal", in->note ? in->note : "", data,
                              NULL, e)) ||
        (rc = uc_ticket_event(u, in->id, "merge", "internal", "",
                              sh_arena_printf(u->a, "{\"merged_into\":%" PRId64 "}", in->into),
                              NULL, e)))
        return rc;
    return uc_ticket_sla_refresh(u, in->into, u->now, view, e);
}
