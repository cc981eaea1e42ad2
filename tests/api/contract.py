"""The API contract, checked on every request and answer of the API suite.

harness.Server.request hands each exchange to check(): the operation is found by method and
path template in docs/openapi.yaml; the request (path and query parameters, the body against
its requestBody schema) and the answer (status documented, media type, the body against its
schema) are validated with `jsonschema` (Draft 2020-12, the dialect of OpenAPI 3.1 schemas).
A problem is a violation: the case that caused it fails with the operation, the status and the
JSON pointer of the bad value, and the suite ends with
"contract: N requests, M responses checked, K violations".

A test that sends an invalid request on purpose (to check its 4xx answer) says so, either per
request (`bad=True` on harness requests) or for a block (`with contract.bad_requests():`);
then only the answer is validated.

Needs PyYAML and jsonschema (Debian: python3-yaml python3-jsonschema, scripts/deps.sh).
"""
import contextlib
import json
import os
import re
import threading
import time
import urllib.parse

import yaml
import jsonschema

import contract_fast
from jsonschema import Draft202012Validator, FormatChecker

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SPEC_PATH = os.path.join(ROOT, "docs", "openapi.yaml")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# paths outside the API (the web UI's static files) are not part of the contract
IN_SCOPE = re.compile(r"^/(api/|healthz$)")
# answered by the HTTP layer (src/http/server.c) for any path before a route runs: a body
# sent too slowly (408) and request headers over the limit (431); docs/api.md lists them
# answers any operation may give without listing them: the HTTP layer's deadlines and header
# limit, and 503 (the disk full or the database busy: docs/api.md), each with the Error body
HTTP_LAYER = {408, 431, 503}

_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_DATE_TIME = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:"
                        r"([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$")

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date")
def _is_date(v):
    return not isinstance(v, str) or bool(_DATE.match(v))


@FORMATS.checks("date-time")
def _is_date_time(v):
    return not isinstance(v, str) or bool(_DATE_TIME.match(v))


def _pointer(path):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path) \
        if path else "(root)"


def _short(v, n=80):
    s = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else repr(v)
    return s if len(s) <= n else s[:n] + "…"


def _media(ct):
    return (ct or "").split(";")[0].strip().lower()


def _is_json(media):
    return media == "application/json" or media.endswith("+json")


def _media_match(media, documented):
    """The documented media-type key that covers `media` (exact, type/*, */*), or None."""
    if media in documented:
        return media
    for k in documented:
        kk = k.lower()
        if kk == "*/*" or (kk.endswith("/*") and media.startswith(kk[:-1])):
            return k
    return None


class Contract:
    def __init__(self, path=SPEC_PATH):
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        with open(path, encoding="utf-8") as f:
            self.spec = yaml.load(f, Loader=loader)
        self.comps = self.spec.get("components", {})
        self.lock = threading.Lock()
        self.requests = 0
        self.responses = 0
        self.violations = []   # (case, message)
        self.case = None       # the runner's current case name
        self._bad = 0          # depth of bad_requests() blocks
        self.seconds = 0.0     # time spent checking
        self._validators = {}
        self._inlined = {}     # schema name -> its inlined form
        self._fast = {}        # id(schema) -> (yes/no function, schema)
        self._compiler = contract_fast.Compiler(
            self.comps.get("schemas", {}), {"date": _is_date, "date-time": _is_date_time},
            lambda s: self.validator(s).is_valid)
        self._ops = {}         # method -> [(regex, template, op, params)]
        self._fixed = {}       # (method, path) -> (template, op, params) for literal paths
        for tpl, item in self.spec.get("paths", {}).items():
            common = item.get("parameters", [])
            for m in METHODS:
                op = item.get(m)
                if not op:
                    continue
                params = {}
                for p in common + op.get("parameters", []):
                    p = self.deref(p)
                    params[(p["in"], p["name"])] = p
                if "{" not in tpl:
                    self._fixed[(m.upper(), tpl)] = (tpl, op, params)
                    continue
                rx = re.compile("^" + re.sub(r"\\\{([^}]+)\\\}", r"(?P<\1>[^/]+)",
                                             re.escape(tpl)) + "$")
                nlit = sum(1 for s in tpl.split("/") if s and "{" not in s)
                self._ops.setdefault(m.upper(), []).append((nlit, rx, tpl, op, params))
        for v in self._ops.values():
            v.sort(key=lambda t: -t[0])  # /tickets/queues before /tickets/{id}

    # ---- spec access
    def deref(self, obj):
        """Follows a component $ref (#/components/<kind>/<name>) of a non-schema object."""
        seen = 0
        while isinstance(obj, dict) and "$ref" in obj and seen < 10:
            ref = obj["$ref"]
            if not ref.startswith("#/"):
                raise ValueError("external $ref %s" % ref)
            node = self.spec
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            obj = node
            seen += 1
        return obj

    def inline(self, schema, stack=()):
        """schema with its #/components/schemas/ references replaced by their targets (a
        validator resolving a $ref on every instance is several times slower); a recursive
        reference stays a $ref, resolved inside the validator's root."""
        if isinstance(schema, list):
            return [self.inline(x, stack) for x in schema]
        if not isinstance(schema, dict):
            return schema
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            target = self.comps.get("schemas", {}).get(name)
            if target is not None and name not in stack:
                done = self._inlined.get(name)
                if done is None:
                    done = self.inline(target, stack + (name,))
                    if not stack:
                        self._inlined[name] = done
                rest = {k: v for k, v in schema.items() if k != "$ref"}
                return done if not rest else {"allOf": [done, self.inline(rest, stack)]}
            return schema
        return {k: (self.inline(v, stack) if k not in ("enum", "const", "examples", "example",
                                                       "default") else v)
                for k, v in schema.items()}

    def validator(self, schema):
        """A cached Draft 2020-12 validator for schema (references inlined; the root also holds
        components, so that a remaining #/components/schemas/... reference resolves in it)."""
        key = id(schema)
        v = self._validators.get(key)
        if v is None:
            root = self.inline(schema)
            root = dict(root) if isinstance(root, dict) else {"allOf": [root]}
            root["components"] = self.comps
            v = Draft202012Validator(root, format_checker=FORMATS)
            self._validators[key] = (v, schema)  # keep schema alive: its id is the key
            return v
        return v[0]

    def find(self, method, path):
        m = "GET" if method == "HEAD" else method
        hit = self._fixed.get((m, path))
        if hit:
            return hit + ({},)
        for _, rx, tpl, op, params in self._ops.get(m, ()):
            mt = rx.match(path)
            if mt:
                return tpl, op, params, mt.groupdict()
        return None

    # ---- checks
    def errors(self, schema, value, limit=3):
        """Up to `limit` messages 'at <pointer>: <what>' for value against schema."""
        fast = self._fast.get(id(schema))
        if fast is None:
            fast = (self._compiler.compile(schema), schema)
            self._fast[id(schema)] = fast
        if fast[0](value):
            return []
        out = []
        for err in self.validator(schema).iter_errors(value):
            if err.context:
                err = jsonschema.exceptions.best_match(err.context) or err
            kw = err.validator
            out.append("at %s: %s [%s]" % (_pointer(err.absolute_path), err.message[:300], kw))
            if len(out) >= limit:
                break
        return out

    @staticmethod
    def _coerce(raw, schema):
        """A path or query string as the JSON value its schema types (int, number, bool)."""
        types = schema.get("type", "string")
        types = types if isinstance(types, list) else [types]
        if "integer" in types and re.fullmatch(r"-?\d+", raw):
            return int(raw)
        if "number" in types and re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", raw):
            return float(raw)
        if "boolean" in types and raw in ("true", "false"):
            return raw == "true"
        return raw

    def _check_request(self, method, path, query, params, pathvals, headers, body, op):
        out = []
        for (where, name), p in params.items():
            sch = p.get("schema")
            if where == "path":
                raw = urllib.parse.unquote(pathvals.get(name, ""))
                vals = [raw]
            elif where == "query":
                vals = query.get(name)
                if not vals:
                    if p.get("required"):
                        out.append("query parameter %s is required" % name)
                    continue
            else:
                continue
            if not sch:
                continue
            for raw in vals:
                if sch.get("type") == "array":
                    v = [self._coerce(x, sch.get("items", {})) for x in raw.split(",")]
                else:
                    v = self._coerce(raw, sch)
                for e in self.errors(sch, v, 1):
                    out.append("%s parameter %s=%s: %s" % (where, name, _short(raw), e))
        rb = self.deref(op.get("requestBody")) if op.get("requestBody") else None
        media = _media(headers.get("content-type"))
        has_body = body is not None and len(body) > 0
        if not rb:
            if has_body:
                out.append("sends a body (%s), the operation takes none" % (media or "no type"))
            return out
        if not has_body:
            if rb.get("required"):
                out.append("the operation requires a body, none was sent")
            return out
        content = rb.get("content", {})
        key = _media_match(media, content)
        if key is None:
            out.append("request media type %r is not one of %s" % (media, sorted(content)))
            return out
        sch = (content[key] or {}).get("schema")
        if sch is None or not _is_json(media):
            return out
        try:
            doc = json.loads(bytes(body).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as ex:
            out.append("request body is not JSON (%s)" % ex)
            return out
        out += ["request body " + e for e in self.errors(sch, doc)]
        return out

    def _check_response(self, method, op, status, headers, body):
        responses = op.get("responses", {})
        resp = responses.get(str(status)) or responses.get("%dXX" % (status // 100)) \
            or responses.get("%dxx" % (status // 100)) or responses.get("default")
        if resp is None and status in HTTP_LAYER:
            err = self.comps.get("schemas", {}).get("Error")
            try:
                doc = json.loads(bytes(body).decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                return ["answer %d of the HTTP layer is not JSON" % status]
            return ["answer " + e for e in self.errors(err, doc)] if err else []
        if resp is None:
            return ["status %d is not documented (documented: %s)" % (
                status, ", ".join(sorted(str(k) for k in responses)))]
        resp = self.deref(resp)
        content = resp.get("content") or {}
        has_body = body is not None and len(body) > 0 and method != "HEAD"
        media = _media(headers.get("content-type"))
        if not content:
            if has_body:
                return ["answer has a body (%s), the documented %d has none" % (media or "no type",
                                                                             status)]
            return []
        if method == "HEAD" or status in (204, 304):
            return []
        key = _media_match(media, content)
        if key is None:
            return ["answer media type %r is not one of %s" % (media, sorted(content))]
        sch = (content[key] or {}).get("schema")
        if sch is None or not _is_json(media):
            return []
        try:
            doc = json.loads(bytes(body).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as ex:
            return ["answer body is not JSON (%s)" % ex]
        return ["answer " + e for e in self.errors(sch, doc)]

    def check(self, method, target, req_headers, req_body, status, resp_headers, resp_body,
              bad=False):
        """Validates one exchange; returns the list of violations it recorded."""
        t0 = time.perf_counter()
        try:
            return self._check(method, target, req_headers, req_body, status, resp_headers,
                               resp_body, bad)
        finally:
            dt = time.perf_counter() - t0
            with self.lock:
                self.seconds += dt

    def _check(self, method, target, req_headers, req_body, status, resp_headers, resp_body,
               bad):
        method = method.upper()
        u = urllib.parse.urlsplit(target)
        path = u.path
        if not IN_SCOPE.match(path):
            return []
        bad = bad or self._bad > 0
        rh = {k.lower(): v for k, v in (req_headers or {}).items()}
        ah = {k.lower(): v for k, v in (resp_headers or [])}
        hit = self.find(method, path)
        out = []
        if hit is None:
            with self.lock:
                self.responses += 1
            if not bad:
                out.append("%s %s: no operation in docs/openapi.yaml" % (method, path))
            elif status >= 400 and resp_body:
                # a route that does not exist: its 404/405 still has the documented error shape
                err = self.comps.get("schemas", {}).get("Error")
                try:
                    doc = json.loads(bytes(resp_body).decode("utf-8"))
                    if err is not None:
                        out += ["%s %s → %d: answer %s" % (method, path, status, e)
                                for e in self.errors(err, doc)]
                except (ValueError, UnicodeDecodeError):
                    out.append("%s %s → %d: error answer is not JSON" % (method, path, status))
        else:
            tpl, op, params, pathvals = hit
            name = "%s %s (%s)" % (method, tpl, op.get("operationId", "?"))
            query = urllib.parse.parse_qs(u.query, keep_blank_values=True)
            if not bad:
                out += ["%s: request %s" % (name, e) if not e.startswith("request") else
                        "%s: %s" % (name, e)
                        for e in self._check_request(method, path, query, params, pathvals, rh,
                                                     req_body, op)]
            out += ["%s → %d: %s" % (name, status, e)
                    for e in self._check_response(method, op, status, ah, resp_body)]
            with self.lock:
                self.requests += 0 if bad else 1
                self.responses += 1
        if out:
            with self.lock:
                self.violations += [(self.case, v) for v in out]
        return out

    @contextlib.contextmanager
    def bad_requests(self):
        """Requests sent inside are invalid on purpose: only their answers are validated."""
        with self.lock:
            self._bad += 1
        try:
            yield
        finally:
            with self.lock:
                self._bad -= 1

    def taken_since(self, n):
        with self.lock:
            return [v for _, v in self.violations[n:]]

    def summary(self):
        return "contract: %d requests, %d responses checked, %d violations" % (
            self.requests, self.responses, len(self.violations))


_current = None


def get():
    """The suite's one Contract (loaded on first use)."""
    global _current
    if _current is None:
        _current = Contract()
    return _current


def bad_requests():
    return get().bad_requests()


def invalid_requests(fn):
    """Decorates a case whose requests are invalid on purpose (bad-input tests): inside it
    only the answers are validated."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kw):
        with bad_requests():
            return fn(*args, **kw)
    return wrapper
