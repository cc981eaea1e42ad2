/* SPDX-License-Identifier: MIT */
/* The satisfaction survey (满意度调查表, F-10, R-036; docs/surveys.md): a pending survey and
 * the customer's no-login link when a ticket's work is completed, the answers through the
 * link or by phone, a refusal with its reason, the close guard's fact, the follow-up task of
 * a low score, and the per-technician averages the staff performance report reads. */
#ifndef SH_APP_SURVEYS_H
#define SH_APP_SURVEYS_H

#include "app/uc.h"
#include "store/surveys.h"
#include "store/tickets.h"

/* The ticket reached `resolved`: unless it has a pending or answered survey already, a
 * pending one rating the assignee, with a fresh link written to the outbox. */
SH_WUR enum sh_code uc_survey_on_resolved(const struct uc *u, const struct ticket_row *t,
                                          struct sh_err *e);

/* The ticket's latest survey for staff (404 outside the ticket's scope; status "none" and id 0
 * when it has none; 403 reason own_work for a technician whose work it rates while it is
 * pending). */
SH_WUR enum sh_code uc_survey_get(const struct uc *u, int64_t ticket_id, struct survey_row *out,
                                  struct sh_err *e);

/* What an agent records: the answers given by phone, or the refusal with its reason. */
struct survey_record_in {
    int64_t ticket_id;
    bool refused;
    int64_t scores[SURVEY_SCORE_COUNT]; /* all four 1…5 unless refused */
    const char *comment, *respondent, *reason;
};
/* Records on the pending survey (made when the ticket has none; the ticket must be resolved
 * or closed): 409 reason used when it was answered or refused already. */
SH_WUR enum sh_code uc_survey_record(const struct uc *u, const struct survey_record_in *in,
                                     struct survey_row *out, struct sh_err *e);

/* A new link for the ticket's pending survey (the old one stops working), written to the
 * outbox; token and url are shown to the caller once. */
struct survey_link_out {
    char token[49];
    const char *url, *expires_at, *recipient;
    int64_t survey_id;
};
SH_WUR enum sh_code uc_survey_link(const struct uc *u, int64_t ticket_id,
                                   struct survey_link_out *out, struct sh_err *e);

/* ---- the customer's link (no sign-in) ---- */
struct survey_public {
    struct survey_row row;
    const char *number, *model_name, *serial_no, *engineer;
};
/* The survey behind a token: 404 when unknown, 410 reason used / expired. */
SH_WUR enum sh_code uc_survey_public_get(const struct uc *u, const char *token,
                                         struct survey_public *out, struct sh_err *e);
/* The customer's answers (all four scores, a comment): the link is used up. */
SH_WUR enum sh_code uc_survey_public_submit(const struct uc *u, const char *token,
                                            const int64_t scores[SURVEY_SCORE_COUNT],
                                            const char *comment, struct sh_err *e);

/* The close guard's fact (domain/ticket.c TG_SURVEY). */
SH_WUR enum sh_code uc_survey_done(const struct uc *u, int64_t ticket_id, bool *done,
                                   struct sh_err *e);

/* Staff performance (issue 11 item 9): the surveys of one technician answered in
 * [from, to) (UTC "YYYY-MM-DDTHH:MM:SSZ"): count, refusals and the average of each score. */
SH_WUR enum sh_code uc_survey_technician_stats(const struct uc *u, int64_t technician_id,
                                               const char *from, const char *to,
                                               struct survey_stats *out, struct sh_err *e);

/* Whether the ticket's survey rates the principal's own work: they hold the technician
 * role and are the ticket's assignee or the lead or a helper of one of its work orders. */
SH_WUR enum sh_code survey_own_work(const struct uc *u, const struct ticket_row *t, bool *own,
                                    struct sh_err *e);

#endif
