/* SPDX-License-Identifier: MIT */
/* The training record of an installation project (培训确认单, F-25, WF-24, R-110, R-189):
 * trainees, topics from the configured list, the contract's free seats, the rest chargeable. */
#include <inttypes.h>
#include <string.h>

#include "app/install_int.h"
#include "base/date.h"

enum sh_code uc_training_topics(const struct uc *u, const char ***topics, int *n, struct sh_err *e)
{
    struct db_rows r;
    enum sh_code rc = db_query(u->tx, u->a, "SELECT value FROM settings WHERE key = $1",
                               DB_P(DB_TEXT("training_topics")), &r, e);
    *n = 0;
    *topics = sh_arena_alloc(u->a, sizeof(**topics) * (IP_TOPICS_MAX + 1));
    if (rc || !r.nrows)
        return rc;
    char *s = sh_arena_strdup(u->a, db_get(&r, 0, "value"));
    while (s && *s && *n < IP_TOPICS_MAX) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = 0;
        size_t len = strlen(s);
        while (len && (s[len - 1] == '\r' || s[len - 1] == ' '))
            s[--len] = 0;
        if (len)
            (*topics)[(*n)++] = s;
        s = nl ? nl + 1 : NULL;
    }
    return SH_OK;
}

static enum sh_code check_training(const struct uc *u, const struct ip_sign_in *in,
                                   struct sh_err *e)
{
    if (in->ntrainees < 1 || in->ntrainees > IP_TRAINEES_MAX) {
        sh_err_field(e, SH_INVALID, "trainees", "1 to %d trainees", IP_TRAINEES_MAX);
        return sh_err_reason(e, in->ntrainees < 1 ? "required" : "out_of_range",
                             "{\"min\":1,\"max\":%d}", IP_TRAINEES_MAX);
    }
    for (int i = 0; i < in->ntrainees; i++) {
        const char *n = in->trainees[i].name;
        if (!n || !*n || strlen(n) > IP_NAME_MAX * 4 ||
            (in->trainees[i].position && strlen(in->trainees[i].position) > IP_NAME_MAX * 4)) {
            sh_err_field(e, SH_INVALID, "trainees",
                         "trainee %d needs a name (at most %d "
                         "characters)",
                         i + 1, IP_NAME_MAX);
            return sh_err_reason(e, "required", "{\"index\":%d}", i);
        }
    }
    if (in->ntopics < 1) {
        sh_err_field(e, SH_INVALID, "topics", "at least one topic");
        return sh_err_reason(e, "required", NULL);
    }
    const char **list;
    int n;
    enum sh_code rc = uc_training_topics(u, &list, &n, e);
    for (int i = 0; !rc && i < in->ntopics; i++) {
        bool known = false;
        for (int k = 0; k < n && !known; k++)
            known = !strcmp(in->topics[i], list[k]);
        if (!known) {
            sh_err_field(e, SH_INVALID, "topics", "'%s' is not a configured training topic",
                         in->topics[i]);
            return sh_err_reason(e, "unknown_reference", "{\"index\":%d}", i);
        }
    }
    struct sh_date d;
    if (!rc && in->trained_on && !sh_date_parse(in->trained_on, &d)) {
        sh_err_field(e, SH_INVALID, "trained_on", "'trained_on' is a date YYYY-MM-DD");
        return sh_err_reason(e, "invalid_format", "{\"format\":\"date\"}");
    }
    return rc;
}

static void snap_training(struct jw *j, const struct ip_sign_in *in, int free_seats)
{
    jw_kint(j, "free_seats", free_seats);
    jw_key(j, "trainees");
    jw_arr_begin(j);
    for (int i = 0; i < in->ntrainees; i++) {
        jw_obj_begin(j);
        jw_kstr(j, "name", in->trainees[i].name);
        jw_kstr(j, "position", in->trainees[i].position ? in->trainees[i].position : "");
        jw_kbool(j, "chargeable", i >= free_seats);
        jw_obj_end(j);
    }
    jw_arr_end(j);
    jw_key(j, "topics");
    jw_arr_begin(j);
    for (int i = 0; i < in->ntopics; i++)
        jw_str(j, in->topics[i]);
    jw_arr_end(j);
}

enum sh_code uc_install_training(const struct uc *u, const struct ip_sign_in *in,
                                 struct ip_view *out, struct sh_err *e)
{
    struct ip_view v;
    int w = 0, h = 0;
    enum sh_code rc = uc_install_project_load(u, in->project_id, &v, e);
    if (rc || (rc = install_may_sign(u, &v, e)))
        return rc;
    if (v.training.present)
        return install_signed_already(&v, "training", e);
    if (strcmp(v.row.status, "in_progress") && strcmp(v.row.status, "accepted")) {
        sh_err_set(e, SH_CONFLICT, "project %s is %s: training follows the installation",
                   v.row.number, v.row.status);
        return sh_err_reason(e, "illegal_action", "{\"status\":\"%s\",\"action\":\"train\"}",
                             v.row.status);
    }
    if ((rc = check_training(u, in, e)) || (rc = install_check_sign(in, &w, &h, e)))
        return rc;
    char today[11];
    sh_date_format(sh_civil_from_days((u->now + 8 * 3600) / 86400), today);
    struct sh_buf b = SH_BUF_INIT(1 << 18);
    struct jw j;
    jw_init(&j, &b);
    install_snap_head(&j, &v, "training", in->trained_on ? in->trained_on : today);
    snap_training(&j, in, v.row.free_seats);
    int extra = in->ntrainees > v.row.free_seats ? in->ntrainees - v.row.free_seats : 0;
    struct ip_signoff_new s = {.kind = "training",
                               .snapshot = install_snap_finish(u->a, &j, &b),
                               .trainees = in->ntrainees,
                               .chargeable = extra};
    if (!s.snapshot)
        return sh_err_set(e, SH_INTERNAL, "training snapshot too large");
    if ((rc = install_store_signoff(u, &v, in, &s, w, h, e)))
        return rc;
    return uc_install_project_load(u, v.row.id, out, e);
}
