"""Test harness for the Shouhou API suite: server process, HTTP client, case runner.

Python 3 standard library, plus PyYAML and jsonschema for the contract check (contract.py):
every request sent through Server.request and its answer are validated against
docs/openapi.yaml; pass bad=True (or use `with contract.bad_requests():`) for a request that is
invalid on purpose, so that only its answer is validated.
"""
import http.client
import json
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import uuid

import contract

ROLES = ["admin", "gm", "dept_head", "agent", "sales", "finance", "logistics", "warehouse",
         "dispatcher", "technician", "qc", "purchasing", "customer", "dealer"]
PASSWORD = "Test-Passw0rd-2026"
# `make asan` and `make tsan` run this suite too (.ci/run: beside make check): a sanitizer
# build is 5-20 times slower and its memory is shadowed, so cases that measure time or memory
# check less there, and a rule matrix that the plain build runs in full is sampled there
SANITIZED = bool(os.environ.get("ASAN_OPTIONS") or os.environ.get("TSAN_OPTIONS"))


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def short(b, n=200):
    if isinstance(b, (bytes, bytearray)):
        b = b[:n].decode("utf-8", "replace")
    s = str(b)
    return s if len(s) <= n else s[:n] + "…"


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body
        self._json = None

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    def headers_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def json(self):
        if self._json is None:
            try:
                self._json = json.loads(self.body.decode("utf-8"))
            except Exception:
                self._json = False
        return self._json if self._json is not False else None

    def err_field(self):
        j = self.json
        if isinstance(j, dict) and isinstance(j.get("error"), dict):
            return j["error"].get("field")
        return None

    def is_error_body(self):
        j = self.json
        return (isinstance(j, dict) and isinstance(j.get("error"), dict)
                and isinstance(j["error"].get("code"), str)
                and isinstance(j["error"].get("message"), str))

    def __repr__(self):
        return "%d %s" % (self.status, short(self.body))


# Every hash the suite makes (servers, CLI runs) uses argon2id at OWASP's floor, 19 MiB instead
# of the default 64: the same code at a third of the CPU, which was a third of the suite's.
# The default and the floor are unit-tested (tests/unit/api/test_password.c); test_auth2
# checks that the setting reaches a server's stored hashes.
os.environ["SHOUHOU_PASSWORD_HASH_MEMORY_MIB"] = "19"

# Every test call comes from 127.0.0.1: the public QR report's abuse limits are raised for
# the suite (test_public.py checks them on a server of its own with the defaults).
PUBLIC_LIMITS = {"SHOUHOU_PUBLIC_LOOKUPS_PER_MINUTE": "1000000",
                 "SHOUHOU_PUBLIC_REPORTS_PER_HOUR": "1000000",
                 "SHOUHOU_PUBLIC_REPORTS_PER_UNIT_DAY": "1000000"}


class Server:
    """The real binary on a free port (--listen 127.0.0.1:0 --port-file)."""

    def __init__(self, binary, db_url, workdir, web_root):
        self.binary = binary
        self.db_url = db_url
        self.workdir = workdir
        self.web_root = web_root
        self.proc = None
        self.port = None
        self.nstarts = 0
        self.env = {}       # extra environment for the server, e.g. SHOUHOU_SLA_SCAN_SECONDS
        self.listen = "127.0.0.1:0"  # a fixed port keeps it across restarts (a load balancer's)

    def cli(self, *args, stdin=None, check_rc=True):
        p = subprocess.run([self.binary] + list(args), input=stdin, capture_output=True,
                           timeout=60)
        if check_rc and p.returncode != 0:
            raise Fail("shouhou %s exited %d: %s" % (" ".join(args[:2]), p.returncode,
                                                    short(p.stderr, 400)))
        return p

    def start(self):
        self.nstarts += 1
        pf = os.path.join(self.workdir, "port.%d" % self.nstarts)
        self.log = open(os.path.join(self.workdir, "serve.%d.log" % self.nstarts), "wb")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--db", self.db_url, "--listen", self.listen,
             "--port-file", pf, "--web-root", self.web_root],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=self.workdir,  # data_dir "data"
            env={**os.environ, **PUBLIC_LIMITS, **self.env})
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise Fail("server exited %d at start-up (log %s)" % (self.proc.returncode,
                                                                    self.log.name))
            try:
                with open(pf) as f:
                    txt = f.read().strip()
                if txt:
                    self.port = int(txt)
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.02)
        else:
            raise Fail("server did not write its port file")
        while time.time() < deadline:
            try:
                r = self.request("GET", "/healthz")
                if r.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise Fail("server not healthy after start")

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if not self.proc:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            rc = ("timeout", rc)
        self.proc = None
        self.log.close()
        return rc

    def restart(self, env):
        """Stops the server and starts it again with `env` added to its environment for this
        start only (a later restart({}) goes back to the suite's own)."""
        self.stop()
        saved = dict(self.env)
        self.env.update(env)
        try:
            self.start()
        finally:
            self.env = saved

    # ---- HTTP ----
    def request(self, method, path, body=None, token=None, headers=None, cookie=None,
                timeout=30, source=None, bad=False):
        """source: a loopback address to send from (127.x.y.z), e.g. for sign-in limits.
        bad: the request is invalid on purpose (the contract check validates only the answer)."""
        h = {}
        if token:
            h["Authorization"] = "Bearer " + token
        if cookie:
            h["Cookie"] = cookie
        data = None
        if body is not None:
            if isinstance(body, (bytes, bytearray)):
                data = bytes(body)
            else:
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h["Content-Type"] = "application/json"
        if headers:
            h.update(headers)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                          source_address=(source, 0) if source else None)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for k, v in h.items():
                conn.putheader(k, v)
            if data is not None or method in ("POST", "PATCH", "PUT"):
                conn.putheader("Content-Length", str(len(data or b"")))
            conn.endheaders(data)
            r = conn.getresponse()
            b = r.read()
            resp = Resp(r.status, r.getheaders(), b)
        finally:
            conn.close()
        contract.get().check(method, path, h, data, resp.status, resp.headers, b, bad=bad)
        return resp

    def big_body(self, method, path, token, size):
        """Announces and streams `size` bytes; returns (status or None, healthy-after)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        status = None
        try:
            hdr = ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                   "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                   % (method, path, token, size)).encode()
            s.sendall(hdr)
            chunk = b"{" + b" " * ((1 << 20) - 1)
            sent = 0
            try:
                while sent < size:
                    n = min(len(chunk), size - sent)
                    s.sendall(chunk[:n])
                    sent += n
            except OSError:
                pass
            s.settimeout(10)
            buf = b""
            try:
                while b"\r\n" not in buf:
                    d = s.recv(4096)
                    if not d:
                        break
                    buf += d
            except OSError:
                pass
            m = re.match(rb"HTTP/1\.[01] (\d{3})", buf)
            if m:
                status = int(m.group(1))
        finally:
            s.close()
        return status


class Api:
    """Convenience wrapper: server + a token."""

    def __init__(self, srv, token):
        self.srv = srv
        self.token = token

    def get(self, path, **kw):
        return self.srv.request("GET", path, token=self.token, **kw)

    def post(self, path, body, **kw):
        return self.srv.request("POST", path, body=body, token=self.token, **kw)

    def patch(self, path, body, **kw):
        return self.srv.request("PATCH", path, body=body, token=self.token, **kw)

    def delete(self, path, **kw):
        return self.srv.request("DELETE", path, token=self.token, **kw)


def expect(r, status, what):
    if isinstance(status, int):
        status = (status,)
    if r.status not in status:
        raise Fail("%s: expected %s, got %d %s" % (what, "/".join(map(str, status)), r.status,
                                                  short(r.body, 300)))
    return r


class report_guard_off:
    """with report_guard_off(ctx): a resolve from on site without a signed service report
    (issue 11 item 5: the report guard is on by default; tests about other rules switch it
    off around their resolve)."""

    def __init__(self, ctx):
        self.ctx = ctx

    def __enter__(self):
        expect(self.ctx.api("admin").patch("/api/v1/settings", {"report_before_resolve": False}),
               200, "report guard off")

    def __exit__(self, *exc):
        expect(self.ctx.api("admin").patch("/api/v1/settings", {"report_before_resolve": True}),
               200, "report guard on")
        return False


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on (for a second server, a proxy), below
    the kernel's ephemeral range: a port the kernel hands out (bind to port 0) may be taken
    again for another process's outgoing connection before the server binds it, which CI's
    suites side by side did (nginx: "Address already in use")."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    rnd = random.Random()
    for _ in range(200):
        port = rnd.randrange(max(1024, low - 12000), low)
        with socket.socket() as so:
            try:
                so.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise Fail("no free port below %d" % low)


def concurrently(fn, n, timeout=60):
    """Calls fn(0) … fn(n - 1), each in a thread of its own, all at once; returns when every
    one has returned (or `timeout` seconds per thread have passed)."""
    ts = [threading.Thread(target=fn, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout)


def uniq(prefix=""):
    return prefix + uuid.uuid4().hex[:10]


def tech2(ctx):
    """A second technician with a token of their own, made once per run (ctx.tok["tech2"],
    ctx.uid["tech2"]): the work-order and checklist cases share it."""
    if "tech2" in ctx.tok:
        return
    srv = ctx.srv
    name = "u_tech2_" + uniq()[:6]
    pw = os.path.join(srv.workdir, "pw")
    srv.cli("user", "add", name, "--roles", "technician", "--password-file", pw, "--db",
            srv.db_url)
    p = srv.cli("token", "create", "--user", name, "--db", srv.db_url)
    ctx.tok["tech2"] = p.stdout.decode().strip().splitlines()[-1].strip()
    r = expect(ctx.api("tech2").get("/api/v1/session"), 200, "tech2 session")
    ctx.uid["tech2"] = int(r.json["user"]["id"])


def proc_cpu(pid):
    """utime + stime of a running process (or "PID/task/TID": one thread), in seconds."""
    with open("/proc/%s/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def threads_cpu(pid):
    """{"name/tid": CPU seconds} of each thread of a running process (/proc/<pid>/task)."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                name = f.read().strip()
            out["%s/%s" % (name, tid)] = proc_cpu("%d/task/%s" % (pid, tid))
        except (OSError, IndexError, ValueError):
            pass
    return out


def cpu_spent(srv=None):
    """CPU used so far by this client, the processes it has waited for (CLI runs, stopped
    servers) and srv's running server, if any. PostgreSQL's backends are not counted."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    t = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    proc = getattr(srv, "proc", None)
    if proc is not None and proc.poll() is None:
        try:
            t += proc_cpu(proc.pid)
        except (OSError, IndexError, ValueError):
            pass
    return t


class Runner:
    def __init__(self, label):
        self.label = label
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.srv = None  # the suite's main server: its CPU is charged to the running case
        self.costs = []  # (cpu s, wall s, case) of every case

    def _cost_begin(self):
        return cpu_spent(self.srv), time.time()

    def _cost_end(self, name, c0):
        self.costs.append((cpu_spent(self.srv) - c0[0], time.time() - c0[1], name))

    def cost_summary(self, n=12):
        """The n cases that cost the most CPU (client, servers, CLI): where CI's time goes."""
        total = sum(c for c, _, _ in self.costs)
        print("# cpu by case: %.1f s over %d cases; the costliest:" % (total, len(self.costs)))
        for c, w, name in sorted(self.costs, reverse=True)[:n]:
            print("#   %6.1f s cpu %6.1f s wall  %s" % (c, w, name[:90]))
        # SH_API_COSTS=FILE: every case's cost, tab-separated, for a closer look
        path = os.environ.get("SH_API_COSTS")
        if path:
            with open(path, "w", encoding="utf-8") as f:
                for c, w, name in self.costs:
                    f.write("%.3f\t%.3f\t%s\n" % (c, w, name))

    def ok(self, name):
        self.passed += 1
        print("ok - %s" % name, flush=True)

    def fail(self, name, why):
        self.failed += 1
        why = " ".join(str(why).split())
        print("FAIL - %s: %s" % (name, why[:3000]), flush=True)

    @staticmethod
    def _contract_begin(name):
        c = contract.get()
        c.case = name
        return len(c.violations)

    @staticmethod
    def _contract_problems(n0):
        v = contract.get().taken_since(n0)
        if not v:
            return []
        return ["contract: " + x for x in v[:8]] + (
            ["contract: +%d more violations" % (len(v) - 8)] if len(v) > 8 else [])

    def single(self, name, fn, *args):
        """run(), but left out of SH_API_SUBSET=threaded (CI's ThreadSanitizer run): a case of
        a threaded module that runs one thread of the server at a time (the CLI, settings
        read at start-up), whose code the whole suite runs under ASan and on both databases."""
        if os.environ.get("SH_API_SUBSET", "") == "threaded":
            return True
        return self.run(name, fn, *args)

    def run(self, name, fn, *args):
        c0 = self._cost_begin()
        try:
            return self._run(name, fn, *args)
        finally:
            self._cost_end(name, c0)

    def _run(self, name, fn, *args):
        t0 = time.time()
        n0 = self._contract_begin(name)
        try:
            fn(*args)
            cp = self._contract_problems(n0)
            if cp:
                raise Fail("; ".join(cp))
        except Fail as e:
            cp = self._contract_problems(n0)
            self.fail(name, str(e) + ("" if str(e).startswith("contract: ") or not cp
                                      else " (and " + "; ".join(cp) + ")"))
            return False
        except Exception as e:  # a crash in the test itself is a failure too
            tb = traceback.format_exc().strip().splitlines()
            self.fail(name, "%s: %s (%s)" % (type(e).__name__, e, " | ".join(tb[-3:])))
            return False
        dt = time.time() - t0
        if dt > 10:
            print("# %s took %.1f s" % (name, dt), flush=True)
        self.ok(name)
        return True

    def multi(self, name, fn, *args):
        """fn returns a list of problems; each is reported; one line per case."""
        c0 = self._cost_begin()
        try:
            self._multi(name, fn, *args)
        finally:
            self._cost_end(name, c0)

    def _multi(self, name, fn, *args):
        problems = []
        n0 = self._contract_begin(name)
        try:
            problems = fn(*args) or []
        except Fail as e:
            problems.append(str(e))
        except Exception as e:
            tb = traceback.format_exc().strip().splitlines()
            problems.append("%s: %s (%s)" % (type(e).__name__, e, " | ".join(tb[-3:])))
        problems = list(problems) + self._contract_problems(n0)
        if problems:
            self.fail(name, "; ".join(problems[:12]) +
                      (" (+%d more)" % (len(problems) - 12) if len(problems) > 12 else ""))
        else:
            self.ok(name)

    def contract_summary(self):
        """Prints "contract: N requests, M responses checked, K violations"; a violation not
        already charged to a case (none should be) fails the run here."""
        c = contract.get()
        print("# contract: %.1f s spent checking" % c.seconds)
        print(c.summary(), flush=True)
        dump = os.environ.get("SHOUHOU_CONTRACT_DUMP")
        if dump:  # every violation with its case, one per line
            with open(dump, "w", encoding="utf-8") as f:
                for case, v in c.violations:
                    f.write("%s\t%s\n" % (case, v))
        if c.violations and not self.failed:
            self.fail("contract", "; ".join(v for _, v in c.violations[:8]))
        return c
