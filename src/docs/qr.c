/* SPDX-License-Identifier: MIT */
/* QR code to SVG: each row's horizontal runs of dark modules become one
 * rectangle in a single <path>, so a version-3 code is a few hundred bytes. */
#include "docs/qr.h"

#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#define QR_QUIET   4
#define QR_MAXTEXT 1024

static enum sh_code encode(const char *text, QRcode **out, struct sh_err *e)
{
    size_t n = text ? strlen(text) : 0;
    if (n == 0 || n > QR_MAXTEXT)
        return sh_err_set(e, SH_INVALID, "QR text must be 1 to %d bytes", QR_MAXTEXT);
    *out = QRcode_encodeData((int)n, (const unsigned char *)text, 0, QR_ECLEVEL_M);
    if (!*out)
        return sh_err_set(e, errno == ERANGE ? SH_TOO_BIG : SH_INTERNAL, "QR encoding failed: %s",
                          strerror(errno));
    return SH_OK;
}

enum sh_code qr_matrix(const char *text, struct qr_matrix *m, struct sh_err *e)
{
    QRcode *qr;
    enum sh_code rc = encode(text, &qr, e);
    if (rc)
        return rc;
    size_t cells = (size_t)qr->width * (size_t)qr->width;
    m->width = qr->width;
    m->dark = malloc(cells);
    if (!m->dark) {
        QRcode_free(qr);
        return sh_err_set(e, SH_INTERNAL, "out of memory");
    }
    for (size_t i = 0; i < cells; i++)
        m->dark[i] = qr->data[i] & 1;
    QRcode_free(qr);
    return SH_OK;
}

void qr_matrix_free(struct qr_matrix *m)
{
    free(m->dark);
    m->dark = NULL;
}

enum sh_code qr_svg(const char *text, struct sh_buf *out, struct sh_err *e)
{
    QRcode *qr;
    enum sh_code rc0 = encode(text, &qr, e);
    if (rc0)
        return rc0;
    int w = qr->width, size = w + 2 * QR_QUIET;
    enum sh_code rc = sh_buf_addf(out,
                                  "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                                  "shape-rendering=\"crispEdges\">"
                                  "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
                                  "<path fill=\"#000\" d=\"",
                                  size, size, size, size);
    for (int y = 0; y < w && !rc; y++) {
        const unsigned char *row = qr->data + (size_t)y * (size_t)w;
        for (int x = 0; x < w && !rc;) {
            if (!(row[x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (row[x + run] & 1))
                run++;
            rc = sh_buf_addf(out, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET, run, run);
            x += run;
        }
    }
    if (!rc)
        rc = sh_buf_adds(out, "\"/></svg>\n");
    QRcode_free(qr);
    if (rc)
        return sh_err_set(e, SH_TOO_BIG, "QR image too large");
    return SH_OK;
}
