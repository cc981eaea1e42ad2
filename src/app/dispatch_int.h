/* SPDX-License-Identifier: MIT */
/* Inside dispatch planning: the technicians and jobs of a request resolved against the
 * store and the skill catalogue (dispatch_techs.c), shared by dispatch_plan.c and
 * dispatch_slots.c. */
#ifndef SH_APP_DISPATCH_INT_H
#define SH_APP_DISPATCH_INT_H

#include "app/dispatch.h"
#include "domain/tech_text.h"
#include "store/db.h"

struct dp_req {
    const char *code;
    int level;
};

/* A technician as planned on the date. */
struct dp_tech {
    struct dp_key key;
    int64_t stored_id;
    const char *name;
    double lat, lon;
    double shift_start, shift_end; /* < 0: no shift on the plan's date */
    bool on_leave;
    struct tech_skill *sk; /* held on the date (expired ones dropped) */
    int nsk;
    double max_km; /* <= 0: unlimited */
    uint64_t mask; /* dp_masks */
    size_t veh;    /* index among the working technicians, SIZE_MAX when not working */
};

struct dp_job {
    const struct dp_job_in *in;
    struct dp_req *req;
    int nreq;
    uint64_t mask;
    long fixed; /* technician index, -1 for any */
};

struct dp_ctx {
    const struct uc *u;
    const struct dp_common_in *in;
    struct db_rows skills, techs; /* the catalogue and the stored technicians */
    struct dp_tech *t;
    size_t nt;
    struct dp_req bits[64]; /* distinct (code, level) requirements: bit i */
    int nbits;
};

/* Why a job cannot be served, or "no_capacity" when some technician could serve it
 * alone: the furthest stage any technician reached. */
enum dp_stage {
    DP_ST_FIXED,
    DP_ST_SKILL,
    DP_ST_LEAVE,
    DP_ST_SHIFT,
    DP_ST_WINDOW,
    DP_ST_DISTANCE,
    DP_ST_OK,
};

bool dp_key_eq(const struct dp_key *a, const struct dp_key *b);
/* Loads the catalogue and the stored technicians the request names, then resolves
 * every technician for the date (x->t, x->nt). */
SH_WUR enum sh_code dp_load(struct dp_ctx *x, const struct dp_common_in *in, struct sh_err *e);
/* A job's required skills (each distinct pair gets a bit) and fixed technician. */
SH_WUR enum sh_code dp_job(struct dp_ctx *x, const struct dp_job_in *in, const char *path,
                           struct dp_job *j, struct sh_err *e);
/* The technicians' skill masks for the requirements seen in the jobs. */
void dp_masks(struct dp_ctx *x);
enum dp_stage dp_stage_of(const struct dp_ctx *x, const struct dp_job *j);
const char *dp_stage_reason(enum dp_stage s);
const char *dp_stage_message(const struct dp_ctx *x, const struct dp_job *j, enum dp_stage s);

#endif
