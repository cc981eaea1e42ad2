/* SPDX-License-Identifier: MIT */
/* The discipline records on the entity engine (issue 18 item 7; docs/discipline.md): spot
 * checks and patrols, their corrective actions, staff training sessions and attendance,
 * conduct complaints and staff suggestions. The route table (api/routes.c) says who reads and
 * writes each; the corrective action's state and the suggestion's reply are written only by
 * the use cases of app/discipline.c. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "app/discipline.h"
#include "app/resources.h"
#include "app/ticket_entities.h"
#include "domain/discipline.h"

#define RO COL_READONLY

static void put(struct ent_write *w, const char *name, const char *text)
{
    struct fval *v = ent_slot(w, name);
    if (!v)
        return;
    v->present = true;
    v->is_null = text == NULL;
    v->text = text;
    v->i = text ? strtoll(text, NULL, 10) : 0;
}

static enum sh_code field_err(struct sh_err *e, const char *field, const char *reason,
                              const char *msg)
{
    sh_err_field(e, SH_INVALID, field, "%s", msg);
    return sh_err_reason(e, reason, NULL);
}

/* ---- spot checks and patrols (R-004) ---- */

static const struct col spot_check_cols[] = {
    COMMON_COLS,
    {"kind", F_ENUM, COL_REQUIRED | COL_FILTER, 0, spot_check_kind_names, 0, 0, NULL},
    {"checked_on", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"inspector_id", F_ID, RO | COL_DERIVED | COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"subject", F_ENUM, COL_REQUIRED | COL_FILTER, 0, spot_check_subject_names, 0, 0, NULL},
    {"work_order_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, NULL},
    {"ticket_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_tickets},
    {"staff_user_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"site_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_sites},
    {"summary", F_TEXT, COL_REQUIRED | COL_SEARCH, 2000, NULL, 0, 0, NULL},
    {"finding", F_TEXT, COL_SEARCH, 4000, NULL, 0, 0, NULL},
};

/* The subject names the record checked: a work order, ticket, technician or site. */
static enum sh_code spot_check_before(struct ent_write *w, struct sh_err *e)
{
    if (w->creating)
        put(w, "inspector_id", sh_arena_printf(w->u->a, "%" PRId64, w->u->who->user_id));
    static const char *const need[][2] = {{"work_order", "work_order_id"},
                                          {"ticket", "ticket_id"},
                                          {"technician", "staff_user_id"},
                                          {"site", "site_id"}};
    const char *subject = ent_val(w, "subject");
    for (size_t i = 0; subject && i < sizeof(need) / sizeof(need[0]); i++)
        if (!strcmp(subject, need[i][0]) && !ent_val(w, need[i][1]))
            return field_err(e, need[i][1], "required", "the subject checked needs its record");
    const char *wo = ent_val(w, "work_order_id");
    if (!wo)
        return SH_OK;
    struct db_rows r;
    enum sh_code rc = db_query(w->u->tx, w->u->a, "SELECT id FROM work_orders WHERE id = $1",
                               DB_P(DB_INT(strtoll(wo, NULL, 10))), &r, e);
    if (rc)
        return rc;
    if (r.nrows == 0) {
        sh_err_field(e, SH_INVALID, "work_order_id", "no work order with id %s", wo);
        return sh_err_reason_str1(e, "unknown_reference", "entity", "work_order");
    }
    return SH_OK;
}

/* The names of the records it refers to are searchable with it. */
static const char *spot_check_search_extra(struct ent_write *w)
{
    static const char *const refs[] = {"staff_user_id", "site_id", "ticket_id", NULL};
    return ent_ref_labels(w, refs);
}

const struct entity ent_spot_checks = {
    .name = "spot_check",
    .table = "spot_checks",
    .cols = spot_check_cols,
    .ncols = NCOLS(spot_check_cols),
    .label_col = "summary",
    .default_sort = "-checked_on",
    .before_write = spot_check_before,
    .search = true,
    .search_extra = spot_check_search_extra,
};

/* ---- corrective actions: one per problem found ---- */

static const struct col corrective_cols[] = {
    COMMON_COLS,
    {"spot_check_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0,
     &ent_spot_checks},
    {"problem", F_TEXT, COL_REQUIRED | COL_SEARCH, 2000, NULL, 0, 0, NULL},
    {"action", F_TEXT, COL_REQUIRED | COL_SEARCH, 2000, NULL, 0, 0, NULL},
    {"owner_id", F_ID, COL_REQUIRED | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"due_date", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"state", F_ENUM, RO | COL_FILTER | COL_SORT, 0, ca_state_names, 0, 0, NULL},
    {"done_note", F_TEXT, RO, 2000, NULL, 0, 0, NULL},
    {"done_at", F_TS, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
    {"verified_by", F_ID, RO | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
    {"verified_at", F_TS, RO | COL_NULLABLE, 0, NULL, 0, 0, NULL},
};

static const struct list_view corrective_views[] = {
    {"open", "true", "t.state IN ('open', 'in_progress', 'done')"},
    {"overdue", "true", "t.state IN ('open', 'in_progress') AND t.due_date < {today}"},
    {"mine", "true", "t.owner_id = {me}"},
    {NULL, NULL, NULL},
};

/* Its problem and action can be edited until it is verified. */
static enum sh_code corrective_before(struct ent_write *w, struct sh_err *e)
{
    const char *st = ent_val(w, "state");
    if (!w->creating && st && !strcmp(st, "verified")) {
        sh_err_set(e, SH_CONFLICT, "a verified corrective action cannot be changed");
        return sh_err_reason(e, "illegal_action", NULL);
    }
    return SH_OK;
}

/* The names of the records it refers to are searchable with it. */
static const char *corrective_action_search_extra(struct ent_write *w)
{
    static const char *const refs[] = {"owner_id", NULL};
    return ent_ref_labels(w, refs);
}

const struct entity ent_corrective_actions = {
    .name = "corrective_action",
    .table = "corrective_actions",
    .cols = corrective_cols,
    .ncols = NCOLS(corrective_cols),
    .own_col = "owner_id", /* staff see the actions they own; the heads all */
    .own_all = DISC_HEADS,
    .views = corrective_views,
    .label_col = "problem",
    .default_sort = "due_date",
    .before_write = corrective_before,
    .search = true,
    .search_extra = corrective_action_search_extra,
};

/* ---- staff training sessions and attendance ---- */

static const struct col training_cols[] = {
    COMMON_COLS,
    {"category", F_ENUM, COL_REQUIRED | COL_FILTER, 0, training_category_names, 0, 0, NULL},
    {"title", F_STR, COL_REQUIRED | COL_SORT | COL_SEARCH, 200, NULL, 0, 0, NULL},
    {"held_on", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"trainer_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"external_trainer", F_STR, COL_SEARCH, 60, NULL, 0, 0, NULL},
    {"hours", F_INT, COL_NULLABLE, 0, NULL, 0, 100, NULL},
    {"location", F_STR, COL_SEARCH, 200, NULL, 0, 0, NULL},
    {"content", F_TEXT, COL_SEARCH, 4000, NULL, 0, 0, NULL},
};

/* A session has a trainer: a user or a name (an outside lecturer). */
static enum sh_code training_before(struct ent_write *w, struct sh_err *e)
{
    const char *n = ent_val(w, "external_trainer");
    if (!ent_val(w, "trainer_id") && (!n || !*n))
        return field_err(e, "trainer_id", "required", "a session needs its trainer");
    return SH_OK;
}

/* The names of the records it refers to are searchable with it. */
static const char *staff_training_search_extra(struct ent_write *w)
{
    static const char *const refs[] = {"trainer_id", NULL};
    return ent_ref_labels(w, refs);
}

const struct entity ent_staff_trainings = {
    .name = "staff_training",
    .table = "staff_trainings",
    .cols = training_cols,
    .ncols = NCOLS(training_cols),
    .label_col = "title",
    .default_sort = "-held_on",
    .before_write = training_before,
    .search = true,
    .search_extra = staff_training_search_extra,
};

static const struct col attendance_cols[] = {
    COMMON_COLS,
    {"training_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0,
     &ent_staff_trainings},
    {"user_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0, &ent_users},
    {"attended", F_BOOL, COL_FILTER, 0, NULL, 0, 0, NULL},
    {"result", F_ENUM, COL_FILTER, 0, training_result_names, 0, 0, NULL},
    {"score", F_INT, COL_NULLABLE | COL_SORT, 0, NULL, 0, 100, NULL},
    {"note", F_TEXT, COL_SEARCH, 1000, NULL, 0, 0, NULL},
};

static const struct list_view attendance_views[] = {
    {"mine", "true", "t.user_id = {me}"},
    {NULL, NULL, NULL},
};

/* Who was absent has no score and no result. */
static enum sh_code attendance_before(struct ent_write *w, struct sh_err *e)
{
    const char *att = ent_val(w, "attended"), *res = ent_val(w, "result");
    if (att && !strcmp(att, "0") && (ent_val(w, "score") || (res && strcmp(res, "none"))))
        return field_err(e, "score", "guard", "an absent attendee has no score or result");
    return SH_OK;
}

/* The names of the records it refers to are searchable with it. */
static const char *training_attendance_search_extra(struct ent_write *w)
{
    static const char *const refs[] = {"user_id", "training_id", NULL};
    return ent_ref_labels(w, refs);
}

const struct entity ent_training_attendances = {
    .name = "training_attendance",
    .table = "training_attendances",
    .cols = attendance_cols,
    .ncols = NCOLS(attendance_cols),
    .own_col = "user_id", /* a staff member sees their own training history */
    .own_all = DISC_HEADS,
    .views = attendance_views,
    .label_col = "id",
    .default_sort = "-id",
    .before_write = attendance_before,
    .search = true,
    .search_extra = training_attendance_search_extra,
};

/* ---- conduct complaints: only the heads' routes reach them ---- */

static const struct col conduct_cols[] = {
    COMMON_COLS,
    {"staff_user_id", F_ID, COL_REQUIRED | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"category", F_ENUM, COL_REQUIRED | COL_FILTER, 0, conduct_category_names, 0, 0, NULL},
    {"source", F_ENUM, COL_REQUIRED | COL_FILTER, 0, conduct_source_names, 0, 0, NULL},
    {"occurred_on", F_DATE, COL_REQUIRED | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},
    {"customer_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_customers},
    {"ticket_id", F_ID, COL_NULLABLE | COL_FILTER, 0, NULL, 0, 0, &ent_tickets},
    {"description", F_TEXT, COL_REQUIRED | COL_SEARCH, 4000, NULL, 0, 0, NULL},
    {"status", F_ENUM, COL_FILTER, 0, conduct_status_names, 0, 0, NULL},
    {"investigation", F_TEXT, COL_SEARCH, 4000, NULL, 0, 0, NULL},
    {"outcome", F_ENUM, COL_NULLABLE | COL_FILTER, 0, conduct_outcome_names, 0, 0, NULL},
    {"action_taken", F_TEXT, COL_SEARCH, 2000, NULL, 0, 0, NULL},
    {"recorded_by", F_ID, RO | COL_DERIVED | COL_NULLABLE, 0, NULL, 0, 0, &ent_users},
};

/* A complaint is closed with its investigation's outcome. */
static enum sh_code conduct_before(struct ent_write *w, struct sh_err *e)
{
    if (w->creating)
        put(w, "recorded_by", sh_arena_printf(w->u->a, "%" PRId64, w->u->who->user_id));
    const char *st = ent_val(w, "status");
    if (st && !strcmp(st, "closed") && !ent_val(w, "outcome"))
        return field_err(e, "outcome", "required", "a closed complaint needs its outcome");
    return SH_OK;
}

/* The names of the records it refers to are searchable with it. */
static const char *conduct_complaint_search_extra(struct ent_write *w)
{
    static const char *const refs[] = {"staff_user_id", "customer_id", "ticket_id", NULL};
    return ent_ref_labels(w, refs);
}

const struct entity ent_conduct_complaints = {
    .name = "conduct_complaint",
    .table = "conduct_complaints",
    .cols = conduct_cols,
    .ncols = NCOLS(conduct_cols),
    .label_col = "id",
    .default_sort = "-occurred_on",
    .before_write = conduct_before,
    .search = true,
    .search_extra = conduct_complaint_search_extra,
};

/* ---- staff suggestions to a superior (R-206) ---- */

static const struct col suggestion_cols[] = {
    COMMON_COLS,
    {"author_id", F_ID, RO | COL_DERIVED | COL_FILTER, 0, NULL, 0, 0, &ent_users},
    {"addressee_id", F_ID, COL_REQUIRED | COL_FILTER | COL_CREATE_ONLY, 0, NULL, 0, 0, &ent_users},
    {"title", F_STR, COL_REQUIRED | COL_SORT | COL_SEARCH, 200, NULL, 0, 0, NULL},
    {"body", F_TEXT, COL_REQUIRED | COL_CREATE_ONLY | COL_SEARCH, 4000, NULL, 0, 0, NULL},
    {"status", F_ENUM, RO | COL_FILTER, 0, suggestion_status_names, 0, 0, NULL},
    {"reply", F_TEXT, RO, 4000, NULL, 0, 0, NULL},
    {"replied_at", F_TS, RO | COL_NULLABLE | COL_SORT, 0, NULL, 0, 0, NULL},
};

static const struct list_view suggestion_views[] = {
    {"mine", "true", "t.author_id = {me}"},
    {"inbox", "true", "t.addressee_id = {me}"},
    {NULL, NULL, NULL},
};

/* The author is the caller, writing to someone else. */
static enum sh_code suggestion_before(struct ent_write *w, struct sh_err *e)
{
    if (!w->creating)
        return SH_OK;
    const char *me = sh_arena_printf(w->u->a, "%" PRId64, w->u->who->user_id);
    put(w, "author_id", me);
    const char *to = ent_val(w, "addressee_id");
    if (to && !strcmp(to, me))
        return field_err(e, "addressee_id", "invalid_format", "a suggestion goes to someone else");
    return SH_OK;
}

/* The names of the records it refers to are searchable with it. */
static const char *suggestion_search_extra(struct ent_write *w)
{
    static const char *const refs[] = {"author_id", "addressee_id", NULL};
    return ent_ref_labels(w, refs);
}

const struct entity ent_suggestions = {
    .name = "suggestion",
    .table = "suggestions",
    .cols = suggestion_cols,
    .ncols = NCOLS(suggestion_cols),
    .own_col = "author_id", /* the author and the addressee; the heads see all */
    .own_col2 = "addressee_id",
    .own_all = DISC_HEADS,
    .views = suggestion_views,
    .label_col = "title",
    .default_sort = "-id",
    .before_write = suggestion_before,
    .search = true,
    .search_extra = suggestion_search_extra,
};
