"""Reads the route table (src/api/routes.c) and the role sets (src/api/policy.h,
src/domain/roles.h) so the authorization matrix follows the code, not a copy."""
import re

from harness import ROLES


def _strip_comments(s):
    s = re.sub(r"/\*.*?\*/", " ", s, flags=re.S)
    return re.sub(r"//[^\n]*", " ", s)


def _defines(text):
    out = {}
    text = _strip_comments(text).replace("\\\n", " ")
    for m in re.finditer(r"^\s*#define\s+(\w+)(\([^)]*\))?\s+(.*)$", text, flags=re.M):
        if m.group(2):
            continue  # function-like macros (RB) are handled by the evaluator
        out[m.group(1)] = m.group(3).strip()
    return out


class RoleEval:
    def __init__(self, root):
        self.defs = {}
        for f in ("src/domain/roles.h", "src/api/policy.h"):
            with open(root + "/" + f, encoding="utf-8") as fh:
                self.defs.update(_defines(fh.read()))

    def eval(self, expr, depth=0):
        if depth > 20:
            raise ValueError("macro recursion in %r" % expr)
        e = expr
        e = re.sub(r"RB\((\w+)\)", lambda m: "(1<<%d)" % ROLES.index(m.group(1).lower()), e)
        e = re.sub(r"\b(\d+)u\b", r"\1", e)
        e = e.replace("ROLE_COUNT", str(len(ROLES)))

        def sub(m):
            name = m.group(0)
            if name in self.defs:
                return "(%d)" % self.eval(self.defs[name], depth + 1)
            raise ValueError("unknown name %s in %r" % (name, expr))
        e = re.sub(r"\b[A-Za-z_]\w*\b", sub, e)
        v = eval(e, {"__builtins__": {}}, {})  # only digits and operators remain
        return v & ((1 << len(ROLES)) - 1)

    def roles(self, expr):
        mask = self.eval(expr)
        return {r for i, r in enumerate(ROLES) if mask & (1 << i)}


def _split_args(s):
    """Splits a C argument list at top-level commas."""
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def _balanced(s, i):
    """s[i] is an opening bracket; returns the index after its match."""
    depth = 0
    for j in range(i, len(s)):
        if s[j] in "({":
            depth += 1
        elif s[j] in ")}":
            depth -= 1
            if depth == 0:
                return j + 1
    raise ValueError("unbalanced")


def load_routes(root):
    """[(method, pattern, roles:set, public:bool, entity_symbol)]"""
    ev = RoleEval(root)
    with open(root + "/src/api/routes.c", encoding="utf-8") as fh:
        text = _strip_comments(fh.read())
    start = text.index("api_routes[] =")
    body_start = text.index("{", start)
    body = text[body_start + 1:_balanced(text, body_start) - 1]
    routes = []
    i = 0
    while i < len(body):
        if body.startswith("CRUD(", i):
            end = _balanced(body, i + 4)
            a = _split_args(body[i + 5:end - 1])
            path = a[0].strip('"')
            ent = a[1]
            rd, wr, de = ev.roles(a[2]), ev.roles(a[3]), ev.roles(a[4])
            base = "/api/v1/" + path
            routes += [("GET", base, rd, False, ent), ("POST", base, wr, False, ent),
                       ("GET", base + "/{id}", rd, False, ent),
                       ("PATCH", base + "/{id}", wr, False, ent),
                       ("DELETE", base + "/{id}", de, False, ent)]
            i = end
        elif body[i] == "{":
            end = _balanced(body, i)
            a = _split_args(body[i + 1:end - 1])
            method, pattern = a[0].strip('"'), a[1].strip('"')
            routes.append((method, pattern, ev.roles(a[3]), "ROUTE_PUBLIC" in a[4],
                           a[5] if len(a) > 5 else "NULL"))
            i = end
        else:
            i += 1
    return routes


def post_idempotency(root):
    """[(pattern, honours)] of every POST route: honours the Idempotency-Key (replays a
    retry) when its handler is the entity create (CRUD, ent_create) or it has ROUTE_IDEM."""
    with open(root + "/src/api/routes.c", encoding="utf-8") as fh:
        text = _strip_comments(fh.read())
    start = text.index("api_routes[] =")
    body_start = text.index("{", start)
    body = text[body_start + 1:_balanced(text, body_start) - 1]
    out = []
    i = 0
    while i < len(body):
        if body.startswith("CRUD(", i):
            end = _balanced(body, i + 4)
            a = _split_args(body[i + 5:end - 1])
            out.append(("/api/v1/" + a[0].strip('"'), True))
            i = end
        elif body[i] == "{":
            end = _balanced(body, i)
            a = _split_args(body[i + 1:end - 1])
            if a[0].strip('"') == "POST":
                out.append((a[1].strip('"'), a[2] == "ent_create" or "ROUTE_IDEM" in a[4]))
            i = end
        else:
            i += 1
    return out
