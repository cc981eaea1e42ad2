/* SPDX-License-Identifier: MIT */
/* Static files for the web UI: no path escapes the root, ETag revalidation. */
#include "http/http.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define ZLIB_CONST /* next_in is const: the input is never written */
#include <zlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xalloc.h"

static const char *mime(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".yaml", "text/yaml; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (!strcmp(dot, types[i].ext))
                return types[i].type;
    return "application/octet-stream";
}

/* A path is safe when every segment is a plain name: no "..", no hidden files,
 * no backslashes or control bytes, and no node_modules (web/vendor/node_modules holds
 * the npm packages scripts/vendor.sh copies from; only its copies in dist/ are served). */
static bool safe_path(const char *p)
{
    if (!*p)
        return true;
    const char *seg = p;
    for (const char *c = p;; c++) {
        if (*c == '/' || *c == '\0') {
            size_t n = (size_t)(c - seg);
            if (n == 0 && *c == '/')
                return false;
            if (n > 0 && seg[0] == '.')
                return false;
            if (n == 12 && !memcmp(seg, "node_modules", 12))
                return false;
            if (*c == '\0')
                return true;
            seg = c + 1;
        } else if (*c == '\\' || (unsigned char)*c < 0x20) {
            return false;
        }
    }
}

/* ---- gzip: text files are compressed once per version and kept in memory ---- */

#define GZ_SLOTS  64
#define GZ_MAX_IN (4u << 20)
#define GZ_MIN_IN 1024

struct gz_slot {
    char path[512];
    time_t mtime;
    off_t size;
    unsigned char *data;
    size_t len;
};

static struct gz_slot gz_cache[GZ_SLOTS];
static pthread_mutex_t gz_mu = PTHREAD_MUTEX_INITIALIZER;

static bool compressible(const char *type)
{
    return !strncmp(type, "text/", 5) || !strncmp(type, "application/json", 16) ||
           !strcmp(type, "image/svg+xml");
}

bool http_accepts_gzip(struct http_req *r)
{
    const char *ae = http_header(r, "Accept-Encoding");
    return ae && strstr(ae, "gzip");
}

bool http_gzip(const void *in, size_t n, unsigned char **out, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    /* windowBits 15 + 16: a gzip wrapper */
    bool ok = false;
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK) {
        size_t cap = deflateBound(&z, (uLong)n);
        unsigned char *buf = xmalloc(cap);
        z.next_in = in;
        z.avail_in = (uInt)n;
        z.next_out = buf;
        z.avail_out = (uInt)cap;
        ok = deflate(&z, Z_FINISH) == Z_STREAM_END;
        deflateEnd(&z);
        if (ok) {
            *out = buf;
            *outlen = z.total_out;
        } else {
            free(buf);
        }
    }
    return ok;
}

/* Compresses n bytes of fd into a fresh buffer; false on any failure (serve plain). */
static bool gz_file(int fd, size_t n, unsigned char **out, size_t *outlen)
{
    unsigned char *in = xmalloc(n);
    bool ok = pread(fd, in, n, 0) == (ssize_t)n && http_gzip(in, n, out, outlen);
    free(in);
    return ok;
}

/* Replies with the gzip form of the file; false when it is not worth it or failed. */
static bool serve_gz(struct http_req *r, const char *full, int fd, const struct stat *st,
                     const char *type, const char *etag)
{
    if (!compressible(type) || st->st_size < GZ_MIN_IN || st->st_size > GZ_MAX_IN ||
        !http_accepts_gzip(r) || strlen(full) >= sizeof(gz_cache[0].path))
        return false;
    pthread_mutex_lock(&gz_mu);
    struct gz_slot *hit = NULL, *free_slot = NULL;
    for (int i = 0; i < GZ_SLOTS; i++) {
        struct gz_slot *g = &gz_cache[i];
        if (g->data && !strcmp(g->path, full)) {
            if (g->mtime == st->st_mtime && g->size == st->st_size)
                hit = g;
            else
                free_slot = g; /* a stale version: replaced below */
            break;
        }
        if (!g->data && !free_slot)
            free_slot = g;
    }
    if (!hit) {
        unsigned char *data;
        size_t len;
        if (!gz_file(fd, (size_t)st->st_size, &data, &len)) {
            pthread_mutex_unlock(&gz_mu);
            return false;
        }
        hit = free_slot ? free_slot : &gz_cache[(unsigned char)full[strlen(full) - 1] % GZ_SLOTS];
        free(hit->data);
        /* full fits (checked above); the precision says so to the compiler too */
        snprintf(hit->path, sizeof(hit->path), "%.*s", (int)sizeof(hit->path) - 1, full);
        hit->mtime = st->st_mtime;
        hit->size = st->st_size;
        hit->data = data;
        hit->len = len;
    }
    http_reply(r, 200, type, (const char *)hit->data, hit->len);
    pthread_mutex_unlock(&gz_mu);
    http_add_header(r, "Content-Encoding", "gzip");
    http_add_header(r, "ETag", etag);
    return true;
}

static void not_found(struct http_req *r)
{
    static const char body[] = "{\"error\":{\"code\":\"not_found\",\"message\":\"no such file\"}}";
    http_reply(r, 404, "application/json; charset=utf-8", body, sizeof(body) - 1);
}

/* The policy of every HTML page of the web UI. */
static const char default_csp[] =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'";

void http_serve_file(struct http_req *r, const char *root, const char *relpath)
{
    http_serve_file_csp(r, root, relpath, default_csp);
}

void http_serve_file_csp(struct http_req *r, const char *root, const char *relpath, const char *csp)
{
    while (*relpath == '/')
        relpath++;
    if (!safe_path(relpath) || strlen(relpath) > 512) {
        not_found(r);
        return;
    }
    char full[1024];
    snprintf(full, sizeof(full), "%s/%s", root, *relpath ? relpath : "index.html");
    struct stat st;
    if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t n = strlen(full);
        snprintf(full + n, sizeof(full) - n, "/index.html");
    }
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        not_found(r);
        return;
    }
    const char *type = mime(full);
    /* the gzip form is another representation: its own ETag */
    bool gz = compressible(type) && http_accepts_gzip(r) && st.st_size >= GZ_MIN_IN &&
              st.st_size <= GZ_MAX_IN;
    char etag[64];
    snprintf(etag, sizeof(etag), "\"%llx-%llx%s\"", (unsigned long long)st.st_mtime,
             (unsigned long long)st.st_size, gz ? "-gz" : "");
    http_add_header(r, "Cache-Control", "no-cache");
    if (compressible(type))
        http_add_header(r, "Vary", "Accept-Encoding");
    const char *inm = http_header(r, "If-None-Match");
    if (inm && !strcmp(inm, etag)) {
        close(fd);
        http_add_header(r, "ETag", etag);
        r->status = 304;
        return;
    }
    if (!strncmp(type, "text/html", 9))
        http_add_header(r, "Content-Security-Policy", csp);
    if (gz && serve_gz(r, full, fd, &st, type, etag)) {
        close(fd);
        return;
    }
    if (gz) /* compression failed: the plain form, with the plain ETag */
        snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)st.st_mtime,
                 (unsigned long long)st.st_size);
    http_add_header(r, "ETag", etag);
    r->status = 200;
    r->content_type = type;
    r->file_fd = fd;
    r->file_size = (uint64_t)st.st_size;
}
