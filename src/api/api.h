/* SPDX-License-Identifier: MIT */
/* The API layer: route table, authentication and data scope, input validation,
 * the generic entity engine, and JSON rendering. Handlers get a struct api_ctx
 * and answer through api_reply_* helpers; they never see libmicrohttpd. */
#ifndef SH_API_H
#define SH_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/uc.h"
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
};

struct api_ctx;

struct route {
    const char *method;
    const char *pattern;
    void (*fn)(struct api_ctx *c);
    unsigned roles; /* who may call it */
    unsigned flags;
    const struct entity *ent; /* for the generic entity handlers */
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

/* ---- input ---- */
enum field_kind { F_STR, F_TEXT, F_INT, F_BOOL, F_DATE, F_TS, F_REAL, F_ENUM, F_ID, F_MONEY };

enum col_flags {
    COL_REQUIRED = 1 << 0,    /* must be present on create */
    COL_READONLY = 1 << 1,    /* computed by the server: never accepted as input */
    COL_SORT = 1 << 2,        /* usable in sort= */
    COL_FILTER = 1 << 3,      /* usable as an equality filter */
    COL_SEARCH = 1 << 4,      /* part of the q= search text */
    COL_NULLABLE = 1 << 5,    /* may be set to null */
    COL_INTERNAL = 1 << 6,    /* stored but never rendered */
    COL_CREATE_ONLY = 1 << 7, /* accepted on create, refused on update */
    COL_RANGE = 1 << 8,       /* date/ts: <name>_from / <name>_to filters */
    COL_DERIVED = 1 << 9, /* read-only input, but computed by a hook and stored on every write */
    COL_STAFF = 1 << 10,  /* staff-only: never shown to customer and dealer accounts */
};

struct col {
    const char *name;
    enum field_kind kind;
    unsigned flags;
    int maxlen;               /* characters for strings */
    const char *const *enums; /* NULL-terminated, for F_ENUM */
    double min, max;          /* for numbers when min < max */
    const struct entity *ref; /* for F_ID: the entity referred to (expand=) */
};

struct fval {
    bool present;
    bool is_null;
    const char *text; /* canonical text for the database ("1"/"0" for booleans) */
    int64_t i;
    double r;
};

/* Parses the request body as a JSON object against cols. Unknown fields, wrong
 * types, over-long strings and (when !partial) missing required fields are
 * errors naming the field. vals has ncols entries. */
SH_WUR enum sh_code api_parse_object(struct sh_arena *a, const char *body, size_t len,
                                     const struct col *cols, int ncols, bool partial,
                                     struct fval *vals, json_t **root_out, struct sh_err *e);
/* Validates one JSON value against a column spec. */
SH_WUR enum sh_code api_parse_value(struct sh_arena *a, const struct col *col, json_t *v,
                                    struct fval *out, struct sh_err *e);
/* Parses a JSON body into an object (400 on malformed JSON or a non-object). */
SH_WUR enum sh_code api_load_object(const char *body, size_t len, json_t **out, struct sh_err *e);
/* Counts Unicode code points in valid UTF-8. */
size_t utf8_len(const char *s);

/* ---- entities ---- */
struct ent_write {
    struct api_ctx *c;
    struct db_tx *tx;
    const struct entity *ent;
    struct fval *vals; /* ncols, the merged new state (create: input; update: old+input) */
    const char **old;  /* update: old cell text per column (NULL on create) */
    bool creating;
    int64_t id; /* update: the id; create: set after insert */
};

/* A named list filter, e.g. queue=mine: `where` is SQL over alias t in which
 * {me} and {dept} stand for the caller's user and department ids. */
struct list_view {
    const char *param, *value, *where;
};

struct entity {
    const char *name;  /* audit entity and JSON "type", e.g. "customer" */
    const char *table; /* "customers" */
    const struct col *cols;
    int ncols;
    /* external principals see rows whose column `scope_col` equals their customer id
     * ("id" for customers themselves); NULL: external principals see every row */
    const char *scope_col;
    /* a technician (without other staff roles) sees only rows assigned to them */
    const char *assignee_col;
    const struct list_view *views; /* terminated by {NULL} */
    const char *label_col;         /* the name shown by expand= (default "name") */
    /* the name expand= shows customer and dealer accounts (e.g. a display name, not a
     * login); NULL: references to this entity are not expanded for them */
    const char *ext_label_col;
    const char *default_sort;
    bool search; /* has a `search` column and full-text index */
    /* external principals search the customer-visible text instead: columns search_ext and
     * search_ext_bi, indexes <table>_ext_fts and <table>_ext_bi (issue 10 item 5) */
    bool search_external;
    /* cross-field validation and derived columns, inside the write transaction */
    enum sh_code (*before_write)(struct ent_write *w, struct sh_err *e);
    /* extra text for the q= search index (names of referenced records) */
    const char *(*search_extra)(struct ent_write *w);
    /* after a create or update, inside the transaction (e.g. cascade) */
    enum sh_code (*after_write)(struct ent_write *w, struct sh_err *e);
};

/* The columns every entity has: id, created_at, updated_at, version (the ETag). */
#define COMMON_COLS                                                                                \
    {"id", F_ID, COL_READONLY | COL_SORT | COL_FILTER, 0, NULL, 0, 0, NULL},                       \
        {"created_at", F_TS, COL_READONLY | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},            \
        {"updated_at", F_TS, COL_READONLY | COL_SORT | COL_RANGE, 0, NULL, 0, 0, NULL},            \
    {                                                                                              \
        "version", F_INT, COL_READONLY, 0, NULL, 0, 0, NULL                                        \
    }
/* Number of entries of a column array. */
#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

int ent_colidx(const struct entity *ent, const char *name);
/* Generic handlers (route.ent says which entity). */
void ent_list(struct api_ctx *c);
void ent_get(struct api_ctx *c);
void ent_create(struct api_ctx *c);
void ent_update(struct api_ctx *c);
void ent_delete(struct api_ctx *c);
/* Child collections: /parents/{id}/children, scoped to the parent. */
void ent_list_child(struct api_ctx *c);

/* Validates (references, hooks), inserts and audits one record inside tx: the
 * create path shared by the API, the CSV import and the demo loader. c->req may
 * be NULL. *after_json (may be NULL) gets the stored record as JSON. */
SH_WUR enum sh_code ent_insert(struct api_ctx *c, struct db_tx *tx, const struct entity *ent,
                               struct fval *vals, int64_t *id, const char **after_json,
                               struct sh_err *e);
/* Renders row `row` of r as an object of ent (columns by name). */
void ent_render(struct jw *w, const struct entity *ent, const struct db_rows *r, int row);
/* The same for a caller: a customer or dealer account (external) gets no staff-only column. */
void ent_render_for(struct jw *w, const struct entity *ent, const struct db_rows *r, int row,
                    bool external);
/* The character-pair search text of text (base/bigram.h) in arena a. */
const char *pair_text(struct sh_arena *a, const char *text);
/* The same as JSON text in arena a (NULL if too large). */
char *ent_json(struct sh_arena *a, const struct entity *ent, const struct db_rows *r, int row);
/* Loads one row by id inside tx; SH_NOT_FOUND when absent. */
SH_WUR enum sh_code ent_load(struct db_tx *tx, struct sh_arena *a, const struct entity *ent,
                             int64_t id, struct db_rows *out, struct sh_err *e);

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
/* True when row `row` of r is inside the caller's data scope for ent. */
bool ent_row_in_scope(const struct api_ctx *c, const struct entity *ent, const struct db_rows *r,
                      int row);
void api_now(char ts[21]);
void api_today(char d[11]);

/* The application entry point for the HTTP server. */
void app_handle(struct http_req *r, void *app);
size_t app_max_body(const char *method, const char *path, void *app);

#endif
