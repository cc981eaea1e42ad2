/* SPDX-License-Identifier: MIT */
#include "base/ical.h"

#include <stdlib.h>
#include <string.h>

#include "base/date.h"

#define ICAL_FOLD 75

enum sh_code ical_line(struct sh_buf *b, const char *name, const char *value)
{
    size_t nl = strlen(name), vl = strlen(value);
    char *line = malloc(nl + vl + 2);
    if (!line)
        return SH_INTERNAL;
    memcpy(line, name, nl);
    line[nl] = ':';
    memcpy(line + nl + 1, value, vl + 1);
    size_t len = nl + vl + 1, at = 0, room = ICAL_FOLD;
    enum sh_code rc = SH_OK;
    while (!rc && at < len) {
        size_t n = len - at < room ? len - at : room;
        /* back off to the start of a UTF-8 sequence: continuation bytes are 10xxxxxx */
        while (at + n < len && n > 1 && ((unsigned char)line[at + n] & 0xC0) == 0x80)
            n--;
        if (at && (rc = sh_buf_add(b, "\r\n ", 3)))
            break;
        rc = sh_buf_add(b, line + at, n);
        at += n;
        room = ICAL_FOLD - 1; /* the leading space of a continuation line counts */
    }
    free(line);
    return rc ? rc : sh_buf_add(b, "\r\n", 2);
}

enum sh_code ical_text(struct sh_buf *b, const char *name, const char *text)
{
    struct sh_buf v = SH_BUF_INIT(1 << 20);
    enum sh_code rc = SH_OK;
    for (const char *p = text ? text : ""; *p && !rc; p++) {
        if (*p == '\\' || *p == ';' || *p == ',') {
            char esc[2] = {'\\', *p};
            rc = sh_buf_add(&v, esc, 2);
        } else if (*p == '\n') {
            rc = sh_buf_add(&v, "\\n", 2);
        } else if (*p != '\r') {
            rc = sh_buf_addc(&v, *p);
        }
    }
    if (!rc)
        rc = sh_buf_addc(&v, '\0');
    if (!rc)
        rc = ical_line(b, name, v.buf);
    sh_buf_release(&v);
    return rc;
}

enum sh_code ical_time(struct sh_buf *b, const char *name, int64_t t)
{
    char ts[21], out[17];
    sh_ts_format(t, ts); /* 2026-12-05T10:30:00Z */
    memcpy(out, ts, 4);
    memcpy(out + 4, ts + 5, 2);
    memcpy(out + 6, ts + 8, 2);
    out[8] = 'T';
    memcpy(out + 9, ts + 11, 2);
    memcpy(out + 11, ts + 14, 2);
    memcpy(out + 13, ts + 17, 2);
    out[15] = 'Z';
    out[16] = '\0';
    return ical_line(b, name, out);
}
