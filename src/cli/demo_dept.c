/* SPDX-License-Identifier: MIT */
/* The department's own records as demo data (cli/demo_dept.h). */
#include "cli/demo_dept.h"

#include "cli/demo_cmpl.h"
#include "cli/demo_diag.h"
#include "cli/demo_disc.h"
#include "cli/demo_tel.h"
#include "cli/demo_ver.h"

enum sh_code demo_dept(const struct uc *u, struct sh_err *e)
{
    enum sh_code rc;
    if ((rc = demo_disc(u, &(int){0}, e))) /* issue 18 item 7: the department's discipline */
        return rc;
    if ((rc = demo_diag(u, &(int){0}, e))) /* issue 18 items 1 and 8: diagnoses, leads */
        return rc;
    if ((rc = demo_cmpl(u, &(int){0}, e))) /* issue 14 items 4-5: complaints, samples */
        return rc;
    if ((rc = demo_ver(u, &(int){0}, e))) /* issue 18 item 3: versions, upgrade campaigns */
        return rc;
    return demo_tel(u, e); /* issue 18 items 2, 5, 6: calls, suppliers, contracts */
}
