/* SPDX-License-Identifier: MIT */
/* The checklist of a work order and the self-check gate. */
#include "app/checklists.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Photos before/after and per item, counted from the work order's photos. */
static enum sh_code count_photos(const struct uc *u, struct checklist_view *v, struct sh_err *e)
{
    struct cl_photo_row *ph;
    int n;
    enum sh_code rc = cl_photos_of(u->tx, u->a, v->work_order_id, &ph, &n, e);
    if (rc)
        return rc;
    for (int i = 0; i < n; i++) {
        if (!strcmp(ph[i].phase, "before"))
            v->before++;
        else if (!strcmp(ph[i].phase, "after"))
            v->after++;
        for (int k = 0; k < v->nlines; k++) {
            const struct checklist_line *l = &v->lines[k];
            if ((ph[i].item_id && l->item->id == ph[i].item_id) ||
                (l->result && l->result->photo_id == ph[i].id))
                v->lines[k].photos++;
        }
    }
    return SH_OK;
}

static void evaluate(const struct uc *u, struct checklist_view *v)
{
    struct cl_answer *ans = sh_arena_alloc(u->a, sizeof(*ans) * (size_t)(v->nlines + 1));
    for (int i = 0; i < v->nlines; i++) {
        const struct checklist_line *l = &v->lines[i];
        ans[i] = (struct cl_answer){.item_id = l->item->id,
                                    .kind = l->item->kind,
                                    /* an item switched off is shown, not required */
                                    .required = l->item->required && l->item->active,
                                    .answered = l->result != NULL,
                                    .passed = l->result && l->result->passed,
                                    .photos = l->photos};
    }
    v->gate.failing = sh_arena_alloc(u->a, sizeof(int64_t) * (size_t)(v->nlines + 1));
    v->passed = cl_gate_eval(ans, v->nlines, v->before, v->tpl.photos_before_min, v->after,
                             v->tpl.photos_after_min, &v->gate);
}

enum sh_code checklist_view_load(const struct uc *u, int64_t wo, struct checklist_view *out,
                                 struct sh_err *e)
{
    memset(out, 0, sizeof(*out));
    out->work_order_id = wo;
    int64_t tid;
    enum sh_code rc = cl_template_of(u->tx, u->a, wo, &tid, &out->fixed, e);
    if (rc)
        return rc;
    out->has_template = tid > 0;
    struct cl_item_row *items = NULL;
    struct cl_result_row *res = NULL;
    int nres = 0;
    if (out->has_template && ((rc = cl_template_get(u->tx, u->a, tid, &out->tpl, e)) ||
                              (rc = cl_items_of(u->tx, u->a, tid, wo, &items, &out->nlines, e))))
        return rc;
    if ((rc = cl_results_of(u->tx, u->a, wo, &res, &nres, e)))
        return rc;
    out->lines = sh_arena_alloc(u->a, sizeof(*out->lines) * (size_t)(out->nlines + 1));
    for (int i = 0; i < out->nlines; i++) {
        out->lines[i].item = &items[i];
        for (int k = 0; k < nres; k++)
            if (res[k].item_id == items[i].id)
                out->lines[i].result = &res[k];
    }
    if ((rc = count_photos(u, out, e)))
        return rc;
    evaluate(u, out);
    return SH_OK;
}

enum sh_code uc_checklist_gate(const struct uc *u, int64_t work_order_id, struct sh_err *e)
{
    struct checklist_view v;
    enum sh_code rc = checklist_view_load(u, work_order_id, &v, e);
    if (rc || v.passed)
        return rc;
    /* params hold 256 bytes: the first ids are enough to point at the items */
    char items[160] = "";
    size_t n = 0;
    for (int i = 0; i < v.gate.nfailing && n < sizeof(items) - 24; i++)
        n += (size_t)snprintf(items + n, sizeof(items) - n, "%s%" PRId64, i ? "," : "",
                              v.gate.failing[i]);
    const char *photos = v.gate.before_short && v.gate.after_short ? "\"before\",\"after\""
                         : v.gate.before_short                     ? "\"before\""
                         : v.gate.after_short                      ? "\"after\""
                                                                   : "";
    sh_err_set(e, SH_CONFLICT,
               "the self-check has not passed: %d checklist item(s) unanswered or failed%s",
               v.gate.nfailing, *photos ? ", photos missing" : "");
    return sh_err_reason(e, "guard", "{\"guard\":\"self_check\",\"items\":[%s],\"photos\":[%s]}",
                         items, photos);
}
