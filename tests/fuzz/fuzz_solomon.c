/* SPDX-License-Identifier: MIT */
/* libFuzzer: the optimizer's instance parsers (Solomon / Gehring-Homberger and Pillac TRSP
 * text, sniffed). Must never crash or leak; an accepted instance has sane counts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/dispatch/dispatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    struct dispatch_instance in;
    memset(&in, 0, sizeof(in));
    struct sh_err e;
    sh_err_clear(&e);
    if (dispatch_parse_instance((const char *)data, size, &in, &e) == SH_OK) {
        if ((in.p.njobs > 0 && !in.jobs) || (in.p.nveh > 0 && !in.vehicles))
            abort();
        dispatch_instance_release(&in);
    } else if (in.jobs) {
        abort(); /* a refused instance leaves nothing behind */
    }
    return 0;
}
