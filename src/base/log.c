/* SPDX-License-Identifier: MIT */
#include "base/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

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
    pthread_mutex_lock(&log_mu);
    fputs(json, stderr);
    fputc('\n', stderr);
    fflush(stderr);
    pthread_mutex_unlock(&log_mu);
}
