/* SPDX-License-Identifier: MIT */
#include "base/file.h"

#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

enum sh_code sh_file_write_atomic(const char *path, const void *p, size_t n, struct sh_err *e)
{
    char tmp[4200];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp%d", path, (int)getpid()) >= (int)sizeof(tmp))
        return sh_err_set(e, SH_INTERNAL, "path too long");
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return sh_err_set(e, SH_INTERNAL, "cannot write '%s'", path);
    bool ok = fwrite(p, 1, n, f) == n && fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return sh_err_set(e, SH_INTERNAL, "cannot write '%s'", path);
    }
    return SH_OK;
}
