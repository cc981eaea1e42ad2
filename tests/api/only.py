"""Run one API test module against a fresh server, for quick work on one capability.

usage: python3 tests/api/only.py BUILD_DIR sqlite|pg test_module
(pg needs SHOUHOU_TEST_PG). `make check` runs every module through test_api.py; this is a
developer's shortcut and proves nothing on its own.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_api as T  # noqa: E402
from harness import Runner, Server  # noqa: E402


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in ("sqlite", "pg"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, mod = sys.argv[2], sys.argv[3]
    binary = os.path.abspath(os.path.join(sys.argv[1], "shouhou"))
    runner = Runner("only-" + mode)
    workdir = tempfile.mkdtemp(prefix="shouhou-only-")
    shutil.copy2(binary, os.path.join(workdir, "shouhou"))
    binary = os.path.join(workdir, "shouhou")
    name = None
    if mode == "pg":
        dsn = os.environ["SHOUHOU_TEST_PG"]
        name, dbu = T.pg_setup(dsn)
    else:
        dbu = "sqlite:" + os.path.join(workdir, "test.db")
    srv = Server(binary, dbu, workdir, os.path.join(T.ROOT, "web"))
    srv.env = {"SHOUHOU_SLA_SCAN_SECONDS": "1"}
    ctx = T.Ctx(srv)
    try:
        if runner.run("setup", T.setup, ctx, dbu):
            __import__(mod).run(ctx, runner)
    finally:
        srv.stop()
        if name:
            T.pg_drop(dsn, name)
    print("%s: %d passed, %d failed" % (runner.label, runner.passed, runner.failed))
    return 1 if runner.failed else 0


if __name__ == "__main__":
    sys.exit(main())
