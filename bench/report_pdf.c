/* SPDX-License-Identifier: MIT */
/* The service report PDF (issue 11 item 5): the server's work for GET
 * /api/v1/work-orders/{id}/report.pdf after the database read — the frozen snapshot (JSON)
 * turned into the document with the catalogue's labels (app/report_doc.c), rendered by
 * cairo + pango (docs/report_pdf.c) — on a report of 3 A4 pages with 20 parts lines, long
 * findings and work done, a signature PNG and the QR code.
 *
 * usage: bench_report_pdf [--runs N] [--out FILE]   (FILE: a copy of the PDF)
 *
 * Prints "report_pdf pages=P parts=20 bytes=B first_ms=F p50_ms=X max_ms=Y cpu_p50_ms=C":
 * the first render of the thread (fontconfig and the font files are loaded then), the median
 * and worst of N (30) renders after it, and the median CPU time of the rendering thread (what
 * the figure is on a quiet machine). */
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/i18n.h"
#include "app/report_doc.h"
#include "base/jw.h"

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char *label(void *ctx, const char *key, const char *fallback)
{
    return i18n_label(ctx, "zh-CN", key, fallback);
}

static cairo_status_t png_sink(void *arg, const unsigned char *d, unsigned int n)
{
    return sh_buf_add(arg, d, n) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static void signature_png(struct sh_buf *b)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1000, 400);
    cairo_t *cr = cairo_create(s);
    cairo_set_line_width(cr, 6);
    cairo_move_to(cr, 40, 320);
    cairo_curve_to(cr, 300, 20, 600, 380, 960, 60);
    cairo_stroke(cr);
    cairo_destroy(cr);
    if (cairo_surface_write_to_png_stream(s, png_sink, b) != CAIRO_STATUS_SUCCESS)
        abort();
    cairo_surface_destroy(s);
}

static void long_text(struct jw *w, const char *key, const char *sentence, int times)
{
    struct sh_buf t = SH_BUF_INIT(1 << 20);
    for (int i = 0; i < times; i++)
        if (sh_buf_addf(&t, "%d. %s\n", i + 1, sentence))
            abort();
    jw_kstr(w, key, t.buf);
    sh_buf_release(&t);
}

/* The snapshot as report_snapshot.c writes it. */
static void snapshot(struct sh_buf *b)
{
    struct jw w;
    jw_init(&w, b);
    jw_obj_begin(&w);
    jw_key(&w, "ticket");
    jw_obj_begin(&w);
    jw_kstr(&w, "number", "T-20261205-0042");
    jw_kstr(&w, "description", "设备运行时主轴异响，加工精度下降，偶发报警 E-207。");
    jw_kstr(&w, "fault_category", "机械故障");
    jw_kstr(&w, "caller_name", "黄海燕");
    jw_kstr(&w, "caller_phone", "13800001234");
    jw_kstr(&w, "billing", "chargeable");
    jw_obj_end(&w);
    jw_key(&w, "customer");
    jw_obj_begin(&w);
    jw_kstr(&w, "name", "苏州华鑫精密机械有限公司");
    jw_kstr(&w, "address", "江苏省苏州市工业园区星湖街 328 号");
    jw_obj_end(&w);
    jw_key(&w, "unit");
    jw_obj_begin(&w);
    jw_kstr(&w, "serial_no", "HX2000-2025-00731");
    jw_kstr(&w, "model", "数控加工中心");
    jw_kstr(&w, "model_code", "HX-2000");
    jw_obj_end(&w);
    jw_key(&w, "work_order");
    jw_obj_begin(&w);
    jw_kstr(&w, "number", "W-20261205-0007");
    jw_kstr(&w, "appointment_at", "2026-12-05T01:00:00Z");
    jw_kint(&w, "tolerance_min", 30);
    jw_kstr(&w, "arrived_at", "2026-12-05T01:12:00Z");
    jw_kint(&w, "lateness_min", 12);
    jw_kstr(&w, "late_notice", "in_time");
    jw_kint(&w, "labour_minutes", 270);
    long_text(&w, "findings",
              "主轴前轴承磨损，润滑油路部分堵塞，导致温升过高与异响；同时检查了导轨、丝杠和刀库，未"
              "见其他异常。",
              18);
    long_text(&w, "work_done",
              "拆卸主轴组件，更换前后轴承与密封圈，清洗润滑油路并更换滤芯，重新装配后按规程调整预紧"
              "力并试切验证。",
              18);
    jw_kstr(&w, "result_note", "设备恢复正常，试切工件精度合格。");
    jw_kstr(&w, "customer_comment", "服务及时，师傅很专业。");
    jw_obj_end(&w);
    jw_key(&w, "technicians");
    jw_obj_begin(&w);
    jw_kstr(&w, "lead", "张伟");
    jw_key(&w, "helpers");
    jw_arr_begin(&w);
    jw_str(&w, "李强");
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_key(&w, "parts");
    jw_arr_begin(&w);
    for (int i = 0; i < 20; i++) {
        char name[80];
        snprintf(name, sizeof(name), "主轴轴承组件 %02d（NSK 7014C）", i + 1);
        jw_obj_begin(&w);
        jw_kstr(&w, "name", name);
        jw_kreal(&w, "quantity", 1 + i % 3);
        jw_kstr(&w, "unit", "套");
        jw_kstr(&w, "note", i % 2 ? "原厂件" : "更换磨损件");
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    if (jw_finish(&w))
        abort();
}

int main(int argc, char **argv)
{
    int runs = 30;
    const char *out = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--runs"))
            runs = (int)strtol(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--out"))
            out = argv[i + 1];
    }
    if (runs < 1 || runs > 10000)
        runs = 30;
    struct app app = {.web_root = SH_SOURCE_DIR "/web"};
    struct sh_buf snap = SH_BUF_INIT(1 << 20), png = SH_BUF_INIT(4 << 20);
    snapshot(&snap);
    signature_png(&png);
    double *t = calloc((size_t)runs, sizeof(double)), *c = calloc((size_t)runs, sizeof(double)),
           first = 0;
    int pages = 0;
    size_t bytes = 0;
    for (int r = -1; r < runs; r++) {
        struct sh_arena a;
        sh_arena_init(&a, 16 << 20);
        struct sh_buf pdf = SH_BUF_INIT(32 << 20);
        struct sh_err e;
        double t0 = now_ms(), c0 = cpu_ms();
        struct report_doc_in in = {
            .snapshot = snap.buf,
            .version = 1,
            .is_signed = true,
            .signer_name = "王建国",
            .signed_at = "2026-12-05T03:30:00Z",
            .comment = "服务及时，师傅很专业。",
            .signature = png.buf,
            .signature_len = png.len,
            .status_url =
                "https://service.example.cn/r/s/0123456789abcdef0123456789abcdef0123456789abcdef",
            .label = label,
            .label_ctx = &app};
        struct rpdf_doc d;
        if (report_doc_build(&a, &in, &d, &e) || rpdf_render(&d, &pdf, &pages, &e)) {
            fprintf(stderr, "bench_report_pdf: %s\n", e.msg);
            return 1;
        }
        double ms = now_ms() - t0, cms = cpu_ms() - c0;
        if (r < 0) {
            first = ms;
        } else {
            t[r] = ms;
            c[r] = cms;
        }
        bytes = pdf.len;
        FILE *f = out && r < 0 ? fopen(out, "wb") : NULL;
        if (f) {
            fwrite(pdf.buf, 1, pdf.len, f);
            fclose(f);
        }
        sh_buf_release(&pdf);
        sh_arena_release(&a);
    }
    qsort(t, (size_t)runs, sizeof(double), cmp_d);
    qsort(c, (size_t)runs, sizeof(double), cmp_d);
    printf("report_pdf pages=%d parts=20 bytes=%zu first_ms=%.1f p50_ms=%.1f max_ms=%.1f "
           "cpu_p50_ms=%.1f\n",
           pages, bytes, first, t[runs / 2], t[runs - 1], c[runs / 2]);
    free(t);
    free(c);
    sh_buf_release(&snap);
    sh_buf_release(&png);
    return 0;
}
