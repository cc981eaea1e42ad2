/* SPDX-License-Identifier: MIT */
/* The customer's parcel-style progress of a reported fault (domain/ticket_progress.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/ticket_progress.h"

#define R "2026-03-01T01:00:00Z"
#define D "2026-03-01T02:00:00Z"
#define O "2026-03-01T03:00:00Z"
#define A "2026-03-01T04:00:00Z"
#define F "2026-03-01T05:00:00Z"
#define V "2026-03-02T01:00:00Z"

struct row {
    const char *status;
    bool merged;
    const char *at[PROGRESS_STEPS];
    const char *visit_at;
    const char *want_status;
    const char *want_done; /* one character per step: 'x' done, '.' not */
    const char *want_appointment;
    bool want_fixed;
};

static const struct row rows[] = {
    /* registered only */
    {"new", false, {R, NULL, NULL, NULL, NULL}, NULL, "received", "x....", NULL, false},
    /* dispatched with a booked visit: the appointment shows */
    {"assigned", false, {R, D, NULL, NULL, NULL}, V, "dispatched", "xx...", V, false},
    /* on the way */
    {"in_progress", false, {R, D, O, NULL, NULL}, V, "on_the_way", "xxx..", V, false},
    /* an arrival implies the departure; the appointment is over */
    {"in_progress", false, {R, D, NULL, A, NULL}, V, "on_site", "xxxx.", NULL, false},
    /* resolved on site */
    {"resolved", false, {R, D, O, A, F}, V, "done", "xxxxx", NULL, true},
    /* closed counts as fixed too */
    {"closed", false, {R, D, O, A, F}, NULL, "done", "xxxxx", NULL, true},
    /* a remote fix leaves the on-site steps open */
    {"resolved", false, {R, D, NULL, NULL, F}, V, "done", "xx..x", NULL, true},
    /* a resolved_at left from before a reopening does not count */
    {"in_progress", false, {R, D, O, NULL, F}, NULL, "on_the_way", "xxx..", NULL, false},
    /* not fixed on the first visit, a second one booked: not on site, the new appointment */
    {"visit_scheduled", false, {R, D, O, A, NULL}, V, "dispatched", "xx...", V, false},
    /* ... and the engineer set off again after the first arrival */
    {"visit_scheduled",
     false,
     {R, D, "2026-03-01T06:00:00Z", A, NULL},
     V,
     "on_the_way",
     "xxx..",
     V,
     false},
    /* cancelled */
    {"cancelled", false, {R, NULL, NULL, NULL, NULL}, NULL, "cancelled", "x....", NULL, false},
    /* merged into another ticket: shown as where it got to, not as cancelled */
    {"cancelled", true, {R, D, NULL, NULL, NULL}, NULL, "dispatched", "xx...", NULL, false},
};

static void table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const struct row *r = &rows[i];
        struct progress_in in = {.status = r->status, .merged = r->merged, .visit_at = r->visit_at};
        for (int k = 0; k < PROGRESS_STEPS; k++)
            in.at[k] = r->at[k];
        struct progress p = progress_of(&in);
        char done[PROGRESS_STEPS + 1];
        for (int k = 0; k < PROGRESS_STEPS; k++) {
            done[k] = p.done[k] ? 'x' : '.';
            /* a done step shows its own time only when it has one */
            if (!p.done[k] || k == PROGRESS_ON_THE_WAY)
                continue;
            assert_non_null(p.at[k]);
        }
        done[PROGRESS_STEPS] = '\0';
        print_message("row %zu\n", i);
        assert_string_equal(p.status, r->want_status);
        assert_string_equal(done, r->want_done);
        if (r->want_appointment)
            assert_string_equal(p.appointment_at, r->want_appointment);
        else
            assert_null(p.appointment_at);
        assert_int_equal(p.fixed, r->want_fixed);
    }
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(progress_step_name(PROGRESS_RECEIVED), "received");
    assert_string_equal(progress_step_name(PROGRESS_ON_SITE), "on_site");
    assert_string_equal(progress_step_name(PROGRESS_DONE), "done");
    assert_null(progress_step_name(PROGRESS_STEPS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
