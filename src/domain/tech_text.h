/* SPDX-License-Identifier: MIT */
/* A technician's text encodings: skills and authorisations ("code:level[:YYYY-MM-DD]"),
 * the weekly shift and leave periods. Pure; errors name the field. */
#ifndef SH_TECH_TEXT_H
#define SH_TECH_TEXT_H

#include <stdbool.h>

#include "base/date.h"
#include "base/sh_err.h"

#define TECH_CODE_MAX  40 /* characters in a skill or authorisation code */
#define TECH_SKILL_MAX 64 /* entries in one skills or authorisations list */
#define TECH_LEAVE_MAX 64 /* leave periods */

struct tech_skill {
    char code[TECH_CODE_MAX + 1];
    int level; /* 1..5; authorisations have level 1 */
    bool expires;
    struct sh_date expires_on; /* valid through this day */
};

/* Weekly shift: minutes after local midnight; start[d] < 0 means no shift on weekday d
 * (0 = Monday). Several intervals on one day are merged into first start .. last end. */
struct tech_shift {
    int start[7], end[7];
};

struct tech_leave {
    struct sh_date from, to; /* inclusive */
};

/* True when s is a code: 1..40 of a-z 0-9 _ -. */
bool tech_code_ok(const char *s);
/* "code:level[:YYYY-MM-DD]" (with_level) or "code[:YYYY-MM-DD]" separated by commas;
 * an empty string is an empty list. Errors name `field`. */
SH_WUR enum sh_code tech_skills_parse(const char *s, bool with_level, const char *field,
                                      struct tech_skill *out, int *n, struct sh_err *e);
/* "1-5 08:30-12:00,13:00-17:30;6 09:00-12:00"; weekdays 1 (Monday) to 7. */
SH_WUR enum sh_code tech_shift_parse(const char *s, const char *field, struct tech_shift *out,
                                     struct sh_err *e);
/* "YYYY-MM-DD/YYYY-MM-DD" separated by commas; a single date is one day. */
SH_WUR enum sh_code tech_leave_parse(const char *s, const char *field, struct tech_leave *out,
                                     int *n, struct sh_err *e);
/* True when d falls inside one of the periods. */
bool tech_on_leave(const struct tech_leave *l, int n, struct sh_date d);

#endif
