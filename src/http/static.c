/* SPDX-License-Identifier: MIT */
/* Static files for the web UI: no path escapes the root, ETag revalidation. */
#include "http/http.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
 * no backslashes or control bytes. */
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
            if (*c == '\0')
                return true;
            seg = c + 1;
        } else if (*c == '\\' || (unsigned char)*c < 0x20) {
            return false;
        }
    }
}

static void not_found(struct http_req *r)
{
    static const char body[] = "{\"error\":{\"code\":\"not_found\",\"message\":\"no such file\"}}";
    http_reply(r, 404, "application/json; charset=utf-8", body, sizeof(body) - 1);
}

void http_serve_file(struct http_req *r, const char *root, const char *relpath)
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
    char etag[64];
    snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)st.st_mtime,
             (unsigned long long)st.st_size);
    http_add_header(r, "ETag", etag);
    http_add_header(r, "Cache-Control", "no-cache");
    const char *type = mime(full);
    const char *inm = http_header(r, "If-None-Match");
    if (inm && !strcmp(inm, etag)) {
        close(fd);
        r->status = 304;
        return;
    }
    if (!strncmp(type, "text/html", 9))
        http_add_header(r, "Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                        "script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
                        "base-uri 'self'; form-action 'self'");
    r->status = 200;
    r->content_type = type;
    r->file_fd = fd;
    r->file_size = (uint64_t)st.st_size;
}
