/* SPDX-License-Identifier: MIT */
#include "api/export.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/log.h"

static pthread_mutex_t cat_mu = PTHREAD_MUTEX_INITIALIZER;
static json_t *catalogues[2]; /* zh-CN, en: loaded once, kept for the process */

const char *i18n_label(struct app *app, const char *lang, const char *key, const char *fallback)
{
    int li = lang && !strcmp(lang, "en") ? 1 : 0;
    pthread_mutex_lock(&cat_mu);
    if (!catalogues[li]) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/i18n/%s.json", app->web_root, li ? "en" : "zh-CN");
        json_error_t je;
        catalogues[li] = json_load_file(path, 0, &je);
        if (!catalogues[li]) {
            log_warn("cannot load catalogue %s: %s", path, je.text);
            catalogues[li] = json_object();
        }
    }
    json_t *v = json_object_get(catalogues[li], key);
    pthread_mutex_unlock(&cat_mu);
    return json_is_string(v) ? json_string_value(v) : fallback;
}

static const char *lang_of(struct api_ctx *c)
{
    const char *l = http_query(c->req, "lang");
    if (l)
        return l;
    const char *al = http_header(c->req, "Accept-Language");
    return al && !strncmp(al, "en", 2) ? "en" : "zh-CN";
}

static bool exported(const struct col *col)
{
    return !(col->flags & COL_INTERNAL) && strcmp(col->name, "version");
}

static const char *label(struct api_ctx *c, const struct entity *ent, const char *col,
                         const char *lang)
{
    char key[128];
    snprintf(key, sizeof(key), "field.%s.%s", ent->name, col);
    const char *l = i18n_label(c->app, lang, key, NULL);
    if (l)
        return l;
    snprintf(key, sizeof(key), "field.%s", col);
    return i18n_label(c->app, lang, key, col);
}

static enum sh_code csv_cell(struct sh_buf *b, const char *v)
{
    if (!v)
        return SH_OK;
    /* a leading = + - @ would be a formula in Excel: neutralise it */
    bool formula = v[0] == '=' || v[0] == '+' || v[0] == '@' ||
                   (v[0] == '-' && v[1] && (v[1] < '0' || v[1] > '9'));
    bool quote = formula || strpbrk(v, ",\"\r\n") != NULL;
    enum sh_code rc = SH_OK;
    if (quote)
        rc |= sh_buf_addc(b, '"');
    if (formula)
        rc |= sh_buf_addc(b, '\'');
    for (const char *p = v; *p && !rc; p++) {
        if (*p == '"')
            rc |= sh_buf_addc(b, '"');
        rc |= sh_buf_addc(b, *p);
    }
    if (quote)
        rc |= sh_buf_addc(b, '"');
    return rc ? SH_TOO_BIG : SH_OK;
}

static void disposition(struct api_ctx *c, const struct entity *ent, const char *ext)
{
    char d[21];
    api_today(d);
    http_add_header(c->req, "Content-Disposition",
                    sh_arena_printf(c->a, "attachment; filename=\"%s-%s.%s\"", ent->table, d, ext));
    http_add_header(c->req, "Cache-Control", "no-store");
}

static void export_csv(struct api_ctx *c, const struct entity *ent, const struct db_rows *rows,
                       const char *lang)
{
    struct sh_buf b = SH_BUF_INIT(64u << 20);
    enum sh_code rc = sh_buf_adds(&b, "\xEF\xBB\xBF"); /* BOM: Excel reads UTF-8 */
    bool first = true;
    for (int i = 0; i < ent->ncols && !rc; i++) {
        if (!exported(&ent->cols[i]))
            continue;
        if (!first)
            rc = sh_buf_addc(&b, ',');
        first = false;
        if (!rc)
            rc = csv_cell(&b, label(c, ent, ent->cols[i].name, lang));
    }
    if (!rc)
        rc = sh_buf_adds(&b, "\r\n");
    for (int r = 0; r < rows->nrows && !rc; r++) {
        first = true;
        for (int i = 0; i < ent->ncols && !rc; i++) {
            if (!exported(&ent->cols[i]))
                continue;
            if (!first)
                rc = sh_buf_addc(&b, ',');
            first = false;
            if (!rc)
                rc = csv_cell(&b, db_get(rows, r, ent->cols[i].name));
        }
        if (!rc)
            rc = sh_buf_adds(&b, "\r\n");
    }
    if (rc) {
        api_reply_error(c, SH_TOO_BIG, NULL, "export too large: narrow the filters");
    } else {
        disposition(c, ent, "csv");
        http_reply(c->req, 200, "text/csv; charset=utf-8", b.buf, b.len);
    }
    sh_buf_release(&b);
}

static void export_xlsx(struct api_ctx *c, const struct entity *ent, const struct db_rows *rows,
                        const char *lang)
{
    char path[] = "/tmp/shouhou-export-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        api_reply_error(c, SH_INTERNAL, NULL, "cannot create a temporary file");
        return;
    }
    close(fd);
    char tmpdir[] = "/tmp";
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = tmpdir};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, NULL) : NULL;
    if (!ws) {
        unlink(path);
        api_reply_error(c, SH_INTERNAL, NULL, "cannot create the workbook");
        return;
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_col_t col = 0;
    for (int i = 0; i < ent->ncols; i++) {
        if (!exported(&ent->cols[i]))
            continue;
        worksheet_write_string(ws, 0, col, label(c, ent, ent->cols[i].name, lang), bold);
        worksheet_set_column(ws, col, col, 16, NULL);
        col++;
    }
    for (int r = 0; r < rows->nrows; r++) {
        col = 0;
        for (int i = 0; i < ent->ncols; i++) {
            const struct col *cd = &ent->cols[i];
            if (!exported(cd))
                continue;
            const char *v = db_get(rows, r, cd->name);
            if (v) {
                if (cd->kind == F_INT || cd->kind == F_ID || cd->kind == F_REAL)
                    worksheet_write_number(ws, (lxw_row_t)(r + 1), col, strtod(v, NULL), NULL);
                else if (cd->kind == F_MONEY)
                    worksheet_write_number(ws, (lxw_row_t)(r + 1), col, strtod(v, NULL) / 100.0,
                                           NULL);
                else if (cd->kind == F_BOOL)
                    worksheet_write_boolean(ws, (lxw_row_t)(r + 1), col, strcmp(v, "0") != 0, NULL);
                else
                    worksheet_write_string(ws, (lxw_row_t)(r + 1), col, v, NULL);
            }
            col++;
        }
    }
    if (workbook_close(wb) != LXW_NO_ERROR) {
        unlink(path);
        api_reply_error(c, SH_INTERNAL, NULL, "cannot write the workbook");
        return;
    }
    FILE *f = fopen(path, "rb");
    unlink(path);
    if (!f) {
        api_reply_error(c, SH_INTERNAL, NULL, "cannot read the workbook");
        return;
    }
    struct sh_buf b = SH_BUF_INIT(128u << 20);
    char chunk[65536];
    size_t n;
    enum sh_code rc = SH_OK;
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = sh_buf_add(&b, chunk, n);
    fclose(f);
    if (rc) {
        api_reply_error(c, SH_TOO_BIG, NULL, "export too large: narrow the filters");
    } else {
        disposition(c, ent, "xlsx");
        http_reply(c->req, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   b.buf, b.len);
    }
    sh_buf_release(&b);
}

void export_rows(struct api_ctx *c, const struct entity *ent, const struct db_rows *rows,
                 const char *format)
{
    const char *lang = lang_of(c);
    if (!strcmp(format, "xlsx"))
        export_xlsx(c, ent, rows, lang);
    else
        export_csv(c, ent, rows, lang);
}
