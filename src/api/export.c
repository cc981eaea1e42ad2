/* SPDX-License-Identifier: MIT */
#include "api/export.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/csv.h"
#include "base/date.h"
#include "base/log.h"

const char *export_lang(struct api_ctx *c)
{
    const char *l = http_query(c->req, "lang");
    if (l)
        return !strcmp(l, "en") ? "en" : "zh-CN";
    const char *al = http_header(c->req, "Accept-Language");
    return al && !strncmp(al, "en", 2) ? "en" : "zh-CN";
}

/* The first of key1, key2 found in the catalogue, else fallback. */
static const char *label2(struct api_ctx *c, const char *lang, const char *key1, const char *key2,
                          const char *fallback)
{
    const char *l = i18n_label(c->app, lang, key1, NULL);
    return l ? l : i18n_label(c->app, lang, key2, fallback);
}

/* A field's own label: field.<entity>.<col>, else the shared field.<col>. A reference, which
 * the export shows by name, is headed field.<entity>.<col without _id> or the name of the
 * entity it refers to (客户, not 客户ID). */
static const char *field_label(struct api_ctx *c, const struct entity *ent, const struct col *col,
                               const char *lang)
{
    char k1[128], k2[128];
    if (col->kind == F_ID && col->ref) {
        size_t n = strlen(col->name);
        snprintf(k1, sizeof(k1), "field.%s.%.*s", ent->name,
                 (int)(n > 3 && !strcmp(col->name + n - 3, "_id") ? n - 3 : n), col->name);
        snprintf(k2, sizeof(k2), "entity.%s", col->ref->name);
        const char *l = label2(c, lang, k1, k2, NULL);
        if (l)
            return l;
    }
    snprintf(k1, sizeof(k1), "field.%s.%s", ent->name, col->name);
    snprintf(k2, sizeof(k2), "field.%s", col->name);
    return label2(c, lang, k1, k2, col->name);
}

struct export_sink {
    struct api_ctx *c;
    const struct entity *ent;
    const char *lang;
    bool xlsx;
    bool external; /* a customer or dealer account: no staff-only columns */
    char path[64];
    FILE *f;          /* csv */
    lxw_workbook *wb; /* xlsx */
    lxw_worksheet *ws;
    lxw_row_t row;
    struct sh_buf line;
    int *name_col; /* per column of ent: the <col>_name column of the rows, -1 */
};

static bool exported(const struct export_sink *s, const struct col *col)
{
    return !(col->flags & COL_INTERNAL) && strcmp(col->name, "version") &&
           !(s->external && (col->flags & COL_STAFF));
}

/* The text a cell shows: labels for enums and booleans, names for references, local
 * time for times; NULL for an empty cell. */
static const char *cell_text(struct export_sink *s, const struct db_rows *r, int row, int i,
                             char *buf, size_t n)
{
    const struct col *col = &s->ent->cols[i];
    const char *v = db_get(r, row, col->name);
    if (!v)
        return NULL;
    char k1[160], k2[160];
    switch (col->kind) {
    case F_ENUM:
        snprintf(k1, sizeof(k1), "enum.%s.%s.%s", s->ent->name, col->name, v);
        snprintf(k2, sizeof(k2), "enum.%s.%s", col->name, v);
        return label2(s->c, s->lang, k1, k2, v);
    case F_BOOL: {
        bool t = strcmp(v, "0") && strcmp(v, "f") && *v;
        return i18n_label(s->c->app, s->lang, t ? "enum.bool.true" : "enum.bool.false",
                          t ? "true" : "false");
    }
    case F_ID: {
        int k = s->name_col[i];
        const char *name = k >= 0 ? db_cell(r, row, k) : NULL;
        return name ? name : v;
    }
    case F_TS: {
        int64_t t;
        if (!sh_ts_parse(v, &t))
            return v;
        t += 8 * 3600; /* Asia/Shanghai, UTC+8 without DST */
        char iso[21];
        sh_ts_format(t, iso);
        snprintf(buf, n, "%.10s %.8s", iso, iso + 11);
        return buf;
    }
    default:
        return v;
    }
}

static enum sh_code csv_row(struct export_sink *s, const struct db_rows *r, int row)
{
    sh_buf_reset(&s->line);
    enum sh_code rc = SH_OK;
    bool first = true;
    for (int i = 0; i < s->ent->ncols && !rc; i++) {
        if (!exported(s, &s->ent->cols[i]))
            continue;
        char buf[32];
        const char *v = r ? cell_text(s, r, row, i, buf, sizeof(buf))
                          : field_label(s->c, s->ent, &s->ent->cols[i], s->lang);
        if (!first)
            rc = sh_buf_addc(&s->line, ',');
        first = false;
        if (!rc && v)
            rc = csv_write_cell(&s->line, v);
    }
    if (!rc)
        rc = sh_buf_adds(&s->line, "\r\n");
    if (!rc && fwrite(s->line.buf, 1, s->line.len, s->f) != s->line.len)
        rc = SH_STORE;
    return rc;
}

static void xlsx_row(struct export_sink *s, const struct db_rows *r, int row, lxw_format *fmt)
{
    lxw_col_t col = 0;
    for (int i = 0; i < s->ent->ncols; i++) {
        const struct col *cd = &s->ent->cols[i];
        if (!exported(s, cd))
            continue;
        char buf[32];
        const char *v =
            r ? cell_text(s, r, row, i, buf, sizeof(buf)) : field_label(s->c, s->ent, cd, s->lang);
        bool name = cd->kind == F_ID && r && s->name_col[i] >= 0 && db_cell(r, row, s->name_col[i]);
        if (!v) {
            /* empty */
        } else if (r && !name && (cd->kind == F_INT || cd->kind == F_ID || cd->kind == F_REAL)) {
            worksheet_write_number(s->ws, s->row, col, strtod(v, NULL), NULL);
        } else if (r && cd->kind == F_MONEY) {
            worksheet_write_number(s->ws, s->row, col, strtod(v, NULL) / 100.0, NULL);
        } else {
            struct sh_buf b = SH_BUF_INIT(1 << 20);
            const char *text = v;
            if (csv_formula_risk(v) && !sh_buf_addc(&b, '\'') && !sh_buf_adds(&b, v))
                text = b.buf;
            worksheet_write_string(s->ws, s->row, col, text, fmt);
            sh_buf_release(&b);
        }
        if (!r)
            worksheet_set_column(s->ws, col, col, 16, NULL);
        col++;
    }
    s->row++;
}

static enum sh_code sink_fail(struct export_sink *s, struct sh_err *e, const char *what)
{
    log_error("export %s: %s", s->ent->table, what);
    return sh_err_set(e, SH_INTERNAL, "export: %s", what);
}

enum sh_code export_begin(struct api_ctx *c, const struct entity *ent, const char *format,
                          struct export_sink **out, struct sh_err *e)
{
    struct export_sink *s = sh_arena_alloc(c->a, sizeof(*s));
    *out = s;
    s->c = c;
    s->ent = ent;
    s->lang = export_lang(c);
    s->xlsx = !strcmp(format, "xlsx");
    s->external = api_is_external(c);
    s->name_col = sh_arena_alloc(c->a, sizeof(int) * (size_t)ent->ncols);
    sh_buf_init(&s->line, 4u << 20);
    snprintf(s->path, sizeof(s->path), "/tmp/shouhou-export-XXXXXX");
    int fd = mkstemp(s->path);
    if (fd < 0)
        return sink_fail(s, e, "cannot create a temporary file");
    if (s->xlsx) {
        close(fd);
        char tmpdir[] = "/tmp";
        lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
        s->wb = workbook_new_opt(s->path, &opt);
        s->ws = s->wb ? workbook_add_worksheet(s->wb, NULL) : NULL;
        if (!s->ws)
            return sink_fail(s, e, "cannot create the workbook");
        lxw_format *bold = workbook_add_format(s->wb);
        format_set_bold(bold);
        xlsx_row(s, NULL, 0, bold);
        return SH_OK;
    }
    s->f = fdopen(fd, "w+b");
    if (!s->f) {
        close(fd);
        return sink_fail(s, e, "cannot open the temporary file");
    }
    if (fwrite("\xEF\xBB\xBF", 1, 3, s->f) != 3 || csv_row(s, NULL, 0)) /* BOM: Excel reads UTF-8 */
        return sink_fail(s, e, "cannot write the temporary file");
    return SH_OK;
}

enum sh_code export_add(struct export_sink *s, const struct db_rows *rows, struct sh_err *e)
{
    for (int i = 0; i < s->ent->ncols; i++) {
        const struct col *col = &s->ent->cols[i];
        s->name_col[i] = -1;
        if (col->kind == F_ID && col->ref) {
            size_t n = strlen(col->name);
            char name[80];
            snprintf(name, sizeof(name), "%.*s_name",
                     (int)(n > 3 && !strcmp(col->name + n - 3, "_id") ? n - 3 : n), col->name);
            s->name_col[i] = db_colidx(rows, name);
        }
    }
    for (int r = 0; r < rows->nrows; r++) {
        if (s->xlsx)
            xlsx_row(s, rows, r, NULL);
        else if (csv_row(s, rows, r))
            return sink_fail(s, e, "cannot write the temporary file");
    }
    return SH_OK;
}

static void reply_file(struct export_sink *s, int fd, const char *ext, const char *ctype)
{
    struct stat st;
    struct api_ctx *c = s->c;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        api_reply_error(c, SH_INTERNAL, NULL, "cannot read the export");
        return;
    }
    char d[21];
    api_today(d);
    http_add_header(
        c->req, "Content-Disposition",
        sh_arena_printf(c->a, "attachment; filename=\"%s-%s.%s\"", s->ent->table, d, ext));
    http_add_header(c->req, "Cache-Control", "no-store");
    c->req->status = 200;
    c->req->content_type = ctype;
    sh_buf_reset(&c->req->out);
    c->req->file_fd = fd;
    c->req->file_size = (uint64_t)st.st_size;
}

void export_end(struct export_sink *s, bool ok)
{
    int fd = -1;
    bool written = ok;
    if (s->xlsx) {
        if (s->wb && workbook_close(s->wb) != LXW_NO_ERROR)
            written = false;
        s->wb = NULL;
        if (written)
            fd = open(s->path, O_RDONLY);
    } else if (s->f) {
        if (written && fflush(s->f) == 0) {
            fd = dup(fileno(s->f));
            if (fd >= 0)
                lseek(fd, 0, SEEK_SET);
        }
        fclose(s->f);
        s->f = NULL;
    }
    if (s->path[0])
        unlink(s->path); /* the open descriptor keeps the data until the reply is sent */
    sh_buf_release(&s->line);
    if (!ok)
        return; /* the caller replies */
    if (s->xlsx)
        reply_file(s, fd, "xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    else
        reply_file(s, fd, "csv", "text/csv; charset=utf-8");
}
