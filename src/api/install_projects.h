/* SPDX-License-Identifier: MIT */
/* /api/v1/installation-projects (issue 12 items 2 and 5): parse, call app/install_projects.h,
 * render. */
#ifndef SH_API_INSTALL_PROJECTS_H
#define SH_API_INSTALL_PROJECTS_H

#include <jansson.h>

#include "api/api.h"
#include "app/install_projects.h"

void h_ip_list(struct api_ctx *c);
void h_ip_open(struct api_ctx *c);
void h_ip_get(struct api_ctx *c);
void h_ip_schedule(struct api_ctx *c);
void h_ip_book(struct api_ctx *c);
void h_ip_close(struct api_ctx *c);
void h_ip_acceptance(struct api_ctx *c);
void h_ip_training(struct api_ctx *c);
void h_ip_acceptance_pdf(struct api_ctx *c);
void h_ip_training_pdf(struct api_ctx *c);
void h_training_topics(struct api_ctx *c);

/* The project as JSON (200/201). */
void ip_reply(struct api_ctx *c, int status, const struct ip_view *v);

/* Reads the body against cols; other keys go to arr (NULL: none): api_parse_body. */
SH_WUR enum sh_code ip_parse(struct api_ctx *c, const struct col *cols, int ncols,
                             struct fval *vals, api_extra_fn arr, void *arg, struct sh_err *e);

#endif
