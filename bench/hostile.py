#!/usr/bin/env python3
"""Hostile clients (issue 10 items 1 and 2), measured on a server of its own:
 - 1,000 slow-header connections from 127.0.0.1 (one header byte per second, the default
   10 s head deadline): p99 of /healthz and of a signed-in GET /api/v1/tickets from the same
   address, target <= 200 ms each;
 - 1,000 parallel sign-ins with wrong passwords: the server's peak RSS, target <= 300 MB.
usage: bench/hostile.py BUILD_DIR   prints "key=value" lines for bench/run.sh."""
import os
import shutil
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "api"))

from harness import PASSWORD, Server  # noqa: E402
import test_auth2  # noqa: E402
import test_http  # noqa: E402


def main():
    binary = os.path.abspath(os.path.join(sys.argv[1], "shouhou"))
    work = tempfile.mkdtemp(prefix="shouhou-hostile-")
    srv = None
    try:
        db = "sqlite:" + os.path.join(work, "h.db")
        pw = os.path.join(work, "pw")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        srv = Server(binary, db, work, os.path.join(ROOT, "web"))
        srv.cli("init", "--db", db, "--admin", "admin", "--password-file", pw)
        tok = srv.cli("token", "create", "--user", "admin", "--db", db).stdout.decode() \
            .strip().splitlines()[-1].strip()
        srv.start()
        test_http.raise_nofile(test_http.SLOW_CONNS + 512)
        attack = test_http.Slowloris(srv.port, test_http.SLOW_CONNS)
        attack.start()
        try:
            sys.setswitchinterval(0.0005)
            hz, tk = test_http.measure(srv, tok, n=200)
        finally:
            sys.setswitchinterval(0.005)
            opened = len(attack.socks)
            attack.finish()
        print("slow_open=%d" % opened)
        print("slow_hz_p99=%.1f" % (test_http.p99(hz) * 1000))
        print("slow_tk_p99=%.1f" % (test_http.p99(tk) * 1000))
        time.sleep(1)
        codes, _, _ = test_auth2.flood(srv.port, 1000)
        print("flood_answered=%d" % sum(1 for c in codes.values() if c))
        print("flood_hwm_mb=%d" % test_auth2.vm(srv.proc.pid, "VmHWM"))
    finally:
        if srv and srv.proc:
            srv.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
