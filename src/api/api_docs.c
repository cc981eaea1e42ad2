/* SPDX-License-Identifier: MIT */
/* GET /api/docs: the API reference page (web/api-docs.html, Redoc from web/vendor/dist) and
 * GET /api/openapi.yaml: docs/openapi.yaml as this binary was built with it (embedded by
 * CMake), so that the page always describes the server that serves it. Both are public: the
 * description is the project's published documentation. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"

extern const unsigned char openapi_yaml[];
extern const unsigned long openapi_yaml_len;

/* Redoc's page: its styled components add <style> elements and its search index runs in a
 * worker made from a blob: URL; nothing else beyond the UI's own policy. */
static const char docs_csp[] =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; worker-src blob:; connect-src 'self'; object-src 'none'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

void h_api_docs(struct api_ctx *c)
{
    http_serve_file_csp(c->req, c->app->web_root, "/api-docs.html", docs_csp);
}

static char spec_etag[24];
static pthread_once_t spec_once = PTHREAD_ONCE_INIT;

static void spec_etag_build(void)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a of the document */
    for (unsigned long i = 0; i < openapi_yaml_len; i++)
        h = (h ^ openapi_yaml[i]) * 1099511628211ull;
    snprintf(spec_etag, sizeof(spec_etag), "\"o%016llx\"", (unsigned long long)h);
}

void h_openapi_yaml(struct api_ctx *c)
{
    pthread_once(&spec_once, spec_etag_build);
    http_add_header(c->req, "ETag", spec_etag);
    http_add_header(c->req, "Cache-Control", "no-cache");
    const char *inm = http_header(c->req, "If-None-Match");
    if (inm && !strcmp(inm, spec_etag)) {
        c->req->status = 304;
        return;
    }
    http_reply(c->req, 200, "application/yaml; charset=utf-8", (const char *)openapi_yaml,
               (size_t)openapi_yaml_len);
}
