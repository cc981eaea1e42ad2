/* SPDX-License-Identifier: MIT */
/* Supplier cases (外协处理, WF-09 S3a, R-013, R-068; issue 18 item 5; docs/telephone.md): the
 * states a problem on a bought-in component goes through — with purchasing, sent to the
 * outside maker, answered, closed — and whether the maker answered within its committed
 * response time. Pure: no I/O, no clock. */
#ifndef SH_DOMAIN_SUPPLIER_H
#define SH_DOMAIN_SUPPLIER_H

#include <stdbool.h>
#include <stdint.h>

enum supplier_case_state { SC_TO_PURCHASING, SC_SENT, SC_ANSWERED, SC_CLOSED, SC_STATE_COUNT };
enum supplier_case_action { SCA_SEND, SCA_ANSWER, SCA_CLOSE, SCA_COUNT };

extern const char *const supplier_case_state_names[];  /* NULL-terminated */
extern const char *const supplier_case_action_names[]; /* NULL-terminated */
extern const char *const supplier_case_outcomes[];     /* "met", "late", NULL */

bool supplier_case_state_parse(const char *s, enum supplier_case_state *out);
bool supplier_case_action_parse(const char *s, enum supplier_case_action *out);
/* RULE WF-09 S3a: send from to_purchasing, answer once sent, close once answered; false for
 * any other step. */
bool supplier_case_next(enum supplier_case_state from, enum supplier_case_action a,
                        enum supplier_case_state *to);
/* RULE R-013: the hours the maker took from sent to answered (whole hours, rounded up) and
 * whether that is within response_hours (met) or not (late). */
bool supplier_case_met(int64_t sent, int64_t answered, int64_t response_hours, int64_t *hours);

#endif
