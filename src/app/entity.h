/* SPDX-License-Identifier: MIT */
/* The generic entity engine of the application layer. An entity is declared once
 * (struct entity: its table, its columns as struct col with types, limits, enums and
 * flags, and its hooks); the use cases below list (filters, named views, sort, cursor
 * paging with a total, q= search, expand=, exports), get, create, update (with the
 * version an If-Match names) and delete any declared entity, each write with its audit
 * row, inside the caller's transaction. The declarations are in app/resources.c (master
 * data), app/ticket_entities.c and app/technician_entities.c; the API (api/entity*.c)
 * only parses the request, calls these and renders the answer, and the CSV import and
 * the demo loader create records through the same uc_ent_insert. */
#ifndef SH_APP_ENTITY_H
#define SH_APP_ENTITY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/uc.h"
#include "base/jw.h"
#include "store/sql_build.h"

struct entity;

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
    COL_PAST = 1 << 11,   /* date: today (the company's calendar day) or before */
    /* a phone: 400 invalid_format on write unless phone_any_valid, and its COL_FILTER matches
     * the same number however it is typed (phone_cn_key) */
    COL_PHONE = 1 << 12,
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

/* What a hook sees of one write. */
struct ent_write {
    const struct uc *u; /* the transaction (u->tx), arena, principal and time of the write */
    const struct entity *ent;
    struct fval *vals; /* ncols, the merged new state (create: input; update: old+input) */
    const char **old;  /* update: old cell text per column (NULL on create) */
    bool creating;
    int64_t id; /* update: the id; create: set after insert */
    /* a before_write hook that read the search_extra text with its own facts keeps it here
     * (has_search_names), so search_extra does not read it again */
    const char *search_names;
    bool has_search_names;
    /* the row of the statement that checked the references, with the columns the entity's
     * write_facts added (NULL: none was run) */
    const struct db_rows *facts;
};

/* A named list filter, e.g. queue=mine: `where` is SQL over alias t in which
 * {me} and {dept} stand for the caller's user and department ids, {now} for the time of the
 * use case as stored text ("YYYY-MM-DDTHH:MM:SSZ"). */
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
    /* ... and only the rows for which this SQL over alias t holds (e.g. a payment the customer
     * made, not one of the dealer's on the same charge): lists, counts, exports and gets;
     * ent_row_visible leaves it to the database. NULL: none */
    const char *ext_scope;
    /* a technician (without other staff roles) sees only rows assigned to them */
    const char *assignee_col;
    /* ... or only rows for which this SQL over alias t holds, {me} standing for their user id
     * (WO_CREW_SCOPE: records of the work orders they lead or help on): lists, counts,
     * exports, gets, uc_ent_visible, updates and deletes answer as if the others did not
     * exist (an update or delete: 404 before any check of the write). What a create or an
     * update writes is checked by the entity's own hook (before_write). NULL: none */
    const char *tech_scope;
    /* staff holding none of the roles own_all see only rows where own_col (or own_col2) is
     * their user id: a suggestion its author and addressee, a corrective action its owner */
    const char *own_col, *own_col2;
    unsigned own_all;
    /* staff (not external accounts) holding none of the roles staff_all see only rows for
     * which this SQL over alias t holds (a misconduct complaint: the heads only, R-164):
     * lists, counts, exports, q=, gets, uc_ent_visible, updates and deletes answer as if the
     * others did not exist. NULL: none */
    const char *staff_scope;
    unsigned staff_all;
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
    /* PostgreSQL q= in id order walks the newest ids before the index (entity_list.c):
     * for a large table searched newest first (tickets) */
    bool search_walk;
    /* cross-field validation and derived columns, inside the write transaction */
    enum sh_code (*before_write)(struct ent_write *w, struct sh_err *e);
    /* adds ", <scalar subquery> AS <name>"s to the statement that checks a write's references
     * (its parameters through qparam): what before_write needs, read with the check (w->facts) */
    void (*write_facts)(const struct ent_write *w, struct q *q);
    /* extra text for the q= search index (names of referenced records) */
    const char *(*search_extra)(struct ent_write *w);
    /* after a create or update, inside the transaction (e.g. cascade) */
    enum sh_code (*after_write)(struct ent_write *w, struct sh_err *e);
    /* before a delete, inside the transaction, with the stored row (e.g. refuse a record that
     * another one still depends on without a foreign key); NULL: none */
    enum sh_code (*before_delete)(const struct uc *u, const struct db_rows *old, struct sh_err *e);
    /* after_write changes nothing on a create: the INSERT's RETURNING row is the record
     * (no second read of it) */
    bool after_write_skips_create;
    /* a member the API's reads (a list's page, a get; not an export, not a write's answer)
     * add to each record after its columns: read_extra sets out[i] to a JSON text (NULL:
     * null) for each of the n rows of r, inside the read's transaction and for its caller
     * (u->who), e.g. an approval's subject. NULL: none */
    const char *extra_key;
    enum sh_code (*read_extra)(const struct uc *u, const struct db_rows *r, int n, const char **out,
                               struct sh_err *e);
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

/* ---- declarations and values (app/entity.c, app/entity_value.c) ---- */
int ent_colidx(const struct entity *ent, const char *name);
/* For hooks: the text of column name in the write (NULL when absent, null or not a column). */
const char *ent_val(const struct ent_write *w, const char *name);
/* For hooks: the slot of column name (NULL when not a column). */
struct fval *ent_slot(struct ent_write *w, const char *name);
/* For update hooks: the write gives column name a value other than the stored one. */
bool ent_changed(const struct ent_write *w, const char *name);
/* For search_extra hooks: the names (label columns) of the records the write's reference
 * columns cols (NULL-terminated) point at, space-separated (NULL when none). */
const char *ent_ref_labels(struct ent_write *w, const char *const *cols);
/* Validates one JSON value against a column spec into its canonical text: wrong types,
 * over-long strings, unknown enum values, bad dates and numbers out of range are errors
 * naming the field, with a reason. */
SH_WUR enum sh_code ent_parse_value(struct sh_arena *a, const struct col *col, json_t *v,
                                    struct fval *out, struct sh_err *e);
/* Counts Unicode code points in valid UTF-8. */
size_t utf8_len(const char *s);
/* The first max characters of s (UTF-8, never cut inside a character), in a; s itself when
 * shorter; "" for NULL. */
const char *utf8_prefix(struct sh_arena *a, const char *s, size_t max);
/* The character-pair search text of text (base/bigram.h) in arena a. */
const char *pair_text(struct sh_arena *a, const char *text);

/* ---- rows ---- */
/* Renders row `row` of r as an object of ent (columns by name). */
void ent_render(struct jw *w, const struct entity *ent, const struct db_rows *r, int row);
/* The same for a caller: a customer or dealer account (external) gets no staff-only column. */
void ent_render_for(struct jw *w, const struct entity *ent, const struct db_rows *r, int row,
                    bool external);
/* ent_render_for with the entity's extra member (extra_key): extra[row] as JSON, null when
 * NULL; extra NULL: no member. */
void ent_render_extra(struct jw *w, const struct entity *ent, const struct db_rows *r, int row,
                      bool external, const char *const *extra);
/* The entity's read_extra over the first n rows of r: *out an array of n JSON texts, NULL
 * when the entity has none. */
SH_WUR enum sh_code uc_ent_read_extra(const struct uc *u, const struct entity *ent,
                                      const struct db_rows *r, int n, const char ***out,
                                      struct sh_err *e);
/* The same as JSON text in arena a (NULL if too large). */
char *ent_json(struct sh_arena *a, const struct entity *ent, const struct db_rows *r, int row);
/* Loads one row by id inside tx; SH_NOT_FOUND when absent. */
SH_WUR enum sh_code ent_load(struct db_tx *tx, struct sh_arena *a, const struct entity *ent,
                             int64_t id, struct db_rows *out, struct sh_err *e);

/* ---- use cases ---- */
/* One record as the caller may see it (404 outside their scope); expand: names of
 * referenced records ("customer,unit", "all"; NULL: none). */
SH_WUR enum sh_code uc_ent_get(const struct uc *u, const struct entity *ent, int64_t id,
                               const char *expand, struct db_rows *out, struct sh_err *e);
/* Validates (references, hooks), inserts and audits one record: the create path shared by
 * the API, the CSV import and the demo loader. *after_json (may be NULL) gets the stored
 * record as JSON. The hooks work on a copy of vals: run again, it starts from the same input. */
SH_WUR enum sh_code uc_ent_insert(const struct uc *u, const struct entity *ent,
                                  const struct fval *vals, int64_t *id, const char **after_json,
                                  struct sh_err *e);

struct ent_written {
    int64_t id;
    const char *json;    /* the record as stored */
    const char *version; /* its version (the ETag) */
};
/* uc_ent_insert for a caller: a customer or dealer account creates inside its own scope. */
SH_WUR enum sh_code uc_ent_create(const struct uc *u, const struct entity *ent, struct fval *vals,
                                  struct ent_written *out, struct sh_err *e);
/* Refuses what no caller may change in an update (an external caller's scope column);
 * uc_ent_update checks it too, callers may check it before the transaction. */
SH_WUR enum sh_code ent_update_allowed(const struct principal *who, const struct entity *ent,
                                       const struct fval *vals, struct sh_err *e);
/* Updates the present values of record id; if_match >= 0: only from that version (412,
 * reason stale, otherwise). vals is not changed (as uc_ent_insert). */
SH_WUR enum sh_code uc_ent_update(const struct uc *u, const struct entity *ent, int64_t id,
                                  int64_t if_match, const struct fval *vals,
                                  struct ent_written *out, struct sh_err *e);
/* Deletes record id (409, reason referenced, while other records refer to it). */
SH_WUR enum sh_code uc_ent_delete(const struct uc *u, const struct entity *ent, int64_t id,
                                  int64_t if_match, struct sh_err *e);
/* The id of a record whose columns cols[0..n) hold values[0..n) (SH_NOT_FOUND when none). */
SH_WUR enum sh_code uc_ent_find_by(const struct uc *u, const struct entity *ent,
                                   const char *const *cols, const char *const *values, int n,
                                   int64_t *id, struct sh_err *e);
/* The same for one column. */
SH_WUR enum sh_code uc_ent_find(const struct uc *u, const struct entity *ent, const char *col,
                                const char *value, int64_t *id, struct sh_err *e);
/* True when row `row` of r, a row in hand (the record just stored), is inside who's data
 * scope for ent: scope_where's conditions on the row; false when only the database can tell
 * (a tech_scope, an ext_scope), and the caller loads it with uc_ent_load_visible. */
bool ent_row_visible(const struct principal *who, const struct entity *ent, const struct db_rows *r,
                     int row);
/* Record id as the caller may read it: the columns of its table (no expansions) when it is in
 * the caller's data scope (customer, assignee, tech_scope, owner: the lists' and gets' own
 * condition, asked of the database); 404 otherwise. */
SH_WUR enum sh_code uc_ent_load_visible(const struct uc *u, const struct entity *ent, int64_t id,
                                        struct db_rows *out, struct sh_err *e);
/* The record exists and is in the caller's scope (404 otherwise). */
SH_WUR enum sh_code uc_ent_visible(const struct uc *u, const struct entity *ent, int64_t id,
                                   struct sh_err *e);

/* ---- lists (app/entity_list.c) ---- */
struct ent_param {
    const char *k, *v;
};

struct ent_list_in {
    long limit;  /* page size (checked by the caller) */
    bool export; /* every row, with the names of referenced records */
    const char *sort, *cursor, *q, *expand;
    /* the query string: column filters (col, col_from, col_to) and named views; the names
     * limit, cursor, sort, q, expand, format and lang are skipped */
    const struct ent_param *params;
    int nparams;
    /* a child list: only rows whose parent_col is parent_id (NULL: none) */
    const char *parent_col;
    int64_t parent_id;
};

struct ent_cursor {
    bool set;
    const char *val; /* NULL when the sort value was null */
    int64_t id;
};

/* A list validated and planned: the page query and the count query. */
struct ent_list {
    const struct entity *ent;
    long limit;
    bool export;
    const char *sname; /* the sort column */
    const struct col *scol;
    bool desc, by_id, snum;
    const char *sexpr; /* the SQL of the sort key */
    struct ent_cursor cur;
    const char *term; /* q= */
    struct q q, cq;
    bool capped;   /* cq counts at most ENT_TOTAL_CAP + 1 rows */
    int cap_param; /* when capped: the index in cq.p of that LIMIT */
    /* PostgreSQL q= in id order: wq walks the newest ENT_WALK_IDS ids without the search
     * index, then q (with the index) serves the rest of the page (entity_list.c) */
    bool walk;
    struct q wq;
};

/* The ids the first step of a PostgreSQL q= page reads in id order (see ent_list.walk). */
#define ENT_WALK_IDS 2000

/* PostgreSQL q= searches count at most this many matches: the total is then this number
 * with total_capped (the index gives the matches unordered; counting them all read every
 * matching row). A page in id order counts fewer (entity_list.c, rest_total). */
#define ENT_TOTAL_CAP 1000

struct ent_page {
    struct db_rows rows; /* the first `shown` rows are the page */
    int shown;
    int64_t total;
    bool total_capped;       /* more than `total` match (ENT_TOTAL_CAP) */
    bool total_estimated;    /* total is an estimate (PostgreSQL q=, a frequent term) */
    const char *next_cursor; /* NULL on the last page */
};

/* Validates in (unknown filters and sorts, bad values, cursors, q=, each with its field and
 * reason) and plans the queries for u's principal. u->tx is not used. Release the plan with
 * ent_list_release, also after an error. */
SH_WUR enum sh_code ent_list_plan(const struct uc *u, const struct entity *ent,
                                  const struct ent_list_in *in, struct ent_list *l,
                                  struct sh_err *e);
void ent_list_release(struct ent_list *l);
/* One page and the total. */
SH_WUR enum sh_code uc_ent_list(const struct uc *u, struct ent_list *l, struct ent_page *out,
                                struct sh_err *e);
/* Every row (at most ENT_EXPORT_MAX, 413 reason too_large beyond), in chunks handed to sink
 * (each chunk in an arena released once the sink has it). */
#define ENT_EXPORT_MAX 100000
SH_WUR enum sh_code uc_ent_export(const struct uc *u, struct ent_list *l,
                                  enum sh_code (*sink)(void *ctx, const struct db_rows *r,
                                                       struct sh_err *e),
                                  void *ctx, struct sh_err *e);

#endif
