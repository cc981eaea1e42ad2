/* SPDX-License-Identifier: MIT */
#include "app/wo_photos.h"

#include <inttypes.h>
#include <string.h>

#include "app/audit_row.h"
#include "app/checklists.h"
#include "app/work_orders.h"
#include "base/date.h"

enum sh_code wo_photo_check(struct sh_arena *a, const void *data, size_t n, const char *filename,
                            struct ticket_blob *out, struct sh_err *e)
{
    enum sh_code rc = ticket_blob_check(a, data, n, filename, WO_PHOTO_MAX, out, e);
    if (rc == SH_INVALID && n > 0 && !strcmp(e->field, "file"))
        return sh_err_reason(e, "unsupported_media_type", NULL);
    /* every refusal with its reason, as kb_attach_check (fuzz_upload found these two bare) */
    if (rc == SH_INVALID && n == 0)
        return sh_err_reason(e, "required", NULL);
    if (rc == SH_INVALID)
        return sh_err_reason(e, "invalid_format", NULL);
    if (!rc && !strncmp(out->mime, "image/", 6))
        return SH_OK;
    if (!rc) {
        sh_err_field(e, SH_INVALID, "file", "only JPEG, PNG, GIF and WebP photos are accepted");
        return sh_err_reason(e, "unsupported_media_type", NULL);
    }
    return rc;
}

/* Counted after taking the work order's row (PostgreSQL runs READ COMMITTED): parallel
 * uploads cannot all see room for one more. */
static enum sh_code photo_room(const struct uc *u, int64_t wo, struct sh_err *e)
{
    int64_t n;
    enum sh_code rc = db_lock_row(u->tx, "work_orders", wo, e);
    if (!rc)
        rc = cl_photo_count(u->tx, u->a, wo, &n, e);
    if (!rc && n >= WO_PHOTOS_LIMIT) {
        sh_err_field(e, SH_UNPROCESSABLE, "file", "at most %d photos per work order",
                     WO_PHOTOS_LIMIT);
        return sh_err_reason(e, "too_many", "{\"max\":%d}", WO_PHOTOS_LIMIT);
    }
    return rc;
}

/* Phase and item: an item only with phase check, and one of the work order's checklist. */
static enum sh_code photo_target(const struct uc *u, const struct wo_photo_in *in,
                                 const struct checklist_line **line, struct checklist_view *v,
                                 struct sh_err *e)
{
    enum cl_phase ph;
    *line = NULL;
    if (!cl_phase_parse(in->phase, &ph)) {
        sh_err_field(e, SH_INVALID, "phase", "'phase' must be one of: before, after, check");
        return sh_err_reason(e, "unknown_value", "{\"allowed\":[\"before\",\"after\",\"check\"]}");
    }
    if (ph != CLP_CHECK && in->item_id) {
        sh_err_field(e, SH_INVALID, "item_id", "only a photo of phase check belongs to an item");
        return sh_err_reason(e, "not_allowed", NULL);
    }
    if (ph != CLP_CHECK)
        return SH_OK;
    if (!in->item_id) {
        sh_err_field(e, SH_INVALID, "item_id", "a photo of phase check names its checklist item");
        return sh_err_reason(e, "required", NULL);
    }
    enum sh_code rc = checklist_view_load(u, in->work_order_id, v, e);
    for (int i = 0; !rc && i < v->nlines; i++)
        if (v->lines[i].item->id == in->item_id)
            *line = &v->lines[i];
    if (!rc && !*line) {
        sh_err_field(e, SH_INVALID, "item_id", "item %" PRId64 " is not on this checklist",
                     in->item_id);
        return sh_err_reason(e, "unknown_reference", NULL);
    }
    return rc;
}

/* A photo item is answered by its photo. */
static enum sh_code answer_photo_item(const struct uc *u, const struct checklist_view *v,
                                      const struct checklist_line *l, int64_t photo_id,
                                      const char *now, struct sh_err *e)
{
    if (!l || l->item->kind != CLK_PHOTO)
        return SH_OK;
    struct cl_result_in r = {.work_order_id = v->work_order_id,
                             .photo_id = photo_id,
                             .by = u->who->user_id,
                             .item = l->item,
                             .passed = true,
                             .note = l->result ? l->result->note : "",
                             .now = now};
    enum sh_code rc = cl_template_fix(u->tx, v->work_order_id, v->tpl.id, now, e);
    return rc ? rc : cl_result_put(u->tx, &r, e);
}

enum sh_code uc_wo_photo_add(const struct uc *u, const struct wo_photo_in *in,
                             struct cl_photo_row *out, struct sh_err *e)
{
    const struct checklist_line *line;
    struct checklist_view v;
    enum sh_code rc = checklist_may_write(u, in->work_order_id, e);
    if (rc || (rc = photo_target(u, in, &line, &v, e)) ||
        (rc = photo_room(u, in->work_order_id, e)))
        return rc;
    char now[21];
    sh_ts_format(u->now, now);
    *out = (struct cl_photo_row){.work_order_id = in->work_order_id,
                                 .item_id = in->item_id,
                                 .created_by = u->who->user_id,
                                 .size = (int64_t)in->blob->size,
                                 .phase = in->phase,
                                 .sha256 = in->blob->sha,
                                 .filename = in->blob->filename,
                                 .mime = in->blob->mime,
                                 .created_at = sh_arena_strdup(u->a, now),
                                 .created_by_name = u->who->username};
    if ((rc = cl_photo_insert(u->tx, out, &out->id, e)) ||
        (rc = answer_photo_item(u, &v, line, out->id, now, e)))
        return rc;
    return uc_audit(u, "work_order", in->work_order_id, "photo", NULL,
                    sh_arena_printf(u->a,
                                    "{\"photo_id\":%" PRId64 ",\"phase\":\"%s\",\"sha256\":\"%s\"}",
                                    out->id, in->phase, in->blob->sha),
                    e);
}

enum sh_code uc_wo_photos(const struct uc *u, int64_t wo, struct cl_photo_row **out, int *n,
                          struct sh_err *e)
{
    struct wo_view w;
    enum sh_code rc = uc_work_order_load(u, wo, &w, e);
    return rc ? rc : cl_photos_of(u->tx, u->a, wo, out, n, e);
}

enum sh_code uc_wo_photo_get(const struct uc *u, int64_t wo, int64_t photo_id,
                             struct cl_photo_row *out, struct sh_err *e)
{
    struct wo_view w;
    enum sh_code rc = uc_work_order_load(u, wo, &w, e);
    if (!rc)
        rc = cl_photo_get(u->tx, u->a, photo_id, out, e);
    if (!rc && out->work_order_id != wo)
        rc = sh_err_set(e, SH_NOT_FOUND, "photo not found");
    return rc;
}
