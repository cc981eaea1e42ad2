/* SPDX-License-Identifier: MIT */
#include "domain/quote.h"

#include <string.h>

const char *const quote_status_names[QUOTE_STATUS_COUNT + 1] = {
    "draft",   "pending_approval", "sent",      "accepted", "rejected",
    "expired", "superseded",       "withdrawn", NULL};

const char *const quote_action_names[QUOTE_ACTION_COUNT + 1] = {
    "edit", "submit", "send", "return", "accept", "reject", "revise", "relink", "withdraw", NULL};

const char *const quote_line_kind_names[QUOTE_LINE_KIND_COUNT + 1] = {"part", "labour", "travel",
                                                                      "fee", NULL};

const char *const quote_channel_names[] = {"link",   "portal", "phone",     "wechat",
                                           "letter", "email",  "in_person", NULL};

static int lookup(const char *const *names, const char *s)
{
    for (int i = 0; s && names[i]; i++)
        if (!strcmp(names[i], s))
            return i;
    return -1;
}

bool quote_status_parse(const char *s, enum quote_status *out)
{
    int i = lookup(quote_status_names, s);
    if (i < 0)
        return false;
    *out = (enum quote_status)i;
    return true;
}

bool quote_line_kind_parse(const char *s, enum quote_line_kind *out)
{
    int i = lookup(quote_line_kind_names, s);
    if (i < 0)
        return false;
    *out = (enum quote_line_kind)i;
    return true;
}

bool quote_channel_recordable(const char *s)
{
    int i = lookup(quote_channel_names, s);
    return i >= 2; /* not link, not portal */
}

static const struct {
    enum quote_status from;
    enum quote_action act;
    enum quote_status to;
} table[] = {
    {QS_DRAFT, QA_EDIT, QS_DRAFT},
    {QS_DRAFT, QA_SUBMIT, QS_PENDING_APPROVAL},
    {QS_DRAFT, QA_SEND, QS_SENT},
    {QS_PENDING_APPROVAL, QA_SEND, QS_SENT},
    {QS_PENDING_APPROVAL, QA_RETURN, QS_DRAFT},
    {QS_SENT, QA_ACCEPT, QS_ACCEPTED},
    {QS_SENT, QA_REJECT, QS_REJECTED},
    {QS_SENT, QA_RELINK, QS_SENT},
    {QS_SENT, QA_REVISE, QS_SUPERSEDED},
    {QS_REJECTED, QA_REVISE, QS_SUPERSEDED},
    {QS_EXPIRED, QA_REVISE, QS_SUPERSEDED},
    {QS_DRAFT, QA_WITHDRAW, QS_WITHDRAWN},
    {QS_PENDING_APPROVAL, QA_WITHDRAW, QS_WITHDRAWN},
    {QS_SENT, QA_WITHDRAW, QS_WITHDRAWN},
    {QS_EXPIRED, QA_WITHDRAW, QS_WITHDRAWN},
    {QS_ACCEPTED, QA_WITHDRAW, QS_WITHDRAWN},
};

bool quote_transition(enum quote_status from, enum quote_action act, enum quote_status *to)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (table[i].from == from && table[i].act == act) {
            *to = table[i].to;
            return true;
        }
    return false;
}

bool quote_withdrawn_by_acceptance(enum quote_status s)
{
    enum quote_status to;
    /* an accepted quote from before the one-accepted rule stays (docs/quotes.md) */
    return s != QS_ACCEPTED && quote_transition(s, QA_WITHDRAW, &to);
}

bool quote_billing_paid(const char *billing)
{
    return billing && (!strcmp(billing, "chargeable") || !strcmp(billing, "negotiated"));
}

bool quote_withdrawn_by_billing(enum quote_status s)
{
    enum quote_status to;
    return quote_transition(s, QA_WITHDRAW, &to);
}

enum quote_status quote_effective(enum quote_status stored, int64_t valid_until_end, int64_t now)
{
    return stored == QS_SENT && now >= valid_until_end ? QS_EXPIRED : stored;
}

bool quote_line_amount(struct quote_line_calc *l)
{
    if (l->qty < 0 || l->rate < 0 || l->extra < 0 || l->qty > QUOTE_QTY_MAX ||
        l->rate > QUOTE_MONEY_MAX || l->extra > QUOTE_MONEY_MAX)
        return false;
    if (l->kind == QL_FEE)
        return l->amount >= 0 && l->amount <= QUOTE_MONEY_MAX;
    /* qty (hundredths) × rate (fen) / 100, half up: both are bounded (1e7 × 1e11), the
     * product fits in 64 bits */
    int64_t a = (l->qty * l->rate + 50) / 100;
    if (l->kind == QL_TRAVEL)
        a += l->extra;
    if (a > QUOTE_MONEY_MAX)
        return false;
    l->amount = a;
    return true;
}

bool quote_total(const struct quote_line_calc *lines, int n, int64_t *total)
{
    int64_t t = 0;
    for (int i = 0; i < n; i++) {
        t += lines[i].amount;
        if (t > QUOTE_MONEY_MAX)
            return false;
    }
    *total = t;
    return true;
}

bool quote_needs_approval(int64_t total, int64_t threshold)
{
    return threshold >= 0 && total > threshold;
}
