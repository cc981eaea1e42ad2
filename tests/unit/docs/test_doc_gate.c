/* SPDX-License-Identifier: MIT */
/* threads: this test starts threads (make tsan in CI runs only such tests: .ci/run) */
/* The render slots and the document cache (docs/doc_gate.h, review 2026-12-07 #3 L6): a render
 * waits while the document threads are busy and is refused (503) when none takes it in time; the
 * cache returns what was kept, the newest first, within its bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/sh_buf.h"
#include "docs/doc_gate.h"
#include "docs/report_pdf.h"

static void nap_ms(int ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static atomic_int rendered;
static enum sh_code render_rc;

static void *render_one(void *arg)
{
    struct sh_buf *out = arg;
    static const struct rpdf_field f[] = {{"客户", "苏州华鑫精密机械有限公司"}};
    struct rpdf_doc d = {.company = "售后服务部",
                         .title = "报价单",
                         .fields = f,
                         .nfields = 1,
                         .page_label = "第 {page} 页 / 共 {pages} 页"};
    struct sh_err e;
    render_rc = rpdf_render(&d, out, NULL, &e);
    atomic_store(&rendered, 1);
    return NULL;
}

/* A drawing that holds its thread until released. */
static atomic_int release;

static enum sh_code hold(void *arg, struct sh_err *e)
{
    (void)arg;
    (void)e;
    while (!atomic_load(&release))
        nap_ms(5);
    return SH_OK;
}

static void *hold_thread(void *arg)
{
    struct sh_err e;
    *(enum sh_code *)arg = doc_pool_run(hold, NULL, &e);
    return NULL;
}

static pthread_t holder;
static enum sh_code holder_rc;

static void take_the_thread(void)
{
    atomic_store(&release, 0);
    assert_int_equal(pthread_create(&holder, NULL, hold_thread, &holder_rc), 0);
    while (doc_gate_busy() < 1)
        nap_ms(5);
}

static void give_it_back(void)
{
    atomic_store(&release, 1);
    pthread_join(holder, NULL);
    assert_int_equal(holder_rc, SH_OK);
}

/* the document thread busy: a render waits, and runs once the thread is free */
static void render_waits_for_a_thread(void **state)
{
    (void)state;
    doc_gate_configure(1, 30);
    assert_int_equal(doc_gate_max(), 1);
    take_the_thread();
    struct sh_buf out = SH_BUF_INIT(4u << 20);
    pthread_t th;
    atomic_store(&rendered, 0);
    assert_int_equal(pthread_create(&th, NULL, render_one, &out), 0);
    nap_ms(300);
    assert_int_equal(atomic_load(&rendered), 0);
    give_it_back();
    pthread_join(th, NULL);
    assert_int_equal(render_rc, SH_OK);
    assert_true(out.len > 1000 && !memcmp(out.buf, "%PDF", 4));
    sh_buf_release(&out);
}

/* not taken in time: 503 (SH_UNAVAILABLE), nothing written, and the queue is left clean */
static void refused_after_the_wait(void **state)
{
    (void)state;
    doc_gate_configure(1, 1);
    take_the_thread();
    struct sh_buf out = SH_BUF_INIT(4u << 20);
    render_one(&out);
    assert_int_equal(render_rc, SH_UNAVAILABLE);
    assert_int_equal(out.len, 0);
    give_it_back();
    render_one(&out); /* the thread is free again */
    assert_int_equal(render_rc, SH_OK);
    sh_buf_release(&out);
}

static void cache_keeps_newest(void **state)
{
    (void)state;
    struct sh_buf b = SH_BUF_INIT(DOC_CACHE_BYTES);
    long h0, m0, h, m;
    doc_cache_stats(&h0, &m0);
    assert_false(doc_cache_get("quote:1:1", &b));
    doc_cache_put("quote:1:1", "v1", 2);
    doc_cache_put("quote:1:1", "v1b", 3); /* made twice at once: one kept */
    assert_true(doc_cache_get("quote:1:1", &b));
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.buf, "v1b", 3);
    /* DOC_CACHE_ENTRIES newer ones push it out */
    char k[32];
    for (int i = 0; i < DOC_CACHE_ENTRIES; i++) {
        snprintf(k, sizeof(k), "quote:2:%d", i);
        doc_cache_put(k, "x", 1);
    }
    sh_buf_reset(&b);
    assert_false(doc_cache_get("quote:1:1", &b));
    assert_true(doc_cache_get("quote:2:0", &b));
    /* one over a quarter of the bytes is not kept */
    static char big[DOC_CACHE_BYTES / 4 + 1];
    doc_cache_put("big", big, sizeof(big));
    sh_buf_reset(&b);
    assert_false(doc_cache_get("big", &b));
    doc_cache_stats(&h, &m);
    assert_int_equal(h - h0, 2);
    assert_int_equal(m - m0, 3);
    sh_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(render_waits_for_a_thread),
        cmocka_unit_test(refused_after_the_wait),
        cmocka_unit_test(cache_keeps_newest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
