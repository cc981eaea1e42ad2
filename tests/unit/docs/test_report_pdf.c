/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* The service report renderer: a document in, PDF bytes out; read back with pdftotext. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/sh_buf.h"
#include "docs/report_pdf.h"

static cairo_status_t png_sink(void *arg, const unsigned char *d, unsigned int n)
{
    return sh_buf_add(arg, d, n) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* A drawn line, as signature_pad would send it. */
static void make_png(struct sh_buf *b)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 300, 120);
    cairo_t *cr = cairo_create(s);
    cairo_set_line_width(cr, 3);
    cairo_move_to(cr, 10, 100);
    cairo_curve_to(cr, 80, 10, 160, 110, 290, 20);
    cairo_stroke(cr);
    cairo_destroy(cr);
    assert_int_equal(cairo_surface_write_to_png_stream(s, png_sink, b), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
}

#define NPARTS 20
#ifndef RPDF_TEST_LINES
#define RPDF_TEST_LINES 60
#endif
static const char *cells[NPARTS * 4];
static char names[NPARTS][64];

static void fill_doc(struct rpdf_doc *d, struct rpdf_table *t, struct rpdf_text *x,
                     const struct sh_buf *png, int lines)
{
    static const struct rpdf_field fields[] = {
        {"客户", "苏州华鑫精密机械有限公司"}, {"联系人", "黄海燕 13800000000"},
        {"设备", "数控机床 HX-2000"},         {"序列号", "SN-2026-000123"},
        {"预约时间", "2026-12-05 09:00"},     {"到达时间", "2026-12-05 09:12（迟到 12 分钟）"},
    };
    static const struct rpdf_field sign[] = {{"签字人", "王建国"},
                                             {"签字时间", "2026-12-05 11:30"}};
    for (int i = 0; i < NPARTS; i++) {
        snprintf(names[i], sizeof(names[i]), "配件%02d 主轴轴承 6205-2RS", i + 1);
        cells[i * 4] = names[i];
        cells[i * 4 + 1] = "2";
        cells[i * 4 + 2] = "个";
        cells[i * 4 + 3] = "更换磨损件";
    }
    *t = (struct rpdf_table){.title = "使用配件",
                             .ncols = 4,
                             .head = {"名称", "数量", "单位", "备注"},
                             .width = {4, 1, 1, 3},
                             .cells = cells,
                             .nrows = NPARTS,
                             .foot = {"合计", "40", "", ""}};
    static char body[20000];
    body[0] = '\0';
    for (int i = 0; i < lines; i++)
        strncat(body, "检查主轴润滑系统，清洗过滤网，更换密封圈并重新校准，试运行两小时无异常。\n",
                sizeof(body) - strlen(body) - 1);
    *x = (struct rpdf_text){"处理情况", body};
    *d = (struct rpdf_doc){.company = "某某机械设备有限公司 售后服务部",
                           .title = "售后服务报告单",
                           .subtitle = "工单 T-20261205-0001 · 派工单 W-1 · 第 1 版",
                           .qr_text = "https://example.cn/s/T-20261205-0001",
                           .qr_caption = "扫码查看进度",
                           .fields = fields,
                           .nfields = 6,
                           .texts = x,
                           .ntexts = 1,
                           .tables = t,
                           .ntables = 1,
                           .sign_title = "客户签字",
                           .signature = png ? png->buf : NULL,
                           .signature_len = png ? png->len : 0,
                           .sign_fields = sign,
                           .nsign_fields = 2,
                           .unsigned_note = "未签字",
                           .page_label = "第 {page} 页 / 共 {pages} 页"};
}

/* pdftotext of the bytes, into out */
static void to_text(const struct sh_buf *pdf, struct sh_buf *out)
{
    char path[] = "/tmp/test_report_pdf.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf->buf, pdf->len), (ssize_t)pdf->len);
    close(fd);
    char cmd[200];
    snprintf(cmd, sizeof(cmd), "pdftotext -enc UTF-8 %s -", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        assert_int_equal(sh_buf_add(out, chunk, n), SH_OK);
    assert_int_equal(pclose(p), 0);
    /* pdftotext drops the spaces between CJK characters: compare without any */
    size_t o = 0;
    for (size_t i = 0; i < out->len; i++)
        if (out->buf[i] != ' ')
            out->buf[o++] = out->buf[i];
    out->buf[o] = '\0';
    out->len = o;
    if (getenv("KEEP_PDF")) {
        char c2[300];
        snprintf(c2, sizeof c2, "cp %s /tmp/rp_out.pdf", path);
        if (system(c2)) {
        }
    }
    unlink(path);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void renders_chinese_text(void **state)
{
    (void)state;
    struct sh_buf png = SH_BUF_INIT(1 << 20), pdf = SH_BUF_INIT(16 << 20),
                  txt = SH_BUF_INIT(1 << 20);
    make_png(&png);
    struct rpdf_doc d;
    struct rpdf_table t;
    struct rpdf_text x;
    fill_doc(&d, &t, &x, &png, 3);
    struct sh_err e;
    int pages = 0;
    assert_int_equal(rpdf_render(&d, &pdf, &pages, &e), SH_OK);
    assert_true(pdf.len > 1000);
    assert_memory_equal(pdf.buf, "%PDF-", 5);
    assert_true(pages >= 1);
    to_text(&pdf, &txt);
    assert_non_null(strstr(txt.buf, "苏州华鑫精密机械有限公司"));
    assert_non_null(strstr(txt.buf, "SN-2026-000123"));
    assert_non_null(strstr(txt.buf, "王建国"));
    assert_non_null(strstr(txt.buf, "合计"));
    assert_non_null(strstr(txt.buf, "售后服务报告单"));
    char want[64];
    snprintf(want, sizeof(want), "第1页/共%d页", pages);
    assert_non_null(strstr(txt.buf, want));
    sh_buf_release(&png);
    sh_buf_release(&pdf);
    sh_buf_release(&txt);
}

/* A long report: the paragraph and the table continue on the next pages, the table's header
 * is drawn again on each page it reaches. */
static void breaks_across_pages(void **state)
{
    (void)state;
    struct sh_buf pdf = SH_BUF_INIT(16 << 20), txt = SH_BUF_INIT(1 << 20);
    struct rpdf_doc d;
    struct rpdf_table t;
    struct rpdf_text x;
    fill_doc(&d, &t, &x, NULL, RPDF_TEST_LINES);
    struct sh_err e;
    int pages = 0;
    assert_int_equal(rpdf_render(&d, &pdf, &pages, &e), SH_OK);
    assert_int_equal(pages, 3);
    to_text(&pdf, &txt);
    assert_non_null(strstr(txt.buf, "第3页/共3页"));
    assert_non_null(strstr(txt.buf, "配件20"));
    assert_non_null(strstr(txt.buf, "未签字"));
    int heads = count(txt.buf, "备注");
    assert_true(heads >= 2); /* the parts table spans two pages */
    sh_buf_release(&pdf);
    sh_buf_release(&txt);
}

static void refuses_bad_signature(void **state)
{
    (void)state;
    struct sh_buf pdf = SH_BUF_INIT(1 << 20);
    static const char junk[] = "\x89PNG\r\n\x1a\nnot really";
    struct rpdf_doc d;
    struct rpdf_table t;
    struct rpdf_text x;
    fill_doc(&d, &t, &x, NULL, 1);
    d.signature = junk;
    d.signature_len = sizeof(junk) - 1;
    struct sh_err e;
    assert_int_equal(rpdf_render(&d, &pdf, NULL, &e), SH_INVALID);
    assert_int_equal(pdf.len, 0);
    /* a full output buffer is SH_TOO_BIG, not a truncated file */
    struct sh_buf small = SH_BUF_INIT(2000);
    fill_doc(&d, &t, &x, NULL, 1);
    assert_int_equal(rpdf_render(&d, &small, NULL, &e), SH_TOO_BIG);
    sh_buf_release(&pdf);
    sh_buf_release(&small);
}

/* The signature's checks before any decoding: PNG signature, IHDR, size; then a full decode. */
static void png_checks(void **state)
{
    (void)state;
    struct sh_buf png = SH_BUF_INIT(1 << 20);
    make_png(&png);
    int w = 0, h = 0;
    assert_true(rpdf_png_header(png.buf, png.len, &w, &h));
    assert_int_equal(w, 300);
    assert_int_equal(h, 120);
    assert_true(rpdf_png_decodes(png.buf, png.len));
    assert_false(rpdf_png_decodes(png.buf, 60));                  /* truncated */
    assert_true(rpdf_png_header(png.buf, 60, &w, &h));            /* the header alone is fine */
    assert_false(rpdf_png_header("\xff\xd8\xff\xe0", 4, &w, &h)); /* JPEG */
    unsigned char bad[40];
    memcpy(bad, png.buf, sizeof(bad));
    memset(bad + 16, 0, 4); /* width 0 */
    assert_false(rpdf_png_header(bad, sizeof(bad), &w, &h));
    memcpy(bad, png.buf, sizeof(bad));
    bad[12] = 'X'; /* not IHDR first */
    assert_false(rpdf_png_header(bad, sizeof(bad), &w, &h));
    sh_buf_release(&png);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(renders_chinese_text),
        cmocka_unit_test(breaks_across_pages),
        cmocka_unit_test(refuses_bad_signature),
        cmocka_unit_test(png_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
