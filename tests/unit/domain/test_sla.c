/* SPDX-License-Identifier: MIT */
/* SLA clocks (R-112… …A-03): deadlines on business calendars, pauses, customer
 * times, recomputation after a policy change, policy selection, escalation and delivery. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/sla.h"

#define HOUR SLA_HOUR
#define MIN  60

static int64_t sh(int y, int m, int d, int hh, int mm)
{
    return sh_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 - CAL_SHANGHAI;
}

static struct calendar CAL_247, CAL_624, CAL_OFFICE, CAL_OFFICE_PLAIN;

static int setup(void **state)
{
    (void)state;
    struct sh_err e;
    cal_init(&CAL_247, CAL_24X7, CAL_SHANGHAI);
    cal_init(&CAL_624, CAL_6X24, CAL_SHANGHAI);
    cal_init(&CAL_OFFICE, CAL_HOURS, CAL_SHANGHAI);
    if (cal_add_hours(&CAL_OFFICE, 0x1f, CAL_HM(8, 30), CAL_HM(12, 0), &e) != SH_OK ||
        cal_add_hours(&CAL_OFFICE, 0x1f, CAL_HM(13, 0), CAL_HM(17, 30), &e) != SH_OK)
        return -1;
    CAL_OFFICE_PLAIN = CAL_OFFICE;
    for (int y = 2025; y <= 2026; y++)
        if (cal_load_cn(&CAL_624, y, &e) != SH_OK || cal_load_cn(&CAL_OFFICE, y, &e) != SH_OK)
            return -1;
    return 0;
}

static struct sla_result eval(const struct sla_policy *p, const struct sla_ticket *t, int64_t now)
{
    struct sla_result r;
    struct sh_err e;
    enum sh_code rc = sla_evaluate(p, t, now, &r, &e);
    if (rc != SH_OK)
        fail_msg("sla_evaluate: %s", e.msg);
    return r;
}

static struct sla_ticket received(int64_t at)
{
    struct sla_ticket t;
    sla_ticket_init(&t);
    t.ev[SLA_EV_RECEIVED] = at;
    return t;
}

static void sla_defaults(void **state)
{
    (void)state;
    struct sla_policy p;
    sla_policy_default(&p, &CAL_247);
    assert_int_equal(p.clock[SLA_REPLY].budget[SLA_PRIO_NORMAL], 24 * HOUR);
    assert_int_equal(p.clock[SLA_REMOTE].budget[SLA_PRIO_URGENT], 2 * HOUR);
    assert_int_equal(p.clock[SLA_ONSITE].budget[SLA_PRIO_LOW], 48 * HOUR);
    assert_int_equal(p.clock[SLA_ONSITE].start, SLA_EV_NOT_REMOTE_FIXABLE);
    assert_false(p.clock[SLA_RESOLVE].enabled);
    assert_int_equal(p.at_risk_pct, 80);
    assert_true(p.pause_on_customer);
    struct sla_ticket t = received(sh(2025, 3, 10, 9, 0));
    struct sla_result r = eval(&p, &t, sh(2025, 3, 10, 9, 30));
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_RUNNING);
    assert_int_equal(r.clock[SLA_ONSITE].status, SLA_PENDING); /* not marked unfixable yet */
    assert_int_equal(r.clock[SLA_RESOLVE].status, SLA_OFF);
    assert_string_equal(sla_status_name(SLA_AT_RISK), "at_risk");
    assert_string_equal(sla_clock_name(SLA_ONSITE), "onsite");
}

/* RULE R-112: 24 h reply on a 24x7 calendar, across midnight, through at-risk and breach. */
static void sla_reply_across_midnight(void **state)
{
    (void)state;
    struct sla_policy p;
    sla_policy_default(&p, &CAL_247);
    struct sla_ticket t = received(sh(2025, 3, 10, 20, 0));
    struct sla_result r = eval(&p, &t, sh(2025, 3, 11, 10, 0));
    assert_int_equal(r.clock[SLA_REPLY].due, sh(2025, 3, 11, 20, 0));
    assert_int_equal(r.clock[SLA_REPLY].used, 14 * HOUR);
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_RUNNING);
    /* 80 % of 24 h = 19 h 12 min */
    r = eval(&p, &t, sh(2025, 3, 11, 15, 11));
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_RUNNING);
    r = eval(&p, &t, sh(2025, 3, 11, 15, 12));
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_AT_RISK);
    r = eval(&p, &t, sh(2025, 3, 11, 20, 0)); /* at due: still on time */
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_AT_RISK);
    r = eval(&p, &t, sh(2025, 3, 11, 20, 1));
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_BREACHED);
    assert_int_equal(r.clock[SLA_REPLY].breached_at, sh(2025, 3, 11, 20, 0));
    assert_false(r.clock[SLA_REPLY].completed);

    t.ev[SLA_EV_REPLIED] = sh(2025, 3, 11, 19, 0);
    r = eval(&p, &t, sh(2025, 3, 12, 9, 0));
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_MET);
    assert_true(r.clock[SLA_REPLY].completed);
    assert_int_equal(r.clock[SLA_REPLY].used, 23 * HOUR);
    t.ev[SLA_EV_REPLIED] = sh(2025, 3, 11, 20, 30);
    r = eval(&p, &t, sh(2025, 3, 12, 9, 0));
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_BREACHED);
    assert_true(r.clock[SLA_REPLY].completed);
    /* a remote solution answers too (A-03 stop events) */
    t.ev[SLA_EV_REMOTE_SOLUTION] = sh(2025, 3, 11, 8, 0);
    r = eval(&p, &t, sh(2025, 3, 12, 9, 0));
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_MET);
    assert_int_equal(r.clock[SLA_REPLY].stop, sh(2025, 3, 11, 8, 0));
}

static void sla_weekend_on_office_hours(void **state)
{
    (void)state;
    struct sla_policy p;
    sla_policy_default(&p, &CAL_OFFICE_PLAIN);
    /* Fri 16:00 + 24 office hours: 1.5 + 8 (Mon) + 8 (Tue) + 6.5 (Wed → 16:00) */
    struct sla_ticket t = received(sh(2025, 3, 7, 16, 0));
    struct sla_result r = eval(&p, &t, sh(2025, 3, 9, 12, 0));
    assert_int_equal(r.clock[SLA_REPLY].due, sh(2025, 3, 12, 16, 0));
    assert_int_equal(r.clock[SLA_REPLY].used, 90 * MIN); /* the weekend does not count */
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_RUNNING);
    /* the 2 h remote clock breaches on Monday morning, not on Friday night */
    assert_int_equal(r.clock[SLA_REMOTE].due, sh(2025, 3, 10, 9, 0));
    assert_int_equal(r.clock[SLA_REMOTE].status, SLA_RUNNING); /* 75 % over the weekend */
    r = eval(&p, &t, sh(2025, 3, 10, 8, 54));
    assert_int_equal(r.clock[SLA_REMOTE].status, SLA_AT_RISK); /* 114 of 120 min */
    r = eval(&p, &t, sh(2025, 3, 10, 9, 1));
    assert_int_equal(r.clock[SLA_REMOTE].status, SLA_BREACHED);
}

static void sla_weekend_on_6x24(void **state)
{
    (void)state;
    struct sla_policy p;
    sla_policy_default(&p, &CAL_624);
    struct sla_ticket t = received(sh(2025, 3, 8, 20, 0)); /* Saturday */
    t.ev[SLA_EV_NOT_REMOTE_FIXABLE] = sh(2025, 3, 8, 21, 0);
    struct sla_result r = eval(&p, &t, sh(2025, 3, 9, 12, 0));
    assert_int_equal(r.clock[SLA_REMOTE].status, SLA_MET); /* stopped by "not remotely fixable" */
    /* 48 h: Sat 3 h, Sunday closed, Mon 24 h, Tue 21 h */
    assert_int_equal(r.clock[SLA_ONSITE].due, sh(2025, 3, 11, 21, 0));
    assert_int_equal(r.clock[SLA_ONSITE].used, 3 * HOUR);
    t.ev[SLA_EV_ARRIVED] = sh(2025, 3, 11, 20, 0);
    r = eval(&p, &t, sh(2025, 3, 12, 0, 0));
    assert_int_equal(r.clock[SLA_ONSITE].status, SLA_MET);
}

/* WF-05: a unit sent to the factory owes no visit: the on-site clock does not apply, unless
 * it was breached before the return or an arrival came first. */
static void sla_onsite_waived_at_factory(void **state)
{
    (void)state;
    struct sla_policy p;
    sla_policy_default(&p, &CAL_247);
    struct sla_ticket t = received(sh(2025, 3, 10, 9, 0));
    t.ev[SLA_EV_NOT_REMOTE_FIXABLE] = sh(2025, 3, 10, 10, 0);
    struct sla_result r = eval(&p, &t, sh(2025, 3, 10, 11, 0));
    assert_int_equal(r.clock[SLA_ONSITE].status, SLA_RUNNING);
    /* sent 2 h later: off from then on, and 5 days later still (no breach, no escalation) */
    t.ev[SLA_EV_TO_FACTORY] = sh(2025, 3, 10, 12, 0);
    r = eval(&p, &t, sh(2025, 3, 10, 11, 30)); /* before the return: still running */
    assert_int_equal(r.clock[SLA_ONSITE].status, SLA_RUNNING);
    r = eval(&p, &t, sh(2025, 3, 15, 12, 0));
    assert_int_equal(r.clock[SLA_ONSITE].status, SLA_OFF);
    assert_int_equal(r.clock[SLA_ONSITE].due, SLA_NO_TIME);
    assert_int_equal(r.clock[SLA_REMOTE].status, SLA_MET);
    /* sent after the 48 h deadline: the breach stays */
    t.ev[SLA_EV_TO_FACTORY] = sh(2025, 3, 12, 11, 0);
    r = eval(&p, &t, sh(2025, 3, 15, 12, 0));
    assert_int_equal(r.clock[SLA_ONSITE].status, SLA_BREACHED);
    /* arrived on site first, then sent: the visit counted (met) */
    t.ev[SLA_EV_ARRIVED] = sh(2025, 3, 11, 9, 0);
    t.ev[SLA_EV_TO_FACTORY] = sh(2025, 3, 11, 15, 0);
    r = eval(&p, &t, sh(2025, 3, 15, 12, 0));
    assert_int_equal(r.clock[SLA_ONSITE].status, SLA_MET);
}

static void sla_national_day_2026(void **state)
{
    (void)state;
    struct sla_policy p;
    sla_policy_default(&p, &CAL_624);
    struct sla_ticket t = received(sh(2026, 9, 30, 11, 0));
    t.ev[SLA_EV_NOT_REMOTE_FIXABLE] = sh(2026, 9, 30, 12, 0);
    struct sla_result r = eval(&p, &t, sh(2026, 10, 5, 12, 0));
    assert_int_equal(r.clock[SLA_ONSITE].due, sh(2026, 10, 9, 12, 0));
    assert_int_equal(r.clock[SLA_ONSITE].used, 12 * HOUR);
    assert_int_equal(r.clock[SLA_ONSITE].status, SLA_RUNNING);
    assert_int_equal(r.clock[SLA_ONSITE].at_risk_at, sh(2026, 10, 9, 2, 24));
    r = eval(&p, &t, sh(2026, 10, 9, 2, 24)); /* 12 + 24 + 2.4 = 38.4 h = 80 % */
    assert_int_equal(r.clock[SLA_ONSITE].status, SLA_AT_RISK);
    r = eval(&p, &t, sh(2026, 10, 9, 12, 1));
    assert_int_equal(r.clock[SLA_ONSITE].status, SLA_BREACHED);
}

static void sla_makeup_saturday(void **state)
{
    (void)state;
    struct sla_policy p, plain;
    sla_policy_default(&p, &CAL_OFFICE);
    sla_policy_default(&plain, &CAL_OFFICE_PLAIN);
    sla_policy_set_budget(&p, SLA_REPLY, 8 * HOUR);
    sla_policy_set_budget(&plain, SLA_REPLY, 8 * HOUR);
    struct sla_ticket t = received(sh(2026, 10, 9, 13, 0)); /* Fri after lunch */
    struct sla_result r = eval(&p, &t, sh(2026, 10, 9, 14, 0));
    /* 4.5 h Friday + 3.5 h on Saturday 10 Oct, a 调休 working day */
    assert_int_equal(r.clock[SLA_REPLY].due, sh(2026, 10, 10, 12, 0));
    r = eval(&plain, &t, sh(2026, 10, 9, 14, 0));
    assert_int_equal(r.clock[SLA_REPLY].due, sh(2026, 10, 12, 12, 0));
}

static void sla_pause_spanning_holiday(void **state)
{
    (void)state;
    struct sla_policy p;
    sla_policy_default(&p, &CAL_OFFICE);
    sla_policy_set_budget(&p, SLA_REPLY, 16 * HOUR);
    struct sla_ticket t = received(sh(2026, 9, 29, 8, 30)); /* Tue */
    struct sla_pause pz[] = {{sh(2026, 9, 29, 16, 30), SLA_NO_TIME}};
    t.pauses = pz;
    t.npauses = 1;
    /* still paused during the holiday: 7 h used, due projected from now */
    struct sla_result r = eval(&p, &t, sh(2026, 10, 5, 10, 0));
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_PAUSED);
    assert_int_equal(r.clock[SLA_REPLY].used, 7 * HOUR);
    assert_int_equal(r.clock[SLA_REPLY].due, sh(2026, 10, 9, 9, 30)); /* 9 h: Thu 8 + 1 h Fri */
    /* resumed Fri 9 Oct 10:30: 1.5 + 4.5 Friday, then 3 h on the 调休 Saturday */
    pz[0].to = sh(2026, 10, 9, 10, 30);
    r = eval(&p, &t, sh(2026, 10, 9, 11, 0));
    assert_int_equal(r.clock[SLA_REPLY].due, sh(2026, 10, 10, 11, 30));
    assert_int_equal(r.clock[SLA_REPLY].used, 7 * HOUR + 30 * MIN);
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_RUNNING);
    /* the same pause ignored when the policy does not pause */
    p.pause_on_customer = false;
    r = eval(&p, &t, sh(2026, 10, 9, 11, 0));
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_BREACHED);
    assert_int_equal(r.clock[SLA_REPLY].due, sh(2026, 9, 30, 17, 30));
}

static void sla_lunch_break(void **state)
{
    (void)state;
    struct sla_policy p;
    sla_policy_default(&p, &CAL_OFFICE_PLAIN);
    struct sla_ticket t = received(sh(2025, 3, 10, 11, 0));
    struct sla_result r = eval(&p, &t, sh(2025, 3, 10, 12, 30));
    assert_int_equal(r.clock[SLA_REMOTE].due, sh(2025, 3, 10, 14, 0));
    assert_int_equal(r.clock[SLA_REMOTE].used, HOUR);
    assert_int_equal(r.clock[SLA_REMOTE].status, SLA_RUNNING);
    assert_int_equal(r.clock[SLA_REMOTE].at_risk_at, sh(2025, 3, 10, 13, 36));
    r = eval(&p, &t, sh(2025, 3, 10, 13, 30));
    assert_int_equal(r.clock[SLA_REMOTE].status, SLA_RUNNING); /* 75 % */
    r = eval(&p, &t, sh(2025, 3, 10, 13, 36) - 1);
    assert_int_equal(r.clock[SLA_REMOTE].status, SLA_RUNNING);
    r = eval(&p, &t, sh(2025, 3, 10, 13, 36));
    assert_int_equal(r.clock[SLA_REMOTE].status, SLA_AT_RISK); /* 80 % */
    t.ev[SLA_EV_REMOTE_SOLUTION] = sh(2025, 3, 10, 14, 0);
    r = eval(&p, &t, sh(2025, 3, 10, 15, 0));
    assert_int_equal(r.clock[SLA_REMOTE].status, SLA_MET);
    assert_int_equal(r.clock[SLA_REMOTE].at_risk_at, SLA_NO_TIME);
}

/* The failure other systems show: carrying "time left" over from the old policy. Here the
 * result under the new policy, priority or calendar equals that policy applied from the
 * start, whatever was evaluated before. */
static void sla_policy_change_recomputes(void **state)
{
    (void)state;
    struct sla_policy a, b;
    sla_policy_default(&a, &CAL_247);
    sla_policy_default(&b, &CAL_OFFICE_PLAIN);
    sla_policy_set_budget(&b, SLA_REPLY, 8 * HOUR);
    b.clock[SLA_REPLY].budget[SLA_PRIO_URGENT] = 4 * HOUR;

    struct sla_ticket t = received(sh(2025, 3, 10, 8, 0)); /* Mon, before opening */
    struct sla_pause pz[] = {{sh(2025, 3, 10, 10, 0), sh(2025, 3, 10, 11, 0)}};
    t.pauses = pz;
    t.npauses = 1;
    int64_t now = sh(2025, 3, 10, 18, 0);
    struct sla_result ra = eval(&a, &t, now);
    assert_int_equal(ra.clock[SLA_REPLY].status, SLA_RUNNING); /* 9 h of 24 */
    assert_int_equal(ra.clock[SLA_REPLY].used, 9 * HOUR);

    /* switched to the office-hours contract at 18:00: 8 office hours less a 1 h pause from
     * 08:30 end at 17:30 + 1 h = next morning 09:30; a carried-over "15 h left" would not */
    struct sla_result rb = eval(&b, &t, now);
    assert_int_equal(rb.clock[SLA_REPLY].due, sh(2025, 3, 11, 9, 30));
    assert_int_equal(rb.clock[SLA_REPLY].used, 7 * HOUR);
    assert_int_equal(rb.clock[SLA_REPLY].status, SLA_AT_RISK);
    /* and it is what b showed as soon as the pause was over */
    struct sla_result first = eval(&b, &t, sh(2025, 3, 10, 11, 30));
    assert_int_equal(first.clock[SLA_REPLY].due, rb.clock[SLA_REPLY].due);

    /* priority raised to urgent mid-ticket: 4 h from the start less the pause → 14:30 */
    t.priority = SLA_PRIO_URGENT;
    rb = eval(&b, &t, now);
    assert_int_equal(rb.clock[SLA_REPLY].due, sh(2025, 3, 10, 14, 30));
    assert_int_equal(rb.clock[SLA_REPLY].status, SLA_BREACHED);
    assert_int_equal(rb.clock[SLA_REPLY].breached_at, sh(2025, 3, 10, 14, 30));

    /* replay: evaluating at any past instant ignores later history */
    t.priority = SLA_PRIO_NORMAL;
    t.ev[SLA_EV_REPLIED] = sh(2025, 3, 11, 9, 0);
    for (int64_t at = sh(2025, 3, 10, 8, 0); at < sh(2025, 3, 11, 12, 0); at += 17 * MIN) {
        struct sla_ticket cut = t;
        struct sla_pause cp[1] = {pz[0]};
        if (cut.ev[SLA_EV_REPLIED] > at)
            cut.ev[SLA_EV_REPLIED] = SLA_NO_TIME;
        cut.pauses = cp;
        cut.npauses = cp[0].from > at ? 0 : 1;
        if (cut.npauses && cp[0].to > at)
            cp[0].to = SLA_NO_TIME;
        struct sla_result x = eval(&b, &t, at), y = eval(&b, &cut, at);
        assert_memory_equal(&x, &y, sizeof(x));
    }
}

static void sla_customer_time_earlier(void **state)
{
    (void)state;
    struct sla_policy p;
    sla_policy_default(&p, &CAL_247);
    struct sla_ticket t = received(sh(2025, 3, 10, 8, 0));
    t.ev[SLA_EV_NOT_REMOTE_FIXABLE] = sh(2025, 3, 10, 9, 0);
    struct sla_result r = eval(&p, &t, sh(2025, 3, 10, 10, 0));
    assert_int_equal(r.clock[SLA_ONSITE].due, sh(2025, 3, 12, 9, 0));
    assert_false(r.clock[SLA_ONSITE].due_absolute);

    t.customer_due = sh(2025, 3, 11, 9, 0); /* 客户规定的时间: earlier, so it wins */
    r = eval(&p, &t, sh(2025, 3, 10, 10, 0));
    assert_int_equal(r.clock[SLA_ONSITE].due, sh(2025, 3, 11, 9, 0));
    assert_true(r.clock[SLA_ONSITE].due_absolute);
    assert_int_equal(r.clock[SLA_ONSITE].budget, 24 * HOUR);
    t.ev[SLA_EV_ARRIVED] = sh(2025, 3, 11, 10, 0);
    r = eval(&p, &t, sh(2025, 3, 11, 12, 0));
    assert_int_equal(r.clock[SLA_ONSITE].status, SLA_BREACHED); /* within 48 h, but late */

    t.ev[SLA_EV_ARRIVED] = SLA_NO_TIME;
    t.customer_due = sh(2025, 3, 13, 9, 0); /* later: the policy's 48 h stays */
    r = eval(&p, &t, sh(2025, 3, 10, 10, 0));
    assert_int_equal(r.clock[SLA_ONSITE].due, sh(2025, 3, 12, 9, 0));
    p.onsite_mode = SLA_ONSITE_CUSTOMER; /* GEN: the customer's time is the deadline */
    r = eval(&p, &t, sh(2025, 3, 10, 10, 0));
    assert_int_equal(r.clock[SLA_ONSITE].due, sh(2025, 3, 13, 9, 0));
    p.onsite_mode = SLA_ONSITE_PROMISED; /* DEN: the company's promise, customer if earlier */
    t.promised_due = sh(2025, 3, 14, 9, 0);
    r = eval(&p, &t, sh(2025, 3, 10, 10, 0));
    assert_int_equal(r.clock[SLA_ONSITE].due, sh(2025, 3, 13, 9, 0));
    t.customer_due = SLA_NO_TIME;
    r = eval(&p, &t, sh(2025, 3, 10, 10, 0));
    assert_int_equal(r.clock[SLA_ONSITE].due, sh(2025, 3, 14, 9, 0));
    /* a customer time already past at the start breaches at once */
    p.onsite_mode = SLA_ONSITE_HOURS;
    t.customer_due = sh(2025, 3, 10, 8, 30);
    r = eval(&p, &t, sh(2025, 3, 10, 10, 0));
    assert_int_equal(r.clock[SLA_ONSITE].budget, 0);
    assert_int_equal(r.clock[SLA_ONSITE].status, SLA_BREACHED);
}

static void sla_events_after_now_and_validation(void **state)
{
    (void)state;
    struct sla_policy p;
    struct sla_result r;
    struct sh_err e;
    sla_policy_default(&p, &CAL_247);
    struct sla_ticket t = received(sh(2025, 3, 10, 8, 0));
    t.ev[SLA_EV_REPLIED] = sh(2025, 3, 10, 9, 0);
    r = eval(&p, &t, sh(2025, 3, 10, 8, 30));
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_RUNNING); /* the reply is in the future */
    r = eval(&p, &t, sh(2025, 3, 10, 7, 0));
    assert_int_equal(r.clock[SLA_REPLY].status, SLA_PENDING);

    struct sla_pause bad[] = {{sh(2025, 3, 10, 10, 0), sh(2025, 3, 10, 12, 0)},
                              {sh(2025, 3, 10, 11, 0), sh(2025, 3, 10, 13, 0)}};
    t.pauses = bad;
    t.npauses = 2;
    assert_int_equal(sla_evaluate(&p, &t, sh(2025, 3, 11, 0, 0), &r, &e), SH_INVALID);
    bad[1].from = sh(2025, 3, 10, 12, 0); /* touching is fine */
    assert_int_equal(sla_evaluate(&p, &t, sh(2025, 3, 11, 0, 0), &r, &e), SH_OK);
    bad[0].to = SLA_NO_TIME;
    assert_int_equal(sla_evaluate(&p, &t, sh(2025, 3, 11, 0, 0), &r, &e), SH_INVALID);
    bad[0].to = sh(2025, 3, 10, 9, 0);
    assert_int_equal(sla_evaluate(&p, &t, sh(2025, 3, 11, 0, 0), &r, &e), SH_INVALID);
    t.npauses = 0;
    p.at_risk_pct = 0;
    assert_int_equal(sla_evaluate(&p, &t, sh(2025, 3, 11, 0, 0), &r, &e), SH_INVALID);
    p.at_risk_pct = 80;
    p.clock[SLA_REMOTE].budget[SLA_PRIO_HIGH] = -1;
    assert_int_equal(sla_evaluate(&p, &t, sh(2025, 3, 11, 0, 0), &r, &e), SH_INVALID);
    p.clock[SLA_REMOTE].enabled = false; /* a disabled clock is not checked */
    assert_int_equal(sla_evaluate(&p, &t, sh(2025, 3, 11, 0, 0), &r, &e), SH_OK);
    p.cal = NULL;
    assert_int_equal(sla_evaluate(&p, &t, sh(2025, 3, 11, 0, 0), &r, &e), SH_INVALID);
    /* a per-clock calendar: office-hours reply next to a 6x24 policy */
    sla_policy_default(&p, &CAL_624);
    p.clock[SLA_REPLY].cal = &CAL_OFFICE;
    t = received(sh(2025, 3, 8, 10, 0)); /* Saturday */
    r = eval(&p, &t, sh(2025, 3, 8, 11, 0));
    assert_int_equal(r.clock[SLA_REPLY].used, 0);
    assert_int_equal(r.clock[SLA_REMOTE].used, HOUR);
}

static void sla_select_r117(void **state)
{
    (void)state;
    struct sla_policy pol[4];
    for (int i = 0; i < 4; i++)
        sla_policy_default(&pol[i], &CAL_247);
    struct sla_candidate c[] = {
        {.policy = &pol[0], .scope = SLA_SCOPE_DEFAULT},
        {.policy = &pol[1], .scope = SLA_SCOPE_TICKET_TYPE, .type = TICKET_REPAIR},
        {.policy = &pol[2], .scope = SLA_SCOPE_TIER, .tier = SLA_TIER_KEY},
        {.policy = &pol[3], .scope = SLA_SCOPE_CONTRACT, .contract_id = 42},
    };
    struct sh_err e;
    size_t idx = 99;
    struct sla_subject s = {.contract_id = 42, .tier = SLA_TIER_KEY, .type = TICKET_REPAIR};
    assert_int_equal(sla_select(c, 4, &s, &idx, &e), SH_OK);
    assert_int_equal(idx, 3); /* contract wins */
    s.contract_id = 7;
    assert_int_equal(sla_select(c, 4, &s, &idx, &e), SH_OK);
    assert_int_equal(idx, 2); /* then the key-customer tier */
    s.tier = SLA_TIER_STANDARD;
    assert_int_equal(sla_select(c, 4, &s, &idx, &e), SH_OK);
    assert_int_equal(idx, 1); /* then the ticket type */
    s.type = TICKET_COMPLAINT;
    assert_int_equal(sla_select(c, 4, &s, &idx, &e), SH_OK);
    assert_int_equal(idx, 0); /* then the default */
    s.contract_id = 0;
    struct sla_candidate zero = {.policy = &pol[3], .scope = SLA_SCOPE_CONTRACT};
    assert_int_equal(sla_select(&zero, 1, &s, &idx, &e), SH_NOT_FOUND); /* no contract, no match */
    assert_int_equal(sla_select(c + 1, 3, &s, &idx, &e), SH_NOT_FOUND);
    struct sla_candidate two[] = {c[0], c[0]};
    assert_int_equal(sla_select(two, 2, &s, &idx, &e), SH_CONFLICT);
}

static void sla_escalation_chain(void **state)
{
    (void)state;
    struct sla_escalation esc = {
        .at_risk_to_assignee = true, .dept_head_after = 2 * HOUR, .gm_after = 8 * HOUR};
    int64_t t0 = sh(2025, 3, 10, 12, 0);
    struct sla_clock_state c = {.status = SLA_BREACHED, .breached_at = t0, .due = t0};
    assert_int_equal(sla_escalation_level(&esc, &c, t0 + HOUR), SLA_LEVEL_ASSIGNEE);
    assert_int_equal(sla_escalation_level(&esc, &c, t0 + 2 * HOUR - 1), SLA_LEVEL_ASSIGNEE);
    assert_int_equal(sla_escalation_level(&esc, &c, t0 + 2 * HOUR), SLA_LEVEL_DEPT_HEAD);
    assert_int_equal(sla_escalation_level(&esc, &c, t0 + 8 * HOUR - 1), SLA_LEVEL_DEPT_HEAD);
    assert_int_equal(sla_escalation_level(&esc, &c, t0 + 8 * HOUR), SLA_LEVEL_GM);
    assert_int_equal(sla_escalation_next(&esc, &c, t0 + HOUR), t0 + 2 * HOUR);
    assert_int_equal(sla_escalation_next(&esc, &c, t0 + 3 * HOUR), t0 + 8 * HOUR);
    assert_int_equal(sla_escalation_next(&esc, &c, t0 + 9 * HOUR), SLA_NO_TIME);
    c.completed = true; /* completed late: recorded, nobody chased */
    assert_int_equal(sla_escalation_level(&esc, &c, t0 + 9 * HOUR), SLA_LEVEL_NONE);
    assert_int_equal(sla_escalation_next(&esc, &c, t0), SLA_NO_TIME);
    c = (struct sla_clock_state){.status = SLA_AT_RISK};
    assert_int_equal(sla_escalation_level(&esc, &c, t0), SLA_LEVEL_ASSIGNEE);
    esc.at_risk_to_assignee = false;
    assert_int_equal(sla_escalation_level(&esc, &c, t0), SLA_LEVEL_NONE);
    c.status = SLA_RUNNING;
    assert_int_equal(sla_escalation_level(&esc, &c, t0), SLA_LEVEL_NONE);
    c.status = SLA_PAUSED;
    assert_int_equal(sla_escalation_level(&esc, &c, t0), SLA_LEVEL_NONE);

    /* defaults: department head at the breach, GM a day later; from a real evaluation */
    struct sla_policy p;
    sla_policy_default(&p, &CAL_247);
    struct sla_ticket t = received(t0);
    struct sla_result r = eval(&p, &t, t0 + 25 * HOUR);
    assert_int_equal(sla_escalation_level(&p.esc, &r.clock[SLA_REPLY], t0 + 25 * HOUR),
                     SLA_LEVEL_DEPT_HEAD);
    assert_int_equal(sla_escalation_level(&p.esc, &r.clock[SLA_REPLY], t0 + 48 * HOUR),
                     SLA_LEVEL_GM);
    assert_int_equal(sla_escalation_next(&p.esc, &r.clock[SLA_REPLY], t0 + 25 * HOUR),
                     t0 + 48 * HOUR);
    assert_string_equal(sla_level_name(SLA_LEVEL_DEPT_HEAD), "dept_head");
}

static void sla_delivery_in_service_hours(void **state)
{
    (void)state;
    struct sla_policy p;
    struct sh_err e;
    int64_t at;
    sla_policy_default(&p, &CAL_624);
    assert_int_equal(sla_delivery_at(&p, &CAL_OFFICE, sh(2025, 3, 7, 20, 0), &at, &e), SH_OK);
    assert_int_equal(at, sh(2025, 3, 10, 8, 30)); /* Friday night → Monday morning */
    assert_int_equal(sla_delivery_at(&p, &CAL_OFFICE, sh(2025, 3, 10, 12, 20), &at, &e), SH_OK);
    assert_int_equal(at, sh(2025, 3, 10, 13, 0)); /* after lunch */
    assert_int_equal(sla_delivery_at(&p, &CAL_OFFICE, sh(2026, 10, 2, 9, 0), &at, &e), SH_OK);
    assert_int_equal(at, sh(2026, 10, 8, 8, 30)); /* after the National Day week */
    assert_int_equal(sla_delivery_at(&p, NULL, sh(2025, 3, 7, 20, 0), &at, &e), SH_OK);
    assert_int_equal(at, sh(2025, 3, 7, 20, 0));
    p.notify_around_clock = true;
    assert_int_equal(sla_delivery_at(&p, &CAL_OFFICE, sh(2025, 3, 7, 20, 0), &at, &e), SH_OK);
    assert_int_equal(at, sh(2025, 3, 7, 20, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sla_defaults),
        cmocka_unit_test(sla_reply_across_midnight),
        cmocka_unit_test(sla_weekend_on_office_hours),
        cmocka_unit_test(sla_weekend_on_6x24),
        cmocka_unit_test(sla_national_day_2026),
        cmocka_unit_test(sla_onsite_waived_at_factory),
        cmocka_unit_test(sla_makeup_saturday),
        cmocka_unit_test(sla_pause_spanning_holiday),
        cmocka_unit_test(sla_lunch_break),
        cmocka_unit_test(sla_policy_change_recomputes),
        cmocka_unit_test(sla_customer_time_earlier),
        cmocka_unit_test(sla_events_after_now_and_validation),
        cmocka_unit_test(sla_select_r117),
        cmocka_unit_test(sla_escalation_chain),
        cmocka_unit_test(sla_delivery_in_service_hours),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
