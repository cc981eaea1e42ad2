/* SPDX-License-Identifier: MIT */
/* shouhou import customers|units|models FILE.csv: master data from a CSV file.
 *
 * The file (UTF-8 or GB18030) is read whole and split into records first, so a
 * malformed file is refused before the database is touched. The header names
 * the fields: field names (serial_no), their zh-CN or en labels from
 * web/i18n/<lang>.json (序列号, the same catalogue the export writes), or
 * --map 'header=field'. Each cell becomes the JSON type of its column and goes
 * through ent_parse_value(), then the row through uc_ent_insert() (references,
 * hooks, search text, audit row), all inside ONE db_write transaction:
 *
 *  - default: every row is tried so that every bad line is reported; any error
 *    rolls the whole transaction back (nothing written, exit 1);
 *  - --continue-on-error: bad rows are skipped, the good ones are committed.
 *    The db API has no per-row savepoint, so a row is only skipped for errors
 *    found before its INSERT runs (cell values, required fields, references,
 *    the entity's rules, duplicate keys checked with a SELECT first). A failure
 *    of the INSERT statement itself is treated as fatal and rolls back all;
 *  - --dry-run: the same work, then the transaction is rolled back on purpose.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "app/i18n.h"
#include "app/resources.h"
#include "base/csv.h"
#include "cli/cli.h"
#include "cli/common.h"

#define MAX_FILE  (256u << 20) /* bytes of CSV read */
#define MAX_SHOWN 200          /* error lines printed before summarising */

enum pseudo { P_NONE, P_MODEL_CODE, P_CUSTOMER_CODE };

/* What one CSV column feeds. */
struct imp_col {
    const char *header;
    int col;            /* entity column, -1 for pseudo or ignored */
    enum pseudo pseudo; /* units: a code resolved to model_id / customer_id */
    bool ignored;       /* read-only columns (as written by the export) and blank headers */
};

struct map_pair {
    const char *header, *field;
};

struct imp {
    const struct entity *ent;
    const char *what; /* customers|units|models */
    struct app app;
    struct sh_arena a; /* the file, the records, the header */
    struct csv_row *rows;
    int nrows;
    struct imp_col *cols;
    int ncols;
    struct map_pair *map;
    int nmap;
    bool dry_run, keep_going, progress;
    /* results */
    int imported, failed, shown;
    bool dry_rolled_back;
};

/* ---- header mapping ---- */

static const char *trim(struct sh_arena *a, const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return sh_arena_strndup(a, s, n);
}

static bool has_pseudo(const struct imp *x)
{
    return x->ent == &ent_units;
}

/* Resolves a field name (not a label) to a column or pseudo column. */
static bool field_by_name(const struct imp *x, const char *name, int *col, enum pseudo *p)
{
    *col = -1;
    *p = P_NONE;
    if (has_pseudo(x) && !strcasecmp(name, "model_code")) {
        *p = P_MODEL_CODE;
        return true;
    }
    if (has_pseudo(x) && !strcasecmp(name, "customer_code")) {
        *p = P_CUSTOMER_CODE;
        return true;
    }
    for (int i = 0; i < x->ent->ncols; i++)
        if (!strcasecmp(x->ent->cols[i].name, name)) {
            *col = i;
            return true;
        }
    return false;
}

/* Does the catalogue label of key (zh-CN or en) equal header? */
static bool label_is(struct imp *x, const char *key, const char *header)
{
    static const char *const langs[] = {"zh-CN", "en"};
    for (int l = 0; l < 2; l++) {
        const char *v = i18n_label(&x->app, langs[l], key, NULL);
        if (v && !strcasecmp(v, header))
            return true;
    }
    return false;
}

/* Resolves a header through the catalogues: field.<entity>.<col> first, then field.<col>. */
static bool field_by_label(struct imp *x, const char *header, int *col, enum pseudo *p)
{
    static const char *const pseudo_names[] = {"model_code", "customer_code"};
    char key[160];
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < x->ent->ncols; i++) {
            if (pass == 0)
                snprintf(key, sizeof(key), "field.%s.%s", x->ent->name, x->ent->cols[i].name);
            else
                snprintf(key, sizeof(key), "field.%s", x->ent->cols[i].name);
            if (label_is(x, key, header)) {
                *col = i;
                *p = P_NONE;
                return true;
            }
        }
        for (int k = 0; has_pseudo(x) && k < 2; k++) {
            if (pass == 0)
                snprintf(key, sizeof(key), "field.%s.%s", x->ent->name, pseudo_names[k]);
            else
                snprintf(key, sizeof(key), "field.%s", pseudo_names[k]);
            if (label_is(x, key, header)) {
                *col = -1;
                *p = k == 0 ? P_MODEL_CODE : P_CUSTOMER_CODE;
                return true;
            }
        }
    }
    return false;
}

static const char *target_name(const struct imp *x, const struct imp_col *c)
{
    return c->pseudo == P_MODEL_CODE      ? "model_code"
           : c->pseudo == P_CUSTOMER_CODE ? "customer_code"
                                          : x->ent->cols[c->col].name;
}

/* Maps the header row; prints and returns false on an unusable header. */
static bool map_header(struct imp *x, const struct csv_row *h)
{
    x->ncols = h->nfields;
    x->cols = sh_arena_alloc(&x->a, sizeof(struct imp_col) * (size_t)h->nfields);
    bool ok = true;
    for (int j = 0; j < h->nfields; j++) {
        struct imp_col *c = &x->cols[j];
        c->header = trim(&x->a, h->fields[j]);
        c->col = -1;
        if (!*c->header) {
            c->ignored = true;
            continue;
        }
        const char *field = NULL;
        for (int m = 0; m < x->nmap; m++)
            if (!strcmp(x->map[m].header, c->header))
                field = x->map[m].field;
        bool found = field ? field_by_name(x, field, &c->col, &c->pseudo)
                           : field_by_name(x, c->header, &c->col, &c->pseudo) ||
                                 field_by_label(x, c->header, &c->col, &c->pseudo);
        if (!found) {
            fprintf(stderr, "line %d: column '%s' is not a field of %s%s\n", h->line, c->header,
                    x->what, field ? "" : " (name it with --map 'header=field')");
            ok = false;
            continue;
        }
        if (c->col >= 0 && (x->ent->cols[c->col].flags & (COL_READONLY | COL_INTERNAL))) {
            fprintf(stderr, "note: column '%s' (%s) is computed by the system and ignored\n",
                    c->header, x->ent->cols[c->col].name);
            c->ignored = true;
            continue;
        }
        for (int k = 0; k < j; k++)
            if (!x->cols[k].ignored && x->cols[k].col == c->col && x->cols[k].pseudo == c->pseudo) {
                fprintf(stderr, "line %d: columns '%s' and '%s' both give '%s'\n", h->line,
                        x->cols[k].header, c->header, target_name(x, c));
                ok = false;
            }
    }
    /* a code and an id for the same reference would contradict each other */
    for (int j = 0; ok && j < x->ncols; j++) {
        if (x->cols[j].ignored || x->cols[j].pseudo == P_NONE)
            continue;
        const char *idname = x->cols[j].pseudo == P_MODEL_CODE ? "model_id" : "customer_id";
        for (int k = 0; k < x->ncols; k++)
            if (!x->cols[k].ignored && x->cols[k].col >= 0 &&
                !strcmp(x->ent->cols[x->cols[k].col].name, idname)) {
                fprintf(stderr, "line %d: give '%s' or '%s', not both\n", h->line,
                        target_name(x, &x->cols[j]), idname);
                ok = false;
            }
    }
    return ok;
}

/* ---- cells ---- */

static bool parse_int(const char *s, int64_t *out)
{
    char *end;
    if (!*s)
        return false;
    long long v = strtoll(s, &end, 10);
    if (*end)
        return false;
    *out = v;
    return true;
}

static int parse_bool(const char *s)
{
    static const char *const yes[] = {"是", "true", "1", "yes", "y", "t", "真", "√", NULL};
    static const char *const no[] = {"否", "false", "0", "no", "n", "f", "假", "×", NULL};
    for (int i = 0; yes[i]; i++)
        if (!strcasecmp(s, yes[i]))
            return 1;
    for (int i = 0; no[i]; i++)
        if (!strcasecmp(s, no[i]))
            return 0;
    return -1;
}

/* 2024/3/5, 2024.3.5, 2024-3-5 (and a trailing " 00:00:00" from Excel) → 2024-03-05. */
static const char *norm_date(struct sh_arena *a, const char *s)
{
    int y, m, d, n = 0;
    char s1, s2;
    if (sscanf(s, "%4d%c%2d%c%2d%n", &y, &s1, &m, &s2, &d, &n) == 5 && s1 == s2 &&
        (s1 == '-' || s1 == '/' || s1 == '.') &&
        (s[n] == '\0' || !strcmp(s + n, " 00:00:00") || !strcmp(s + n, " 0:00")))
        return sh_arena_printf(a, "%04d-%02d-%02d", y, m, d);
    return s;
}

/* An enum cell may hold the value or its label (公司 → company). */
static const char *enum_value(struct imp *x, const struct col *col, const char *s)
{
    char key[160];
    for (const char *const *v = col->enums; v && *v; v++) {
        if (!strcmp(*v, s))
            return s;
        snprintf(key, sizeof(key), "enum.%s.%s", col->name, *v);
        if (label_is(x, key, s))
            return *v;
    }
    return s;
}

/* Converts a (trimmed, non-empty) cell to the JSON type of col; NULL when the
 * text cannot be represented (the caller reports). */
static json_t *cell_json(struct imp *x, struct sh_arena *a, const struct col *col, const char *raw,
                         const char *s, struct sh_err *e)
{
    int64_t i;
    switch (col->kind) {
    case F_TEXT:
        return json_string(raw);
    case F_STR:
    case F_TS:
        return json_string(s);
    case F_ENUM:
        return json_string(enum_value(x, col, s));
    case F_DATE:
        return json_string(norm_date(a, s));
    case F_INT:
    case F_ID:
    case F_MONEY:
        return parse_int(s, &i) ? json_integer(i) : json_string(s);
    case F_BOOL: {
        int b = parse_bool(s);
        if (b < 0) {
            sh_err_field(e, SH_INVALID, col->name, "'%s' must be 是/否, true/false or 1/0",
                         col->name);
            return NULL;
        }
        return json_boolean(b);
    }
    case F_REAL: {
        char *end;
        double r = strtod(s, &end);
        return *end ? json_string(s) : json_real(r);
    }
    }
    return json_string(s);
}

static enum sh_code set_json(struct sh_arena *a, const struct col *col, json_t *v, struct fval *out,
                             struct sh_err *e)
{
    if (!v)
        return e->code ? e->code : sh_err_set(e, SH_INTERNAL, "out of memory");
    enum sh_code rc = ent_parse_value(a, col, v, out, e);
    json_decref(v);
    return rc;
}

/* Looks up the id of a record by its code; SH_INVALID naming field when absent. */
static enum sh_code code_to_id(const struct uc *u, const struct entity *ent, const char *code,
                               const char *field, const char *what, int64_t *id, struct sh_err *e)
{
    enum sh_code rc = uc_ent_find(u, ent, "code", code, id, e);
    if (rc == SH_NOT_FOUND)
        return sh_err_field(e, SH_INVALID, field, "no %s with code '%s'", what, code);
    return rc;
}

/* True when a record with these values exists already (the INSERT would fail). */
static enum sh_code exists(const struct uc *u, const struct entity *ent, const char *const *cols,
                           const char *const *values, int n, bool *yes, struct sh_err *e)
{
    int64_t id;
    enum sh_code rc = uc_ent_find_by(u, ent, cols, values, n, &id, e);
    *yes = rc == SH_OK;
    if (rc == SH_NOT_FOUND) {
        sh_err_clear(e);
        rc = SH_OK;
    }
    return rc;
}

/* Builds vals of one record and checks what an INSERT could still refuse. */
static enum sh_code row_vals(struct imp *x, const struct uc *u, const struct csv_row *row,
                             struct fval *vals, struct sh_err *e)
{
    const struct entity *ent = x->ent;
    struct sh_arena *a = u->a;
    enum sh_code rc;
    if (row->nfields > x->ncols)
        return sh_err_set(e, SH_INVALID, "%d fields, but the header has %d", row->nfields,
                          x->ncols);
    for (int j = 0; j < row->nfields; j++) {
        const struct imp_col *c = &x->cols[j];
        if (c->ignored)
            continue;
        const char *s = trim(a, row->fields[j]);
        if (!*s)
            continue; /* an empty cell is an absent field */
        if (c->pseudo != P_NONE) {
            bool m = c->pseudo == P_MODEL_CODE;
            int64_t id = 0;
            rc = code_to_id(u, m ? &ent_models : &ent_customers, s,
                            m ? "model_code" : "customer_code", m ? "product model" : "customer",
                            &id, e);
            if (rc)
                return rc;
            int ci = ent_colidx(ent, m ? "model_id" : "customer_id");
            if ((rc = set_json(a, &ent->cols[ci], json_integer(id), &vals[ci], e)))
                return rc;
            continue;
        }
        const struct col *col = &ent->cols[c->col];
        if ((rc = set_json(a, col, cell_json(x, a, col, row->fields[j], s, e), &vals[c->col], e)))
            return rc;
    }
    for (int i = 0; i < ent->ncols; i++)
        if ((ent->cols[i].flags & COL_REQUIRED) && !(ent->cols[i].flags & COL_READONLY) &&
            (!vals[i].present || vals[i].is_null))
            return sh_err_field(e, SH_INVALID, ent->cols[i].name, "'%s' is required",
                                ent->cols[i].name);
    /* duplicate keys: checked here so that the INSERT itself does not fail */
    bool dup = false;
    if (ent == &ent_units) {
        int si = ent_colidx(ent, "serial_no"), mi = ent_colidx(ent, "model_id");
        const char *const cols[] = {"model_id", "serial_no"};
        const char *const values[] = {vals[mi].text, vals[si].text};
        rc = exists(u, ent, cols, values, 2, &dup, e);
        if (!rc && dup)
            rc = sh_err_field(e, SH_CONFLICT, "serial_no",
                              "serial number '%s' of this model exists already", vals[si].text);
    } else {
        int ci = ent_colidx(ent, "code");
        if (vals[ci].present && !vals[ci].is_null) {
            const char *const code = "code";
            rc = exists(u, ent, &code, &vals[ci].text, 1, &dup, e);
            if (!rc && dup)
                rc =
                    sh_err_field(e, SH_CONFLICT, "code", "code '%s' exists already", vals[ci].text);
        }
    }
    return rc;
}

/* ---- the transaction ---- */

static void progress(struct imp *x, int done, bool force)
{
    static time_t last;
    if (!x->progress)
        return;
    time_t now = time(NULL);
    if (!force && now == last && done % 500)
        return;
    last = now;
    int pct = x->nrows ? (int)((int64_t)done * 100 / x->nrows) : 100;
    char bar[41];
    int fill = pct * 40 / 100;
    for (int i = 0; i < 40; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[40] = '\0';
    fprintf(stderr, "\r[%s] %3d%% %d/%d", bar, pct, done, x->nrows);
    if (force)
        fputs("\n", stderr);
    fflush(stderr);
}

static void report(struct imp *x, int line, const struct sh_err *e)
{
    x->failed++;
    if (++x->shown > MAX_SHOWN)
        return;
    if (x->progress)
        fputs("\r\033[K", stderr);
    if (e->field[0])
        fprintf(stderr, "line %d: %s: %s\n", line, e->field, e->msg);
    else
        fprintf(stderr, "line %d: %s\n", line, e->msg);
}

static bool row_error(enum sh_code c)
{
    return c == SH_INVALID || c == SH_CONFLICT || c == SH_UNPROCESSABLE || c == SH_NOT_FOUND;
}

static enum sh_code import_run(struct db_tx *tx, void *arg, struct sh_err *e)
{
    struct imp *x = arg;
    x->imported = x->failed = x->shown = 0;
    struct fval *vals = malloc(sizeof(struct fval) * (size_t)x->ent->ncols);
    if (!vals)
        return sh_err_set(e, SH_INTERNAL, "out of memory");
    enum sh_code rc = SH_OK;
    for (int r = 0; r < x->nrows; r++) {
        struct sh_arena ra;
        sh_arena_init(&ra, 0);
        const struct uc u = cli_uc(tx, &ra, &x->app);
        memset(vals, 0, sizeof(struct fval) * (size_t)x->ent->ncols);
        struct sh_err re;
        sh_err_clear(&re);
        int64_t id;
        rc = row_vals(x, &u, &x->rows[r], vals, &re);
        if (!rc)
            rc = uc_ent_insert(&u, x->ent, vals, &id, NULL, &re);
        sh_arena_release(&ra);
        if (rc && !row_error(rc)) {
            /* the database refused: the transaction cannot go on */
            sh_err_set(e, rc, "line %d: %s", x->rows[r].line, re.msg);
            break;
        }
        if (rc)
            report(x, x->rows[r].line, &re);
        else
            x->imported++;
        rc = SH_OK;
        progress(x, r + 1, false);
    }
    free(vals);
    progress(x, x->nrows, true);
    if (rc)
        return rc;
    if (x->failed && !x->keep_going)
        return sh_err_set(e, SH_INVALID, "%d of %d rows have errors", x->failed, x->nrows);
    if (x->dry_run) {
        x->dry_rolled_back = true;
        return sh_err_set(e, SH_UNPROCESSABLE, "dry run");
    }
    return SH_OK;
}

/* ---- command line ---- */

static const char usage[] =
    "usage: shouhou import customers|units|models FILE.csv [--db URL] [--config FILE]\n"
    "           [--dry-run] [--encoding utf-8|gb18030|auto] [--map 'header=field,...']\n"
    "           [--continue-on-error]\n"
    "Headers are field names (serial_no), their Chinese or English labels (序列号), or\n"
    "mapped with --map. Units also take model_code (型号) and customer_code (客户编号).\n"
    "Empty cells are absent fields; booleans are 是/否, true/false or 1/0.\n"
    "All rows are written in one transaction: any error writes nothing, unless\n"
    "--continue-on-error, which skips the bad rows. FILE '-' reads standard input.\n";

static bool parse_map(struct imp *x, const char *spec)
{
    char *s = sh_arena_strdup(&x->a, spec);
    int n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    x->map = sh_arena_alloc(&x->a, sizeof(struct map_pair) * (size_t)n);
    x->nmap = 0;
    for (char *tok = s, *next; tok; tok = next) {
        next = strchr(tok, ',');
        if (next)
            *next++ = '\0';
        char *eq = strchr(tok, '=');
        if (!eq) {
            if (!*trim(&x->a, tok))
                continue;
            fprintf(stderr, "shouhou: --map: '%s' is not header=field\n", tok);
            return false;
        }
        *eq = '\0';
        struct map_pair *m = &x->map[x->nmap++];
        m->header = trim(&x->a, tok);
        m->field = trim(&x->a, eq + 1);
        int col;
        enum pseudo p;
        if (!field_by_name(x, m->field, &col, &p)) {
            fprintf(stderr, "shouhou: --map: '%s' is not a field of %s\n", m->field, x->what);
            return false;
        }
    }
    return true;
}

static bool read_all(const char *path, char **buf, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        perror(path);
        return false;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    bool ok = b != NULL;
    while (ok) {
        if (n == cap) {
            if (cap >= MAX_FILE) {
                fprintf(stderr, "shouhou: %s is larger than %u MiB\n", path, MAX_FILE >> 20);
                ok = false;
                break;
            }
            char *nb = realloc(b, cap *= 2);
            if (!nb) {
                ok = false;
                break;
            }
            b = nb;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                perror(path);
                ok = false;
            }
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    if (!ok) {
        free(b);
        return false;
    }
    *buf = b;
    *len = n;
    return true;
}

/* The catalogues live in web_root/i18n; a build tree falls back to the sources. */
static void pick_web_root(struct imp *x, const struct sh_config *cfg)
{
    char path[1100];
    snprintf(path, sizeof(path), "%s/i18n/zh-CN.json", cfg->web_root);
    x->app.web_root =
        access(path, R_OK) == 0 ? sh_arena_strdup(&x->a, cfg->web_root) : SH_SOURCE_DIR "/web";
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},  {"config", required_argument, NULL, 'c'},
        {"dry-run", no_argument, NULL, 'n'},   {"encoding", required_argument, NULL, 'E'},
        {"map", required_argument, NULL, 'm'}, {"continue-on-error", no_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0},
    };
    const char *db_url = NULL, *config = NULL, *encoding = "auto", *map = NULL;
    struct imp x = {0};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            db_url = optarg;
            break;
        case 'c':
            config = optarg;
            break;
        case 'n':
            x.dry_run = true;
            break;
        case 'E':
            encoding = optarg;
            break;
        case 'm':
            map = optarg;
            break;
        case 'k':
            x.keep_going = true;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (argc - optind != 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *what = argv[optind], *file = argv[optind + 1];
    if (!strcmp(what, "customers"))
        x.ent = &ent_customers;
    else if (!strcmp(what, "units"))
        x.ent = &ent_units;
    else if (!strcmp(what, "models"))
        x.ent = &ent_models;
    else {
        fprintf(stderr, "shouhou: cannot import '%s' (customers, units or models)\n", what);
        fputs(usage, stderr);
        return 2;
    }
    if (strcmp(encoding, "auto") && strcasecmp(encoding, "utf-8") && strcasecmp(encoding, "utf8") &&
        strcasecmp(encoding, "gb18030")) {
        fprintf(stderr, "shouhou: --encoding must be utf-8, gb18030 or auto\n");
        return 2;
    }
    x.what = what;
    sh_arena_init(&x.a, 0);
    int ret = 1;
    char *raw = NULL, *text = NULL;
    struct db *db = NULL;
    struct sh_err e;
    sh_err_clear(&e);
    if (map && !parse_map(&x, map)) {
        ret = 2;
        goto out;
    }
    struct sh_config cfg;
    ret = CLI_EXIT_CONFIG;
    if (!cli_config(config, &cfg))
        goto out;
    if (db_url && config_set(&cfg, "db", db_url, &e)) {
        fprintf(stderr, "shouhou: %s\n", e.msg);
        goto out;
    }
    ret = 1;
    pick_web_root(&x, &cfg);

    /* read, convert and split the whole file before touching the database */
    size_t rawlen, len;
    const char *enc;
    if (!read_all(file, &raw, &rawlen))
        goto out;
    if (csv_to_utf8(raw, rawlen, encoding, &text, &len, &enc, &e)) {
        fprintf(stderr, "shouhou: %s: %s\n", file, e.msg);
        goto out;
    }
    struct csv rd;
    csv_init(&rd, text, len);
    int cap = 1024;
    x.rows = malloc(sizeof(struct csv_row) * (size_t)cap);
    struct csv_row header;
    bool done;
    if (!x.rows || csv_next(&rd, &x.a, &header, &done, &e)) {
        fprintf(stderr, "shouhou: %s: %s\n", file, x.rows ? e.msg : "out of memory");
        goto out;
    }
    if (done) {
        fprintf(stderr, "shouhou: %s: the file is empty (a header row is needed)\n", file);
        goto out;
    }
    for (;;) {
        if (x.nrows == cap) {
            struct csv_row *nr = realloc(x.rows, sizeof(struct csv_row) * (size_t)(cap *= 2));
            if (!nr) {
                fprintf(stderr, "shouhou: out of memory\n");
                goto out;
            }
            x.rows = nr;
        }
        if (csv_next(&rd, &x.a, &x.rows[x.nrows], &done, &e)) {
            fprintf(stderr, "shouhou: %s: %s (nothing written)\n", file, e.msg);
            goto out;
        }
        if (done)
            break;
        x.nrows++;
    }
    if (!map_header(&x, &header)) {
        fprintf(stderr, "import of %s refused: the header does not match; nothing written\n", what);
        goto out;
    }
    if (!cli_open_db(&cfg, &db))
        goto out;
    x.app.db = db;
    x.progress = isatty(STDERR_FILENO) && x.nrows >= 200;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    enum sh_code rc = db_write(db, import_run, &x, &e);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (x.shown > MAX_SHOWN)
        fprintf(stderr, "… and %d more errors\n", x.shown - MAX_SHOWN);
    if (x.dry_rolled_back) {
        printf("dry run: %d of %d %s rows valid (%s, %s)%s; nothing written\n", x.imported, x.nrows,
               what, file, enc,
               x.failed ? sh_arena_printf(&x.a, ", %d with errors", x.failed) : "");
        ret = x.failed ? 1 : 0;
    } else if (rc) {
        fprintf(stderr, "import of %s failed: %s; nothing written\n", what, e.msg);
        ret = 1;
    } else {
        printf("imported %d %s from %s (%s) in %.2f s%s\n", x.imported, what, file, enc, secs,
               x.failed ? sh_arena_printf(&x.a, "; %d bad rows skipped", x.failed) : "");
        ret = 0;
    }
out:
    db_close(db);
    free(x.rows);
    free(text);
    free(raw);
    sh_arena_release(&x.a);
    return ret;
}
