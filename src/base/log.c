/* SPDX-License-Identifier: MIT */
#include "base/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base/date.h"
#include "base/jw.h"

static enum log_level min_level = LOG_INFO;
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

void log_set_level(enum log_level l)
{
    min_level = l;
}

void log_msg(enum log_level l, const char *fmt, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (l < min_level)
        return;
    char msg[1024], ts[21];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    sh_ts_format(sh_now(), ts);
    struct sh_buf b = SH_BUF_INIT(4096);
    struct jw w;
    jw_init(&w, &b);
    jw_obj_begin(&w);
    jw_kstr(&w, "ts", ts);
    jw_kstr(&w, "level", names[l]);
    jw_kstr(&w, "msg", msg);
    jw_obj_end(&w);
    if (jw_finish(&w) == SH_OK)
        log_json_line(b.buf);
    sh_buf_release(&b);
}

void log_json_line(const char *json)
{
    /* one system call per line (an access line per request): stderr is unbuffered, so
     * fputs and fputc made two */
    static char nl[] = "\n";
    struct iovec v[2] = {{(void *)(uintptr_t)json, strlen(json)}, {nl, 1}}, *p = v;
    int n = 2;
    pthread_mutex_lock(&log_mu);
    fflush(stderr); /* anything stdio holds goes first */
    while (n > 0) {
        ssize_t w = writev(STDERR_FILENO, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break; /* nowhere to log to */
        for (; n > 0 && (size_t)w >= p->iov_len; p++, n--)
            w -= (ssize_t)p->iov_len;
        if (n > 0) {
            p->iov_base = (char *)p->iov_base + w;
            p->iov_len -= (size_t)w;
        }
    }
    pthread_mutex_unlock(&log_mu);
}
