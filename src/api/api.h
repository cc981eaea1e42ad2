/* SPDX-License-Identifier: MIT */
/* The API layer: route table, authentication and data scope, input validation,
 * the handlers of the generic entity engine (app/entity.h), and JSON rendering. Handlers get a
 * struct api_ctx and answer through api_reply_* helpers; they never see libmicrohttpd. */
#ifndef SH_API_H
#define SH_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/entity.h"
#include "app/uc.h"
#include "base/date.h"
#include "base/jw.h"
#include "base/sh_err.h"
#include "domain/roles.h"
#include "http/http.h"
#include "store/db.h"

struct entity;

enum route_flags {
    ROUTE_PUBLIC = 1 << 0,   /* no authentication */
    ROUTE_NO_CSRF = 1 << 1,  /* unsafe method allowed without CSRF token (sign-in) */
    ROUTE_RAW_BODY = 1 << 2, /* the body is a file (typed by content), not JSON */
    /* a write whose handler touches nothing but the database before its transaction's first
     * wait: on PostgreSQL it may start for the caller foreseen (app_resolve), the credential's
     * row judged with that wait, before COMMIT (a refused run is rolled back and asked again) */
    ROUTE_FORESEE = 1 << 3,
    /* a POST whose handler honours Idempotency-Key (api_idem_key, replay): the entity creates
     * (ent_create) have it without the flag; any other POST sent the header is refused (400
     * idempotency_unsupported) rather than silently creating twice on a retry */
    ROUTE_IDEM = 1 << 4,
};

struct api_ctx;

struct route {
    const char *method;
    const char *pattern;
    void (*fn)(struct api_ctx *c);
    unsigned roles; /* who may call it */
    unsigned flags;
    const struct entity *ent; /* for the generic entity handlers */
    /* GET: the query parameters the handler takes, space-separated ("from to format lang");
     * any other answers 400 unknown_field naming it, and one given twice 400 duplicate_field,
     * before the handler runs (api/app.c). NULL: none. The entity lists (ent_list,
     * ent_list_child) check the names of theirs, the dispatcher that each is given once. */
    const char *query;
};

struct api_ctx {
    struct app *app;
    struct http_req *req;
    const struct route *route;
    struct principal who;
    struct sh_arena *a; /* the request arena */
};

extern const struct route api_routes[];
extern const int api_nroutes;

/* ---- replies ---- */
void api_reply_json(struct api_ctx *c, int status, const struct sh_buf *body);
void api_reply_error(struct api_ctx *c, enum sh_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void api_reply_err(struct api_ctx *c, const struct sh_err *e);
void api_reply_no_content(struct api_ctx *c);
/* Runs fn in a read (write) transaction; on failure replies with the error and returns
 * false, so a handler just returns (Redis's ...OrReply). */
bool api_read_or_reply(struct api_ctx *c, db_fn fn, void *ctx);
bool api_write_or_reply(struct api_ctx *c, db_fn fn, void *ctx);
/* Finishes the JSON begun with api_json_begin, replies with status, and releases b. */
void api_reply_jw(struct api_ctx *c, int status, struct sh_buf *b, struct jw *w);
/* Begins a JSON body in a fresh buffer owned by the caller (release with sh_buf_release). */
void api_json_begin(struct sh_buf *b, struct jw *w);

/* A list answer (api/page.c): {"items": [...]} followed by what the list has of "total",
 * "limit" and "next_cursor". */
struct api_page {
    int n;                                              /* items */
    void (*item)(struct jw *w, int i, const void *arg); /* writes item i */
    const void *arg;
    bool has_total;
    int64_t total;
    bool total_capped;    /* "total_capped": true (more than total match) */
    bool total_estimated; /* "total_estimated": true (total is an estimate) */
    long limit;           /* 0: no "limit" */
    bool has_offset;      /* offset paging (the task list) */
    long offset;
    bool has_cursor;
    const char *next_cursor; /* NULL: null (the last page) */
};
/* Writes the list object into w. */
void api_page_render(struct jw *w, const struct api_page *p);
/* Replies 200 with the list (413 when it would be too large). */
void api_reply_page(struct api_ctx *c, const struct api_page *p);

/* ---- input ---- */
/* The column declarations (struct col, struct fval) and the entity engine are the
 * application layer's: app/entity.h. */
/* Parses the request body as a JSON object against cols. Unknown fields, wrong
 * types, over-long strings and (when !partial) missing required fields are
 * errors naming the field. vals has ncols entries. */
SH_WUR enum sh_code api_parse_object(struct sh_arena *a, const char *body, size_t len,
                                     const struct col *cols, int ncols, bool partial,
                                     struct fval *vals, json_t **root_out, struct sh_err *e);
/* A body with keys besides the columns (arrays of ids, nested lines): extra parses key's
 * value, or sets *known = false for a key that is not its own (refused as unknown_field). */
typedef enum sh_code (*api_extra_fn)(struct api_ctx *c, void *arg, const char *key, json_t *v,
                                     bool *known, struct sh_err *e);
struct api_body {
    const struct col *cols;
    int ncols;
    unsigned mask;      /* the columns this request takes: bit k = cols[k]; 0 = all */
    bool partial;       /* PATCH: required columns are not checked */
    api_extra_fn extra; /* NULL: no other keys */
    void *arg;
};
/* Parses the request body against b: every key a column of the mask (vals has b->ncols
 * entries, zeroed first) or taken by extra; unknown, read-only or (when !partial) missing
 * required fields are errors naming the field. */
SH_WUR enum sh_code api_parse_body(struct api_ctx *c, const struct api_body *b, struct fval *vals,
                                   struct sh_err *e);
/* A state-machine action's request (POST /x/{id}/actions): the path's id, the If-Match
 * version (-1 when absent) and the body against cols. false when it has answered the error
 * (the caller returns). */
bool api_action_request(struct api_ctx *c, int64_t *id, int64_t *if_match, const struct col *cols,
                        int ncols, struct fval *vals);
/* An array of at most max ids (integers >= 1) into out; *n is their count. Errors name field. */
SH_WUR enum sh_code api_parse_ids(json_t *v, const char *field, int max, int64_t *out, int *n,
                                  struct sh_err *e);
/* Validates one JSON value against a column spec (app/entity.h: ent_parse_value). */
static inline SH_WUR enum sh_code api_parse_value(struct sh_arena *a, const struct col *col,
                                                  json_t *v, struct fval *out, struct sh_err *e)
{
    return ent_parse_value(a, col, v, out, e);
}
/* Parses a JSON body into an object (400 on malformed JSON or a non-object). */
SH_WUR enum sh_code api_load_object(const char *body, size_t len, json_t **out, struct sh_err *e);
/* The field of a query parameter without a name (`?=1`): how it reads in the query. */
#define API_QUERY_NAMELESS "="
/* Every query parameter of the request has a name, is one of names (space-separated; NULL:
 * none; any_name: not checked here, as the entity lists check theirs against the entity's
 * columns) and is given once: otherwise replies 400 validation_failed naming the first one
 * at fault, reason unknown_field (field API_QUERY_NAMELESS when it has no name) or
 * duplicate_field, and returns false. No parameter of the API takes several values. */
bool api_query_known_or_reply(struct api_ctx *c, const char *names, bool any_name);
/* One query parameter, absent or valid, into *out; false after replying 400 validation_failed
 * naming it: a whole number in [lo, hi] (absent: def); limit (1–200, 50) and offset
 * (0–1000000, 0); an id (>= 1; absent: 0); true or false (absent: false). */
bool api_query_int(struct api_ctx *c, const char *name, int lo, int hi, int def, int *out);
bool api_query_page(struct api_ctx *c, int *limit, int *offset);
bool api_query_id(struct api_ctx *c, const char *name, int64_t *out);
bool api_query_bool(struct api_ctx *c, const char *name, bool *out);
/* The in-memory limit of max requests per window seconds for the key what:key (an address):
 * false while within it; past it, replies 429 with Retry-After and returns true. */
bool api_throttled(struct api_ctx *c, const char *what, const char *key, int max, int window);
/* ---- entities (declared and run in app/entity.h) ---- */
/* The application layer's context for a request, inside tx (NULL: none yet). */
static inline struct uc api_uc(struct api_ctx *c, struct db_tx *tx)
{
    return (struct uc){.tx = tx, .a = c->a, .who = &c->who, .now = sh_now(), .app = c->app};
}
/* Generic handlers (route.ent says which entity). */
void ent_list(struct api_ctx *c);
void ent_get(struct api_ctx *c);
void ent_create(struct api_ctx *c);
void ent_update(struct api_ctx *c);
void ent_delete(struct api_ctx *c);
/* Child collections: /parents/{id}/children, scoped to the parent. */
void ent_list_child(struct api_ctx *c);
/* uc_ent_insert for a request, inside tx. */
SH_WUR enum sh_code ent_insert(struct api_ctx *c, struct db_tx *tx, const struct entity *ent,
                               struct fval *vals, int64_t *id, const char **after_json,
                               struct sh_err *e);

/* ---- Idempotency-Key on POST ---- */
/* Reads and checks the header (NULL when absent); replies 400 and returns false if bad. */
bool api_idem_key(struct api_ctx *c, const char **key);
/* Inside the write: when key was used before, copies its answer to out and sets *replayed. */
SH_WUR enum sh_code api_idem_replay(struct api_ctx *c, struct db_tx *tx, const char *key,
                                    struct sh_buf *out, int *status, bool *replayed,
                                    struct sh_err *e);
/* Inside the write: records the answer given for key. */
SH_WUR enum sh_code api_idem_store(struct api_ctx *c, struct db_tx *tx, const char *key, int status,
                                   const char *body, struct sh_err *e);

/* ---- audit ---- */
/* Writes one audit row inside tx; before/after are JSON text or NULL. */
SH_WUR enum sh_code audit_write(struct db_tx *tx, const struct principal *who, const char *entity,
                                int64_t id, const char *action, const char *before,
                                const char *after, struct sh_err *e);

/* ---- auth ---- */
/* Resolves the caller from a bearer token or session cookie; SH_OK with
 * user_id 0 when no credentials were sent. */
SH_WUR enum sh_code auth_resolve(struct api_ctx *c, struct sh_err *e);
/* Random token: 2*nbytes hex chars into out (size 2*nbytes+1). */
void auth_random_hex(char *out, size_t nbytes);
/* Hex SHA-256-sized BLAKE2b hash of a token (65 bytes). */
void auth_token_hash(const char *token, char out[65]);
/* argon2id through the bounded hashing pool (app/passwords.h) */
SH_WUR enum sh_code auth_password_hash(const char *pw, char out[128], struct sh_err *e);
bool auth_password_verify(const char *hash, const char *pw);
/* Replies e, with Retry-After for 429 and 503 when retry_after > 0. */
void auth_reply_err(struct api_ctx *c, const struct sh_err *e, int retry_after);
/* The caller proves a password again (token creation, own password change): a throttled
 * check; replies 403 (wrong), 429 or 503 and returns false when it fails. */
bool auth_current_password_ok(struct api_ctx *c, const char *username, const char *hash,
                              const char *password);

/* ---- helpers ---- */
/* Path parameter i as a positive id; replies 404 and returns false otherwise. */
bool api_param_id(struct api_ctx *c, int i, int64_t *out);
bool api_is_external(const struct api_ctx *c);
/* True when the caller's only staff role is technician (sees own assignments). */
bool api_is_technician_only(const struct api_ctx *c);
/* True when row `row` of r is inside the caller's data scope for ent (ent_row_visible). */
bool ent_row_in_scope(const struct api_ctx *c, const struct entity *ent, const struct db_rows *r,
                      int row);
void api_now(char ts[21]);
void api_today(char d[11]);

/* The application entry point for the HTTP server. */
void app_handle(struct http_req *r, void *app);
size_t app_max_body(const char *method, const char *path, void *app);
/* The path as the access log writes it: the public links' tokens cut to 6 characters. */
const char *app_log_path(struct sh_arena *a, const char *path, void *app);
/* GET /metrics (api/metrics.c); api_metrics_init names the routes once before serving. */
void api_metrics(struct http_req *r, struct app *app);
void api_metrics_init(void);

#endif
