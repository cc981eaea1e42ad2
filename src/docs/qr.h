/* SPDX-License-Identifier: MIT */
/* QR codes (libqrencode) rendered as SVG: for the labels stuck on units, which
 * link to the customer's fault-report page; or as a matrix for the report PDF. */
#ifndef SH_QR_H
#define SH_QR_H

#include "base/sh_buf.h"
#include "base/sh_err.h"

/* Encodes text (bytes, up to 1024) as a QR code with error correction level M
 * and appends a standalone SVG image (black modules on white, a 4-module quiet
 * zone, one path, viewBox in modules) to out. SH_INVALID on empty or over-long
 * text, SH_TOO_BIG when out is full. */
SH_WUR enum sh_code qr_svg(const char *text, struct sh_buf *out, struct sh_err *e);

/* The same code as a module matrix, for renderers that draw it themselves (the service
 * report PDF): dark[y * width + x] is 1 for a dark module; no quiet zone included. */
struct qr_matrix {
    int width;
    unsigned char *dark; /* malloc'd; qr_matrix_free */
};
SH_WUR enum sh_code qr_matrix(const char *text, struct qr_matrix *m, struct sh_err *e);
void qr_matrix_free(struct qr_matrix *m);

#endif
