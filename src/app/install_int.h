/* SPDX-License-Identifier: MIT */
/* Shared by the signed forms of an installation project (install_signoff.c,
 * install_training.c, install_print.c). */
#ifndef SH_APP_INSTALL_INT_H
#define SH_APP_INSTALL_INT_H

#include "app/install_projects.h"
#include "base/jw.h"
#include "base/sh_buf.h"

struct ip_signoff_new {
    const char *kind, *snapshot;
    int trainees, chargeable;
};

/* signer_name, comment and the PNG (sizes into w, h). */
SH_WUR enum sh_code install_check_sign(const struct ip_sign_in *in, int *w, int *h,
                                       struct sh_err *e);
/* Opens the snapshot object with the project's header, units and work orders. */
void install_snap_head(struct jw *w, const struct ip_view *v, const char *kind, const char *date);
/* Closes it: the JSON in a, NULL when too large; releases b. */
const char *install_snap_finish(struct sh_arena *a, struct jw *w, struct sh_buf *b);
/* The signature into the blob store, the row, the audit (the snapshot). */
SH_WUR enum sh_code install_store_signoff(const struct uc *u, const struct ip_view *v,
                                          const struct ip_sign_in *in,
                                          const struct ip_signoff_new *s, int w, int h,
                                          struct sh_err *e);
/* The customer signs on the phone of a technician of the project's visits (lead or helper of
 * one of its work orders) or of a planner; anyone else is refused 403 `forbidden`. */
SH_WUR enum sh_code install_may_sign(const struct uc *u, const struct ip_view *v, struct sh_err *e);
SH_WUR enum sh_code install_signed_already(const struct ip_view *v, const char *kind,
                                           struct sh_err *e);

#endif
