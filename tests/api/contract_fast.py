"""A fast yes/no check for the JSON Schema keywords docs/openapi.yaml uses.

jsonschema spends about a millisecond per object it descends into; the API suite's answers hold
tens of thousands of objects. compile(schema) returns a function that answers "valid?" in plain
Python for the common keywords, and hands any subschema with a keyword it does not know to
jsonschema itself. It never says valid where jsonschema would not: when it says invalid,
contract.py asks jsonschema for the messages, so what is reported is jsonschema's word.
"""
import re

# keywords that assert nothing here (annotations, OpenAPI's own, formats we do not assert)
ANNOTATIONS = {"description", "title", "readOnly", "writeOnly", "default", "example",
               "examples", "deprecated", "$comment", "discriminator", "xml", "externalDocs",
               "contentMediaType", "contentEncoding", "$schema", "$id"}


def _is_type(v, t):
    if t == "object":
        return isinstance(v, dict)
    if t == "array":
        return isinstance(v, list)
    if t == "string":
        return isinstance(v, str)
    if t == "boolean":
        return isinstance(v, bool)
    if t == "null":
        return v is None
    if isinstance(v, bool):
        return False
    if t == "integer":
        return isinstance(v, int) or (isinstance(v, float) and v.is_integer())
    if t == "number":
        return isinstance(v, (int, float))
    return False


class Compiler:
    def __init__(self, schemas, formats, slow):
        self.schemas = schemas    # components/schemas
        self.formats = formats    # {"date": fn, "date-time": fn}
        self.slow = slow          # subschema -> jsonschema is_valid function
        self.byref = {}

    def ref(self, name):
        fn = self.byref.get(name)
        if fn is None:
            box = []
            self.byref[name] = lambda v: box[0](v)  # recursion: filled below
            target = self.compile(self.schemas[name])
            box.append(target)
            self.byref[name] = target
            fn = target
        return fn

    def compile(self, s):
        if s is True or s == {}:
            return lambda v: True
        if s is False:
            return lambda v: False
        checks = []
        for k, val in s.items():
            if k in ANNOTATIONS or k.startswith("x-"):
                continue
            c = self.keyword(k, val, s)
            if c is None:  # a keyword this compiler does not know: jsonschema checks it all
                return self.slow(s)
            if c is not True:
                checks.append(c)
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(c(v) for c in checks)

    def keyword(self, k, val, s):
        if k == "$ref":
            if not val.startswith("#/components/schemas/"):
                return None
            name = val.rsplit("/", 1)[1]
            if name not in self.schemas:
                return None
            return lambda v: self.ref(name)(v)
        if k == "type":
            ts = val if isinstance(val, list) else [val]
            return lambda v: any(_is_type(v, t) for t in ts)
        if k == "enum":
            vals = list(val)
            return lambda v: any(v == x and type(v) is type(x) or
                                 (isinstance(v, (int, float)) and not isinstance(v, bool) and
                                  isinstance(x, (int, float)) and not isinstance(x, bool) and v == x)
                                 for x in vals)
        if k == "const":
            return lambda v: v == val and (isinstance(v, bool) == isinstance(val, bool))
        if k == "properties":
            props = [(n, self.compile(sub)) for n, sub in val.items()]
            return lambda v: not isinstance(v, dict) or all(
                n not in v or f(v[n]) for n, f in props)
        if k == "required":
            req = list(val)
            return lambda v: not isinstance(v, dict) or all(n in v for n in req)
        if k == "additionalProperties":
            if "patternProperties" in s:
                return None
            known = set(s.get("properties", {}))
            if val is False:
                return lambda v: not isinstance(v, dict) or all(n in known for n in v)
            if val is True:
                return True
            f = self.compile(val)
            return lambda v: not isinstance(v, dict) or all(
                f(x) for n, x in v.items() if n not in known)
        if k == "items":
            if not isinstance(val, dict):
                return None
            f = self.compile(val)
            return lambda v: not isinstance(v, list) or all(f(x) for x in v)
        if k in ("maxLength", "minLength"):
            lim = val
            if k == "maxLength":
                return lambda v: not isinstance(v, str) or len(v) <= lim
            return lambda v: not isinstance(v, str) or len(v) >= lim
        if k in ("maxItems", "minItems"):
            lim = val
            if k == "maxItems":
                return lambda v: not isinstance(v, list) or len(v) <= lim
            return lambda v: not isinstance(v, list) or len(v) >= lim
        if k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            op = {"minimum": lambda a: a >= val, "maximum": lambda a: a <= val,
                  "exclusiveMinimum": lambda a: a > val, "exclusiveMaximum": lambda a: a < val}[k]
            return lambda v: not isinstance(v, (int, float)) or isinstance(v, bool) or op(v)
        if k == "pattern":
            rx = re.compile(val)
            return lambda v: not isinstance(v, str) or rx.search(v) is not None
        if k == "format":
            f = self.formats.get(val)
            return f if f else True
        if k in ("allOf", "anyOf", "oneOf"):
            fs = [self.compile(x) for x in val]
            if k == "allOf":
                return lambda v: all(f(v) for f in fs)
            if k == "anyOf":
                return lambda v: any(f(v) for f in fs)
            return lambda v: sum(1 for f in fs if f(v)) == 1
        if k == "not":
            f = self.compile(val)
            return lambda v: not f(v)
        return None
