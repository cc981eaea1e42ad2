/* SPDX-License-Identifier: MIT */
/* libFuzzer: the whole CSV import (`shouhou import customers|units|models FILE`) on an
 * embedded database: encoding (auto, GB18030 or UTF-8), records, the header mapped by field
 * names and zh-CN/en labels, each cell typed and validated, codes resolved, rows inserted
 * (or rolled back). The first byte picks the entity, the encoding, --dry-run and
 * --continue-on-error; the rest is the file. Must never crash or leak; the exit status is
 * 0, 1 or 2. The command's own messages go to /dev/null (sanitizer reports do not). */
#include <fcntl.h>
#include <sanitizer/common_interface_defs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[] = "/dev/shm/shouhou-fuzz-import-XXXXXX";
static int devnull = -1, saved_err = -1;

/* The database lives in memory (/dev/shm) for the run only. */
static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz_import: cannot remove %s\n", dir);
}

static void init_once(void)
{
    if (devnull >= 0)
        return;
    if (!mkdtemp(dir))
        abort();
    atexit(remove_dir);
    devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    saved_err = dup(2);
    if (devnull < 0 || saved_err < 0)
        abort();
    __sanitizer_set_report_fd((void *)(intptr_t)saved_err);
    dup2(devnull, 1); /* the summary lines */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 16)
        return 0;
    init_once();
    /* writable copies: getopt takes char ** */
    static char what[3][10] = {"customers", "units", "models"};
    static char enc[4][8] = {"auto", "gb18030", "utf-8", "auto"};
    static char opt[5][20] = {"import", "--db", "--encoding", "--dry-run", "--continue-on-error"};
    static char file[128], db[160];
    snprintf(file, sizeof(file), "%s/in.csv", dir);
    snprintf(db, sizeof(db), "sqlite:%s/import.db", dir);
    FILE *f = fopen(file, "wb");
    if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f))
        abort();
    char *argv[10];
    int argc = 0;
    argv[argc++] = opt[0];
    argv[argc++] = opt[1];
    argv[argc++] = db;
    argv[argc++] = opt[2];
    argv[argc++] = enc[(data[0] >> 2) & 3];
    if (data[0] & 0x10)
        argv[argc++] = opt[3];
    if (data[0] & 0x20)
        argv[argc++] = opt[4];
    argv[argc++] = what[(data[0] & 3) % 3];
    argv[argc++] = file;
    argv[argc] = NULL;
    fflush(stderr);
    dup2(devnull, 2);
    int rc = cmd_import(argc, argv);
    fflush(stderr);
    dup2(saved_err, 2);
    if (rc < 0 || rc > 2)
        abort();
    return 0;
}
