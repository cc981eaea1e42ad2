/* SPDX-License-Identifier: MIT */
#include "base/file.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

enum sh_code sh_file_write_atomic(const char *path, const void *p, size_t n, struct sh_err *e)
{
    char tmp[4200];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid()) >= (int)sizeof(tmp))
        return sh_err_set(e, SH_INTERNAL, "path too long");
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(p, 1, n, f) == n && fflush(f) == 0 && fsync(fileno(f)) == 0;
    int err = ok ? 0 : errno;
    if (f && fclose(f) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = false;
        err = errno;
    }
    if (ok)
        return SH_OK;
    unlink(tmp);
    if (err == ENOSPC || err == EDQUOT) {
        sh_err_set(e, SH_UNAVAILABLE,
                   "the server's disk is full: nothing was saved; try again "
                   "when the administrator has freed space");
        return sh_err_reason(e, "disk_full", NULL);
    }
    return sh_err_set(e, SH_INTERNAL, "cannot write '%s'", path);
}
