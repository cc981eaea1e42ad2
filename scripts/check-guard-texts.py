#!/usr/bin/env python3
"""Every guard the server can name in a refusal has its words in both UI catalogues.

usage: scripts/check-guard-texts.py      (make check runs it; no build needed)
Last line: "guard-texts: N passed, N failed".

A refusal with reason `guard` names the rule in params.guard ("quote", "self_check", ...); the
web UI shows err.guard.<name> of web/i18n/<lang>.json (web/js/views/common.js reasonText), so a
name without a text falls back to a vague "conflict". The names are read where the C code
declares them, so no list is kept by hand:
  * every JSON literal \\"guard\\":\\"<name>\\" in src/ (the params of sh_err_reason);
  * the ticket guards of src/domain/ticket.c: its guard_table rows {TG_..., "<name>", ...} and
    the names its refuse() calls pass (the params format there is \\"guard\\":\\"%s\\").
A guard name built at run time anywhere else (\\"guard\\":\\"%s\\") fails the check: the check
cannot read it, so declare the names as literals or in a table read here.

Likewise every task kind of task_kinds[] in src/app/tasks.c (uc_task_create refuses any other)
has task.kind.<kind> in both catalogues (the task lists name a task by it).

Checked too: err.reason.guard and err.reason.illegal_action (a refusal without a known name),
the two catalogues have the same keys, a Chinese text is Chinese, and no array literal of web/js
lists guard names (the UI builds the key from params.guard, it keeps no list).
"""
import glob
import json
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
LANGS = ("zh-CN", "en")
RUNTIME_OK = {"src/domain/ticket.c"}  # its names: guard_table and the refuse() calls below

LITERAL = re.compile(r'\\"guard\\":\\"([A-Za-z0-9_]+)\\"')
RUNTIME = re.compile(r'\\"guard\\":\\"%s\\"')
TABLE_ROW = re.compile(r'\{\s*TG_[A-Z_]+\s*,\s*"([a-z0-9_]+)"')
REFUSE = re.compile(r'\brefuse\(\s*\w+\s*,\s*SH_\w+\s*,\s*(?:NULL|"\w+")\s*,\s*"([a-z0-9_]+)"')
JS_LIST = re.compile(r"\[\s*((?:'[^'\n]*'\s*,\s*)+'[^'\n]*')\s*,?\s*\]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def guard_names():
    """{name: [where]} of every guard name in src/, and the files that build one at run time."""
    names, runtime = {}, []
    for path in sorted(glob.glob(os.path.join(ROOT, "src", "**", "*.c"), recursive=True)):
        rel = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        found = LITERAL.findall(text)
        if rel in RUNTIME_OK:
            found += TABLE_ROW.findall(text) + REFUSE.findall(text)
        elif RUNTIME.search(text):
            runtime.append(rel)
        for n in found:
            names.setdefault(n, []).append(rel)
    return names, runtime


def task_kinds():
    """The kinds of the task_kinds[] declaration in src/app/tasks.c."""
    with open(os.path.join(ROOT, "src", "app", "tasks.c"), encoding="utf-8") as f:
        m = re.search(r"task_kinds\[\] = \{(.*?)\};", f.read(), re.S)
    return re.findall(r'"([a-z0-9_]+)"', m.group(1)) if m else []


def js_copies(names):
    """Array literals of web/js whose items are all guard names (three or more)."""
    bad = []
    for path in sorted(glob.glob(os.path.join(ROOT, "web", "js", "**", "*.js"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in JS_LIST.finditer(text):
            items = re.findall(r"'([^'\n]*)'", m.group(1))
            if len(items) >= 3 and all(i in names for i in items):
                bad.append("%s:%d: %s" % (os.path.relpath(path, ROOT),
                                          text.count("\n", 0, m.start()) + 1, m.group(0)))
    return bad


def main():
    cats = {}
    for lang in LANGS:
        with open(os.path.join(ROOT, "web", "i18n", lang + ".json"), encoding="utf-8") as f:
            cats[lang] = json.load(f)
    names, runtime = guard_names()
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL - " + what)

    check(len(names) >= 20 and "quote" in names and "self_check" in names,
          "the guard names were not found in src/ (%d: %s)" % (len(names), sorted(names)))
    check(not runtime, "a guard name built at run time (\\\"guard\\\":\\\"%%s\\\") in %s: "
          "this check cannot read it" % ", ".join(runtime))
    for name in sorted(names):
        for lang in LANGS:
            text = cats[lang].get("err.guard." + name)
            check(isinstance(text, str) and text.strip(),
                  "web/i18n/%s.json has no err.guard.%s (sent by %s)" %
                  (lang, name, ", ".join(sorted(set(names[name])))))
            if lang == "zh-CN" and isinstance(text, str):
                check(CJK.search(text), "err.guard.%s in zh-CN is not Chinese: %r" % (name, text))
    kinds = task_kinds()
    check(len(kinds) >= 10 and "survey_follow_up" in kinds,
          "task_kinds[] was not found in src/app/tasks.c (%s)" % kinds)
    for kind in kinds:
        for lang in LANGS:
            text = cats[lang].get("task.kind." + kind)
            check(isinstance(text, str) and text.strip(),
                  "web/i18n/%s.json has no task.kind.%s (src/app/tasks.c task_kinds)" % (lang, kind))
    for key in ("err.reason.guard", "err.reason.illegal_action"):
        for lang in LANGS:
            check(isinstance(cats[lang].get(key), str), "web/i18n/%s.json has no %s" % (lang, key))
    only = {lang: sorted(set(cats[lang]) - set(cats[o])) for lang, o in (LANGS, LANGS[::-1])}
    for lang in LANGS:
        check(not only[lang], "keys only in %s.json: %s" % (lang, only[lang][:20]))
    copies = js_copies(names)
    check(not copies, "web/js lists guard names (build the key from params.guard):\n  " +
          "\n  ".join(copies))
    print("guard-texts: %d names from src/" % len(names))
    print("guard-texts: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
