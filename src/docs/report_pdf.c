/* SPDX-License-Identifier: MIT */
/* The service report PDF. One layout pass draws every page onto its own cairo recording
 * surface; when the pass is over the page count is known, and each page is replayed onto the
 * PDF surface with "page n of m" at its foot. Text is laid out by pango (line breaking of
 * Chinese and Latin text, font fallback) with one context per call: the default font map
 * is per thread, so concurrent requests do not share layout state. */
#include "docs/report_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "docs/doc_gate.h"
#include "docs/qr.h"

#define PAGE_W    595.28 /* A4 in points */
#define PAGE_H    841.89
#define MARGIN    42.52 /* 15 mm */
#define FOOT_H    22.0
#define BODY_W    (PAGE_W - 2 * MARGIN)
#define BOTTOM    (PAGE_H - MARGIN - FOOT_H)
#define PAD       3.5
#define QR_SIZE   72.0
#define MAX_PAGES 200
#define LABEL_W   78.0

struct rp {
    const struct rpdf_doc *d;
    PangoContext *ctx;
    PangoFontDescription *f_body, *f_label, *f_small, *f_title, *f_head;
    cairo_surface_t *pages[MAX_PAGES];
    int npages;
    cairo_t *cr;
    double y;
    enum sh_code rc;
    struct sh_err *e;
};

/* One weight only: every face the PDF uses costs a full read of its CFF table (about 16 MB
 * for Noto Sans CJK) when cairo embeds it, which doubled the render time with a bold face.
 * Headings stand out by size and by the grey of their cells instead. */
static PangoFontDescription *font(const char *family, double size)
{
    PangoFontDescription *f = pango_font_description_new();
    pango_font_description_set_family(f, family);
    pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
    return f;
}

static PangoLayout *layout(struct rp *r, const char *s, PangoFontDescription *f, double width)
{
    PangoLayout *l = pango_layout_new(r->ctx);
    pango_layout_set_font_description(l, f);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l, s ? s : "", -1);
    return l;
}

static double height_of(PangoLayout *l)
{
    int w, h;
    pango_layout_get_size(l, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void show(struct rp *r, PangoLayout *l, double x, double y)
{
    cairo_move_to(r->cr, x, y);
    pango_cairo_show_layout(r->cr, l);
}

/* Draws a text at (x, y) and returns its height. */
static double text_at(struct rp *r, const char *s, PangoFontDescription *f, double x, double y,
                      double width)
{
    PangoLayout *l = layout(r, s, f, width);
    show(r, l, x, y);
    double h = height_of(l);
    g_object_unref(l);
    return h;
}

static void draw_qr(struct rp *r, double x, double y)
{
    struct qr_matrix m;
    struct sh_err e;
    if (qr_matrix(r->d->qr_text, &m, &e))
        return; /* an over-long URL: the report goes out without its code */
    double mod = QR_SIZE / (m.width + 4);
    cairo_set_source_rgb(r->cr, 0, 0, 0);
    for (int yy = 0; yy < m.width; yy++)
        for (int xx = 0; xx < m.width; xx++) {
            int run = 0;
            while (xx + run < m.width && m.dark[yy * m.width + xx + run])
                run++;
            if (run) {
                cairo_rectangle(r->cr, x + (xx + 2) * mod, y + (yy + 2) * mod, run * mod, mod);
                xx += run - 1;
            }
        }
    cairo_fill(r->cr);
    qr_matrix_free(&m);
}

static void rule(struct rp *r, double y, double width)
{
    cairo_set_source_rgb(r->cr, 0, 0, 0);
    cairo_set_line_width(r->cr, width);
    cairo_move_to(r->cr, MARGIN, y);
    cairo_line_to(r->cr, PAGE_W - MARGIN, y);
    cairo_stroke(r->cr);
}

/* The first page opens with the company, the title, the subtitle and the QR code; the
 * following ones with one line naming the document. */
static void page_header(struct rp *r)
{
    const struct rpdf_doc *d = r->d;
    cairo_set_source_rgb(r->cr, 0, 0, 0);
    if (r->npages > 1) {
        char line[512];
        snprintf(line, sizeof(line), "%s  %s", d->title ? d->title : "",
                 d->subtitle ? d->subtitle : "");
        r->y += text_at(r, line, r->f_small, MARGIN, r->y, BODY_W) + 3;
        rule(r, r->y, 0.6);
        r->y += 8;
        return;
    }
    double textw = BODY_W - (d->qr_text ? QR_SIZE + 10 : 0), y = r->y;
    y += text_at(r, d->company, r->f_head, MARGIN, y, textw) + 4;
    y += text_at(r, d->title, r->f_title, MARGIN, y, textw) + 4;
    y += text_at(r, d->subtitle, r->f_body, MARGIN, y, textw);
    if (d->qr_text) {
        double qx = PAGE_W - MARGIN - QR_SIZE, qy = r->y - 6;
        draw_qr(r, qx, qy);
        double cy = qy + QR_SIZE;
        if (d->qr_caption) {
            PangoLayout *l = layout(r, d->qr_caption, r->f_small, QR_SIZE + 20);
            pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
            show(r, l, qx - 10, cy);
            cy += height_of(l);
            g_object_unref(l);
        }
        if (cy > y)
            y = cy;
    }
    r->y = y + 6;
    rule(r, r->y, 1.2);
    r->y += 10;
}

static bool new_page(struct rp *r)
{
    if (r->cr) {
        cairo_destroy(r->cr);
        r->cr = NULL;
    }
    if (r->npages == MAX_PAGES) {
        r->rc = sh_err_set(r->e, SH_TOO_BIG, "the report is longer than %d pages", MAX_PAGES);
        return false;
    }
    cairo_rectangle_t ext = {0, 0, PAGE_W, PAGE_H};
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
    r->pages[r->npages++] = s;
    r->cr = cairo_create(s);
    r->y = MARGIN;
    page_header(r);
    return true;
}

/* Room for h more points on this page, else a new page: false when no page can be added. */
static bool room(struct rp *r, double h)
{
    return r->y + h <= BOTTOM || new_page(r);
}

static void cell_box(struct rp *r, double x, double y, double w, double h, double grey)
{
    cairo_rectangle(r->cr, x, y, w, h);
    if (grey < 1) {
        cairo_set_source_rgb(r->cr, grey, grey, grey);
        cairo_fill_preserve(r->cr);
    }
    cairo_set_source_rgb(r->cr, 0.35, 0.35, 0.35);
    cairo_set_line_width(r->cr, 0.5);
    cairo_stroke(r->cr);
    cairo_set_source_rgb(r->cr, 0, 0, 0);
}

/* The fields, two pairs a row: label cell (grey) and value cell. */
static void draw_fields(struct rp *r, const struct rpdf_field *f, int n)
{
    double colw = BODY_W / 2, valw = colw - LABEL_W;
    for (int i = 0; i < n && !r->rc; i += 2) {
        PangoLayout *ls[2] = {0}, *vs[2] = {0};
        double h = 0;
        for (int k = 0; k < 2 && i + k < n; k++) {
            ls[k] = layout(r, f[i + k].label, r->f_label, LABEL_W - 2 * PAD);
            vs[k] = layout(r, f[i + k].value, r->f_body, valw - 2 * PAD);
            double hk = height_of(vs[k]) > height_of(ls[k]) ? height_of(vs[k]) : height_of(ls[k]);
            if (hk > h)
                h = hk;
        }
        h += 2 * PAD;
        if (room(r, h))
            for (int k = 0; k < 2; k++) {
                double x = MARGIN + k * colw;
                cell_box(r, x, r->y, LABEL_W, h, 0.92);
                cell_box(r, x + LABEL_W, r->y, valw, h, 1);
                if (ls[k]) {
                    show(r, ls[k], x + PAD, r->y + PAD);
                    show(r, vs[k], x + LABEL_W + PAD, r->y + PAD);
                }
            }
        r->y += h;
        for (int k = 0; k < 2; k++) {
            if (ls[k])
                g_object_unref(ls[k]);
            if (vs[k])
                g_object_unref(vs[k]);
        }
    }
    r->y += 10;
}

/* A paragraph is drawn line by line, so that a long one continues on the next page. */
static void draw_text(struct rp *r, const struct rpdf_text *t)
{
    if (!t->body || !*t->body)
        return;
    PangoLayout *hl = layout(r, t->title, r->f_head, BODY_W);
    PangoLayout *bl = layout(r, t->body, r->f_body, BODY_W - 8);
    PangoLayoutIter *it = pango_layout_get_iter(bl);
    PangoRectangle first;
    pango_layout_iter_get_line_extents(it, NULL, &first);
    if (room(r, height_of(hl) + 4 + (double)first.height / PANGO_SCALE)) {
        show(r, hl, MARGIN, r->y);
        r->y += height_of(hl) + 3;
        double top = r->y; /* the layout's y where this page's part starts */
        do {
            PangoRectangle ext;
            pango_layout_iter_get_line_extents(it, NULL, &ext);
            double ly = (double)ext.y / PANGO_SCALE, lh = (double)ext.height / PANGO_SCALE;
            if (r->y + lh > BOTTOM) {
                if (!new_page(r))
                    break;
                top = r->y - ly;
            }
            int base = pango_layout_iter_get_baseline(it);
            cairo_move_to(r->cr, MARGIN + 8, top + (double)base / PANGO_SCALE);
            pango_cairo_show_layout_line(r->cr, pango_layout_iter_get_line_readonly(it));
            r->y = top + ly + lh;
        } while (pango_layout_iter_next_line(it));
    }
    pango_layout_iter_free(it);
    g_object_unref(hl);
    g_object_unref(bl);
    r->y += 10;
}

struct trow {
    PangoLayout *c[RPDF_MAX_COLS];
    double h;
};

static void row_make(struct rp *r, const struct rpdf_table *t, const char *const *cells,
                     PangoFontDescription *f, const double *w, struct trow *out)
{
    out->h = 0;
    for (int k = 0; k < t->ncols; k++) {
        out->c[k] = layout(r, cells[k] ? cells[k] : "", f, w[k] - 2 * PAD);
        double h = height_of(out->c[k]);
        if (h > out->h)
            out->h = h;
    }
    out->h += 2 * PAD;
}

static void row_draw(struct rp *r, const struct rpdf_table *t, const double *w, struct trow *row,
                     double grey)
{
    double x = MARGIN;
    for (int k = 0; k < t->ncols; k++) {
        cell_box(r, x, r->y, w[k], row->h, grey);
        show(r, row->c[k], x + PAD, r->y + PAD);
        x += w[k];
    }
    r->y += row->h;
}

static void row_free(const struct rpdf_table *t, struct trow *row)
{
    for (int k = 0; k < t->ncols; k++)
        g_object_unref(row->c[k]);
}

/* One table row: on a new page when it does not fit, after the table's header again. */
static void table_row(struct rp *r, const struct rpdf_table *t, const double *w, struct trow *head,
                      const char *const *cells, PangoFontDescription *f)
{
    struct trow row;
    row_make(r, t, cells, f, w, &row);
    if (r->y + row.h > BOTTOM) {
        if (new_page(r))
            row_draw(r, t, w, head, 0.85);
    }
    if (!r->rc)
        row_draw(r, t, w, &row, 1);
    row_free(t, &row);
}

static void draw_table(struct rp *r, const struct rpdf_table *t)
{
    if ((t->nrows == 0 && !t->empty) || t->ncols < 1 || t->ncols > RPDF_MAX_COLS)
        return;
    double w[RPDF_MAX_COLS], sum = 0;
    for (int k = 0; k < t->ncols; k++)
        sum += t->width[k] > 0 ? t->width[k] : 1;
    for (int k = 0; k < t->ncols; k++)
        w[k] = BODY_W * (t->width[k] > 0 ? t->width[k] : 1) / sum;
    PangoLayout *tl = layout(r, t->title, r->f_head, BODY_W);
    struct trow head;
    row_make(r, t, t->head, r->f_label, w, &head);
    /* the title, the header and a first row stay together */
    if (room(r, height_of(tl) + 3 + head.h * 2)) {
        show(r, tl, MARGIN, r->y);
        r->y += height_of(tl) + 3;
        row_draw(r, t, w, &head, 0.85);
    }
    const char *empty[RPDF_MAX_COLS] = {t->empty};
    if (t->nrows == 0 && !r->rc)
        table_row(r, t, w, &head, empty, r->f_body);
    for (int i = 0; i < t->nrows && !r->rc; i++)
        table_row(r, t, w, &head, t->cells + (size_t)i * (size_t)t->ncols, r->f_body);
    if (t->foot[0] && !r->rc)
        table_row(r, t, w, &head, t->foot, r->f_label);
    row_free(t, &head);
    g_object_unref(tl);
    r->y += 10;
}

struct png_src {
    const unsigned char *p;
    size_t n, at;
};

static cairo_status_t png_read(void *arg, unsigned char *data, unsigned int len)
{
    struct png_src *s = arg;
    if (s->n - s->at < len)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, s->p + s->at, len);
    s->at += len;
    return CAIRO_STATUS_SUCCESS;
}

bool rpdf_png_header(const void *p, size_t n, int *width, int *height)
{
    const unsigned char *b = p;
    if (n < 33 || memcmp(b, "\x89PNG\r\n\x1a\n", 8) || memcmp(b + 8, "\0\0\0\x0dIHDR", 8))
        return false;
    uint32_t w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
    uint32_t h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
    if (w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff)
        return false;
    *width = (int)w;
    *height = (int)h;
    return true;
}

bool rpdf_png_decodes(const void *p, size_t n)
{
    struct png_src src = {p, n, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &src);
    bool ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return ok;
}

static void draw_image(struct rp *r, cairo_surface_t *img, double x, double y, double maxw,
                       double maxh)
{
    int iw = cairo_image_surface_get_width(img), ih = cairo_image_surface_get_height(img);
    double sc = maxw / iw < maxh / ih ? maxw / iw : maxh / ih;
    cairo_save(r->cr);
    cairo_translate(r->cr, x, y);
    cairo_scale(r->cr, sc, sc);
    cairo_set_source_surface(r->cr, img, 0, 0);
    cairo_paint(r->cr);
    cairo_restore(r->cr);
}

/* The signature box: the image (or the unsigned note) on the left, the signer's fields on
 * the right. */
static void draw_signature(struct rp *r, cairo_surface_t *img)
{
    const struct rpdf_doc *d = r->d;
    const double boxh = 110, imgw = 230;
    PangoLayout *tl = layout(r, d->sign_title, r->f_head, BODY_W);
    if (!room(r, height_of(tl) + 3 + boxh)) {
        g_object_unref(tl);
        return;
    }
    show(r, tl, MARGIN, r->y);
    r->y += height_of(tl) + 3;
    g_object_unref(tl);
    cell_box(r, MARGIN, r->y, imgw, boxh, 1);
    cell_box(r, MARGIN + imgw, r->y, BODY_W - imgw, boxh, 1);
    if (img)
        draw_image(r, img, MARGIN + PAD, r->y + PAD, imgw - 2 * PAD, boxh - 2 * PAD);
    else
        text_at(r, d->unsigned_note, r->f_body, MARGIN + PAD * 2, r->y + boxh / 2 - 8,
                imgw - 4 * PAD);
    double fy = r->y + PAD * 2, fx = MARGIN + imgw + PAD * 2, fw = BODY_W - imgw - 4 * PAD;
    for (int i = 0; i < d->nsign_fields; i++) {
        char line[1024];
        snprintf(line, sizeof(line), "%s：%s", d->sign_fields[i].label,
                 d->sign_fields[i].value ? d->sign_fields[i].value : "");
        fy += text_at(r, line, r->f_body, fx, fy, fw) + 3;
    }
    r->y += boxh + 10;
}

/* "第 {page} 页 / 共 {pages} 页" with the numbers put in. */
static void page_label(const char *fmt, int page, int pages, char *out, size_t cap)
{
    size_t o = 0;
    for (const char *p = fmt ? fmt : "{page} / {pages}"; *p && o + 12 < cap;) {
        if (!strncmp(p, "{pages}", 7)) {
            o += (size_t)snprintf(out + o, cap - o, "%d", pages);
            p += 7;
        } else if (!strncmp(p, "{page}", 6)) {
            o += (size_t)snprintf(out + o, cap - o, "%d", page);
            p += 6;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

struct sink {
    struct sh_buf *out;
    bool full;
};

static cairo_status_t pdf_write(void *arg, const unsigned char *data, unsigned int len)
{
    struct sink *s = arg;
    if (sh_buf_add(s->out, data, len)) {
        s->full = true;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* Replays the recorded pages onto the PDF, each with its page label. */
static enum sh_code emit(struct rp *r, struct sh_buf *out)
{
    struct sink s = {.out = out};
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(pdf_write, &s, PAGE_W, PAGE_H);
    if (r->d->title)
        cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_TITLE, r->d->title);
    cairo_t *cr = cairo_create(pdf);
    for (int i = 0; i < r->npages; i++) {
        cairo_set_source_surface(cr, r->pages[i], 0, 0);
        cairo_paint(cr);
        char label[160];
        page_label(r->d->page_label, i + 1, r->npages, label, sizeof(label));
        PangoLayout *l = layout(r, label, r->f_small, BODY_W);
        pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_move_to(cr, MARGIN, PAGE_H - MARGIN - 10);
        pango_cairo_show_layout(cr, l);
        g_object_unref(l);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    cairo_status_t st = cairo_surface_status(pdf);
    cairo_surface_destroy(pdf);
    if (s.full)
        return sh_err_set(r->e, SH_TOO_BIG, "the report PDF is too large");
    if (st != CAIRO_STATUS_SUCCESS)
        return sh_err_set(r->e, SH_INTERNAL, "PDF rendering failed: %s",
                          cairo_status_to_string(st));
    return SH_OK;
}

static enum sh_code load_signature(const struct rpdf_doc *d, cairo_surface_t **img,
                                   struct sh_err *e)
{
    *img = NULL;
    if (!d->signature)
        return SH_OK;
    struct png_src src = {d->signature, d->signature_len, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &src);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || cairo_image_surface_get_width(s) < 1 ||
        cairo_image_surface_get_height(s) < 1) {
        cairo_surface_destroy(s);
        return sh_err_set(e, SH_INVALID, "the signature is not a readable PNG image");
    }
    *img = s;
    return SH_OK;
}

static void layout_all(struct rp *r, cairo_surface_t *img)
{
    const struct rpdf_doc *d = r->d;
    if (!new_page(r))
        return;
    draw_fields(r, d->fields, d->nfields);
    for (int i = 0; i < d->ntexts && !r->rc; i++)
        draw_text(r, &d->texts[i]);
    for (int i = 0; i < d->ntables && !r->rc; i++)
        draw_table(r, &d->tables[i]);
    if (!r->rc)
        draw_signature(r, img);
}

static enum sh_code render_now(const struct rpdf_doc *d, struct sh_buf *out, int *pages,
                               struct sh_err *e)
{
    cairo_surface_t *img;
    enum sh_code rc = load_signature(d, &img, e);
    if (rc)
        return rc;
    struct rp r = {.d = d, .e = e};
    PangoFontMap *fm = pango_cairo_font_map_get_default(); /* per thread */
    r.ctx = pango_font_map_create_context(fm);
    pango_cairo_context_set_resolution(r.ctx, 72);
    const char *fam = d->font ? d->font : "Noto Sans CJK SC";
    r.f_body = font(fam, 9.5);
    r.f_label = font(fam, 10);
    r.f_small = font(fam, 8);
    r.f_head = font(fam, 12);
    r.f_title = font(fam, 20);
    layout_all(&r, img);
    if (r.cr)
        cairo_destroy(r.cr);
    rc = r.rc ? r.rc : emit(&r, out);
    if (!rc && pages)
        *pages = r.npages;
    for (int i = 0; i < r.npages; i++)
        cairo_surface_destroy(r.pages[i]);
    if (img)
        cairo_surface_destroy(img);
    pango_font_description_free(r.f_body);
    pango_font_description_free(r.f_label);
    pango_font_description_free(r.f_small);
    pango_font_description_free(r.f_head);
    pango_font_description_free(r.f_title);
    g_object_unref(r.ctx);
    return rc;
}

struct render_job {
    const struct rpdf_doc *d;
    struct sh_buf *out;
    int *pages;
};

static enum sh_code render_job(void *arg, struct sh_err *e)
{
    const struct render_job *j = arg;
    return render_now(j->d, j->out, j->pages, e);
}

/* RULE review 69 L6: drawn on the document threads (docs/doc_gate.h) */
enum sh_code rpdf_render(const struct rpdf_doc *d, struct sh_buf *out, int *pages, struct sh_err *e)
{
    struct render_job j = {d, out, pages};
    return doc_pool_run(render_job, &j, e);
}

bool rpdf_font_check(const char *family, char *found, size_t n)
{
    /* The thread's default map, never freed here: pango's font-matching helper thread may
     * still be using a map we unref, and the freed lock is then reused (a race TSan sees). */
    PangoFontMap *fm = pango_cairo_font_map_get_default();
    PangoContext *ctx = pango_font_map_create_context(fm);
    PangoFontDescription *want = font(family ? family : "Noto Sans CJK SC", 10);
    PangoFont *f = pango_font_map_load_font(fm, ctx, want);
    bool ok = false;
    snprintf(found, n, "%s", "(none)");
    if (f) {
        PangoFontDescription *got = pango_font_describe(f);
        snprintf(found, n, "%s", pango_font_description_get_family(got));
        ok = pango_font_has_char(f, 0x552E); /* 售 */
        pango_font_description_free(got);
        g_object_unref(f);
    }
    pango_font_description_free(want);
    g_object_unref(ctx);
    return ok;
}
