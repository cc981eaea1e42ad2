/* SPDX-License-Identifier: MIT */
/* GET /api/v1/meta: the one description of every entity the UI builds its forms,
 * enum pickers and field labels from, read from the C declarations themselves
 * (struct entity / struct col, the route table for who reads and writes, the
 * domain's ticket types and states, the roles). Built once per process; served
 * with an ETag (304 on If-None-Match). Labels are not here: the UI's catalogues
 * hold field.<entity>.<col>, field.<col> and enum.<col>.<value>. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/meta.h"
#include "domain/diagnosis.h"
#include "domain/rma.h"
#include "domain/complaint.h"
#include "app/report_complaints.h"
#include "app/report_quality_issues.h"
#include "domain/checklist.h"
#include "domain/parts.h"
#include "domain/sla.h"
#include "domain/quote.h"
#include "domain/survey.h"
#include "domain/ticket.h"
#include "domain/dealer_app.h"
#include "domain/trip.h"
#include "domain/work_order.h"

const char *meta_kind_name(enum field_kind k)
{
    switch (k) {
    case F_STR:
        return "string";
    case F_TEXT:
        return "text";
    case F_INT:
        return "integer";
    case F_BOOL:
        return "boolean";
    case F_DATE:
        return "date";
    case F_TS:
        return "date-time";
    case F_REAL:
        return "number";
    case F_ENUM:
        return "enum";
    case F_ID:
        return "id";
    case F_MONEY:
        return "money";
    }
    return "string";
}

int meta_maxlen(const struct col *col)
{
    if (col->kind != F_STR && col->kind != F_TEXT && col->kind != F_ENUM)
        return 0;
    if (col->maxlen)
        return col->maxlen;
    return col->kind == F_TEXT ? 4000 : col->kind == F_STR ? 200 : 0;
}

static void roles_array(struct jw *w, const char *key, unsigned mask)
{
    jw_key(w, key);
    jw_arr_begin(w);
    for (int i = 0; i < ROLE_COUNT; i++)
        if (mask & (1u << i))
            jw_str(w, role_name((enum role)i));
    jw_arr_end(w);
}

static void flag(struct jw *w, const char *key, unsigned flags, unsigned f)
{
    if (flags & f)
        jw_kbool(w, key, true);
}

static void render_col(struct jw *w, const struct col *col)
{
    jw_obj_begin(w);
    jw_kstr(w, "name", col->name);
    jw_kstr(w, "type", meta_kind_name(col->kind));
    flag(w, "required", col->flags, COL_REQUIRED);
    flag(w, "readonly", col->flags, COL_READONLY);
    flag(w, "nullable", col->flags, COL_NULLABLE);
    flag(w, "create_only", col->flags, COL_CREATE_ONLY);
    flag(w, "derived", col->flags, COL_DERIVED);
    flag(w, "staff_only", col->flags, COL_STAFF);
    flag(w, "sort", col->flags, COL_SORT);
    flag(w, "filter", col->flags, COL_FILTER);
    flag(w, "range", col->flags, COL_RANGE);
    flag(w, "search", col->flags, COL_SEARCH);
    flag(w, "past", col->flags, COL_PAST);   /* a date not after today */
    flag(w, "phone", col->flags, COL_PHONE); /* a phone number */
    int max = meta_maxlen(col);
    if (max && col->kind != F_ENUM)
        jw_kint(w, "maxlength", max);
    if (col->min < col->max) {
        jw_kreal(w, "min", col->min);
        jw_kreal(w, "max", col->max);
    }
    if (col->kind == F_ENUM && col->enums) {
        jw_key(w, "enum");
        jw_arr_begin(w);
        for (const char *const *p = col->enums; *p; p++)
            jw_str(w, *p);
        jw_arr_end(w);
    }
    if (col->ref)
        jw_kstr(w, "ref", col->ref->name);
    jw_obj_end(w);
}

/* Who reads and writes ent, from the route table. */
struct ent_roles {
    unsigned read, create, update, del;
    const char *path; /* the collection */
};

static struct ent_roles roles_of(const struct entity *ent)
{
    struct ent_roles r = {0};
    for (int i = 0; i < api_nroutes; i++) {
        const struct route *rt = &api_routes[i];
        if (rt->ent != ent)
            continue;
        bool item = strstr(rt->pattern, "{id}") != NULL;
        bool child = !item && strchr(rt->pattern, '{') != NULL;
        if (!strcmp(rt->method, "GET") && !child && (rt->fn == ent_list || rt->fn == ent_get)) {
            r.read |= rt->roles;
            if (!item)
                r.path = rt->pattern;
        } else if (!strcmp(rt->method, "POST") && !item && !child) {
            r.create |= rt->roles;
        } else if (!strcmp(rt->method, "PATCH") && item) {
            r.update |= rt->roles;
        } else if (!strcmp(rt->method, "DELETE") && item) {
            r.del |= rt->roles;
        }
    }
    return r;
}

/* The named views of a list (?queue=mine): {"queue": ["mine", …], …}, in declaration order. */
static void render_views(struct jw *w, const struct list_view *v)
{
    if (!v || !v->param)
        return;
    jw_key(w, "views");
    jw_obj_begin(w);
    for (const struct list_view *p = v; p->param; p++) {
        bool seen = false;
        for (const struct list_view *q = v; q < p; q++)
            seen |= !strcmp(q->param, p->param);
        if (seen)
            continue;
        jw_key(w, p->param);
        jw_arr_begin(w);
        for (const struct list_view *q = p; q->param; q++)
            if (!strcmp(q->param, p->param))
                jw_str(w, q->value);
        jw_arr_end(w);
    }
    jw_obj_end(w);
}

static void render_entity(struct jw *w, const struct entity *ent)
{
    struct ent_roles r = roles_of(ent);
    jw_key(w, ent->name);
    jw_obj_begin(w);
    jw_kstr(w, "path", r.path);
    roles_array(w, "read", r.read);
    roles_array(w, "create", r.create);
    roles_array(w, "update", r.update);
    roles_array(w, "delete", r.del);
    jw_kstr(w, "default_sort", ent->default_sort ? ent->default_sort : "id");
    jw_kbool(w, "search", ent->search);
    render_views(w, ent->views);
    if (ent->extra_key) /* a member the reads add after the columns (entity.read_extra) */
        jw_kstr(w, "extra", ent->extra_key);
    jw_key(w, "columns");
    jw_arr_begin(w);
    for (int i = 0; i < ent->ncols; i++)
        if (!(ent->cols[i].flags & COL_INTERNAL))
            render_col(w, &ent->cols[i]);
    jw_arr_end(w);
    jw_obj_end(w);
}

int meta_entities(const struct entity **out, int max)
{
    int n = 0;
    for (int i = 0; i < api_nroutes; i++) {
        const struct entity *ent = api_routes[i].ent;
        if (!ent || api_routes[i].fn != ent_list)
            continue;
        bool seen = false;
        for (int k = 0; k < n; k++)
            seen |= out[k] == ent;
        if (!seen && n < max)
            out[n++] = ent;
    }
    return n;
}

/* A NULL-terminated name table as an array. */
static void names_array(struct jw *w, const char *key, const char *const *names)
{
    jw_key(w, key);
    jw_arr_begin(w);
    for (const char *const *p = names; *p; p++)
        jw_str(w, *p);
    jw_arr_end(w);
}

static void render_domain_enums(struct jw *w)
{
    jw_key(w, "enums");
    jw_obj_begin(w);
    jw_key(w, "role");
    jw_arr_begin(w);
    for (int i = 0; i < ROLE_COUNT; i++)
        jw_str(w, role_name((enum role)i));
    jw_arr_end(w);
    jw_key(w, "ticket_type");
    jw_arr_begin(w);
    for (int i = 0; i < TICKET_TYPE_COUNT; i++)
        jw_str(w, ticket_type_name((enum ticket_type)i));
    jw_arr_end(w);
    jw_key(w, "ticket_state");
    jw_arr_begin(w);
    for (int i = 0; i < TICKET_STATE_COUNT; i++)
        jw_str(w, ticket_state_name((enum ticket_state)i));
    jw_arr_end(w);
    jw_key(w, "ticket_action");
    jw_arr_begin(w);
    for (int i = 0; i < TICKET_ACTION_COUNT; i++)
        jw_str(w, ticket_action_name((enum ticket_action)i));
    jw_arr_end(w);
    names_array(w, "ticket_channel", ticket_channel_names);
    names_array(w, "ticket_priority", ticket_priority_names);
    jw_key(w, "sla_clock");
    jw_arr_begin(w);
    for (int i = 0; i < SLA_CLOCK_COUNT; i++)
        jw_str(w, sla_clock_name((enum sla_clock)i));
    jw_arr_end(w);
    jw_key(w, "sla_status");
    jw_arr_begin(w);
    for (int i = SLA_OFF; i <= SLA_MET; i++)
        jw_str(w, sla_status_name((enum sla_status)i));
    jw_arr_end(w);
    names_array(w, "wo_kind", wo_kind_names);
    names_array(w, "wo_status", wo_status_names);
    names_array(w, "wo_action", wo_action_names);
    names_array(w, "wo_result", wo_result_names);
    names_array(w, "wo_late_notice", wo_late_notice_names);
    jw_key(w, "wo_status_open"); /* wo_status_open(): the statuses a work order is still open in */
    jw_arr_begin(w);
    for (int i = 0; i < WO_STATUS_COUNT; i++)
        if (wo_status_open((enum wo_status)i))
            jw_str(w, wo_status_name((enum wo_status)i));
    jw_arr_end(w);
    names_array(w, "checklist_kind", cl_kind_names);
    names_array(w, "checklist_phase", cl_phase_names);
    names_array(w, "survey_status", survey_status_names);
    names_array(w, "survey_score", survey_score_names);
    names_array(w, "quote_status", quote_status_names);
    names_array(w, "quote_line_kind", quote_line_kind_names);
    names_array(w, "quote_channel", quote_channel_names);
    names_array(w, "trip_status", trip_status_names);
    names_array(w, "rma_action", rma_action_names);
    names_array(w, "rma_photo_phase", rma_photo_phase_names);
    names_array(w, "complaint_action", complaint_action_names);
    names_array(w, "quality_issue_source", quality_issue_source_names);
    names_array(w, "complaint_dimension", complaint_dimension_names);
    names_array(w, "trip_action", trip_action_names);
    names_array(w, "dealer_app_action", dapp_action_names);
    names_array(w, "trip_expense", trip_expense_names);
    names_array(w, "stock_kind", stock_kind_names);
    names_array(w, "part_basis", part_basis_names);
    names_array(w, "diag_decision", diag_decision_names);
    jw_obj_end(w);
}

/* Who may call each signed-in route (the UI shows only what the server allows). */
static void render_routes(struct jw *w)
{
    jw_key(w, "routes");
    jw_arr_begin(w);
    for (int i = 0; i < api_nroutes; i++) {
        const struct route *rt = &api_routes[i];
        if (rt->flags & ROUTE_PUBLIC)
            continue;
        jw_obj_begin(w);
        jw_kstr(w, "method", rt->method);
        jw_kstr(w, "path", rt->pattern);
        roles_array(w, "roles", rt->roles);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static struct sh_buf meta_body;
static char meta_etag[40], meta_etag_gz[44];
/* the document compressed once (about 95 KB plain, a fifth of it as gzip): the phone's first
 * load on a slow connection (tests/e2e tech_day's byte budget) */
static unsigned char *meta_gz;
static size_t meta_gz_len;
static pthread_once_t meta_once = PTHREAD_ONCE_INIT;

static void meta_build(void)
{
    sh_buf_init(&meta_body, 4u << 20);
    struct jw w;
    jw_init(&w, &meta_body);
    jw_obj_begin(&w);
    roles_array(&w, "roles", ROLES_ALL);
    render_domain_enums(&w);
    render_routes(&w);
    jw_key(&w, "entities");
    jw_obj_begin(&w);
    const struct entity *ents[64];
    int n = meta_entities(ents, 64);
    for (int i = 0; i < n; i++)
        render_entity(&w, ents[i]);
    jw_obj_end(&w);
    jw_obj_end(&w);
    if (jw_finish(&w) != SH_OK)
        sh_buf_reset(&meta_body);
    /* FNV-1a of the document: it changes only with the declarations */
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < meta_body.len; i++)
        h = (h ^ (unsigned char)meta_body.buf[i]) * 1099511628211ull;
    snprintf(meta_etag, sizeof(meta_etag), "\"m%016llx\"", (unsigned long long)h);
    snprintf(meta_etag_gz, sizeof(meta_etag_gz), "\"m%016llx-gz\"", (unsigned long long)h);
    if (!http_gzip(meta_body.buf, meta_body.len, &meta_gz, &meta_gz_len))
        meta_gz = NULL;
}

const char *meta_json(void)
{
    pthread_once(&meta_once, meta_build);
    return meta_body.buf ? meta_body.buf : "{}";
}

void h_meta(struct api_ctx *c)
{
    pthread_once(&meta_once, meta_build);
    bool gz = meta_gz && http_accepts_gzip(c->req);
    const char *etag = gz ? meta_etag_gz : meta_etag;
    http_add_header(c->req, "ETag", etag);
    http_add_header(c->req, "Cache-Control", "private, no-cache");
    http_add_header(c->req, "Vary", "Accept-Encoding");
    const char *inm = http_header(c->req, "If-None-Match");
    if (inm && (!strcmp(inm, etag) || !strcmp(inm, "*"))) {
        c->req->status = 304;
        return;
    }
    if (gz) {
        http_reply(c->req, 200, "application/json; charset=utf-8", (const char *)meta_gz,
                   meta_gz_len);
        http_add_header(c->req, "Content-Encoding", "gzip");
        return;
    }
    http_reply(c->req, 200, "application/json; charset=utf-8", meta_body.buf, meta_body.len);
}
