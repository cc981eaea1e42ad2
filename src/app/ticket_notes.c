/* SPDX-License-Identifier: MIT */
#include "app/ticket_notes.h"

#include <inttypes.h>

#include "app/audit_row.h"
#include "app/ticket_actions.h"
#include "app/ticket_events.h"
#include "base/jw.h"
#include "store/tickets.h"

static const char *call_data(struct sh_arena *a, const struct ticket_note_in *in)
{
    struct sh_buf b = SH_BUF_INIT(4096);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kstr(&w, "direction", in->direction);
    jw_kstr(&w, "phone", in->phone);
    if (in->has_duration)
        jw_kint(&w, "duration_seconds", in->duration_seconds);
    jw_kstr(&w, "occurred_at", in->occurred_at);
    jw_obj_end(&w);
    const char *out = jw_finish(&w) == SH_OK ? sh_arena_strdup(a, b.buf) : NULL;
    sh_buf_release(&b);
    return out;
}

enum sh_code uc_ticket_note(const struct uc *u, const struct ticket_note_in *in, int64_t *event_id,
                            struct sh_err *e)
{
    struct ticket_row t;
    enum sh_code rc = uc_ticket_load(u, in->id, &t, e);
    if (rc)
        return rc;
    bool ext = principal_external(u->who);
    if (in->call && ext)
        return sh_err_set(e, SH_FORBIDDEN, "call records are kept by staff");
    const char *vis = in->call || !in->visibility ? "internal" : in->visibility;
    if (ext)
        vis = "customer";
    const char *kind = in->call ? "call" : "comment";
    if ((rc = uc_ticket_event(u, in->id, kind, vis, in->body, in->call ? call_data(u->a, in) : NULL,
                              event_id, e)) ||
        (rc = tickets_search_append(u->tx, u->a, in->id, in->body, ticket_search_note_visible(vis),
                                    e)))
        return rc;
    return uc_audit(u, "ticket", in->id, kind, NULL,
                    sh_arena_printf(u->a, "{\"event_id\":%" PRId64 "}", *event_id), e);
}
