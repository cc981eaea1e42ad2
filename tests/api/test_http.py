"""The HTTP layer: slow clients (1,000 trickling connections from one address), the request-head
deadline, the minimum body rate (408 JSON), error headers (no-store, HSTS), invalid UTF-8 in the
path and query, keep-alive, single Cache-Control on attachments."""
import json
import os
import re
import resource
import select
import socket
import sys
import threading
import time

import contract
from harness import PASSWORD, check, expect, uniq

HEAD_TIMEOUT = 3      # s, the server of the slow-client cases runs with this deadline
BODY_MIN_RATE = 200   # bytes/s
SLOW_CONNS = 1000
# a sanitizer build (make asan / make tsan) is 5-20 times slower: its timings mean nothing, so
# there only the behaviour is checked (every request answered, the slow connections closed)
SANITIZER = bool(os.environ.get("TSAN_OPTIONS") or os.environ.get("ASAN_OPTIONS"))
P99_LIMIT = 0.2

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]


class Slowloris:
    """SLOW_CONNS connections from 127.0.0.1, each sending a request line and then one header
    byte per second; a connection the server closes is replaced. Records how long the server
    let each connection live."""

    def __init__(self, port, n):
        self.port, self.n = port, n
        self.socks = {}          # fd -> [socket, opened_at, next_send_at]
        self.lifetimes = []      # seconds, of connections the server closed
        self.refused = 0
        self.stop = threading.Event()
        self.t = threading.Thread(target=self.loop, daemon=True)

    def open_one(self, now, stagger=0.0):
        try:
            s = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            s.setblocking(False)
            s.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        except OSError:
            self.refused += 1
            return
        self.socks[s.fileno()] = [s, now, now + 1.0 + stagger]

    def closed(self, fd, now):
        s, opened, _ = self.socks.pop(fd)
        self.lifetimes.append(now - opened)
        s.close()

    def start(self):
        now = time.monotonic()
        for i in range(self.n):
            self.open_one(now, stagger=(i % 10) / 10.0)
        self.t.start()

    def loop(self):
        poller = select.poll()
        registered = set()
        while not self.stop.is_set():
            for fd in list(self.socks):
                if fd not in registered:
                    poller.register(fd, select.POLLIN)
                    registered.add(fd)
            now = time.monotonic()
            for fd, _ in poller.poll(100):
                if fd not in self.socks:
                    continue
                try:
                    gone = self.socks[fd][0].recv(4096) == b""
                except BlockingIOError:
                    gone = False
                except OSError:
                    gone = True
                if gone:
                    poller.unregister(fd)
                    registered.discard(fd)
                    self.closed(fd, time.monotonic())
            now = time.monotonic()
            for fd, ent in list(self.socks.items()):
                if now >= ent[2]:
                    ent[2] = now + 1.0
                    try:
                        ent[0].send(b"X")
                    except OSError:
                        if fd in registered:
                            poller.unregister(fd)
                            registered.discard(fd)
                        self.closed(fd, now)
            if not self.stop.is_set():
                while len(self.socks) < self.n and not self.stop.is_set():
                    self.open_one(time.monotonic())
                    if self.refused > 5 * self.n:
                        break

    def finish(self):
        self.stop.set()
        self.t.join(10)
        for s, _, _ in self.socks.values():
            s.close()
        self.socks.clear()


def raise_nofile(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = n if hard == resource.RLIM_INFINITY else min(n, hard)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def measure(s, tok, n=100):
    """n timed requests each of /healthz and a signed-in ticket list, new connection each."""
    hz, tk = [], []
    for i in range(n):
        t = time.monotonic()
        expect(s.request("GET", "/healthz", timeout=10), 200, "healthz under attack")
        hz.append(time.monotonic() - t)
        t = time.monotonic()
        r = expect(s.request("GET", "/api/v1/tickets?limit=20", token=tok, timeout=10), 200,
                   "tickets under attack")
        tk.append(time.monotonic() - t)
        check(isinstance(r.json.get("items"), list), "ticket list: %r" % r)
    return hz, tk


def case_slow_clients(ctx):
    s = ctx.srv
    tok = ctx.tok["agent"]
    check(raise_nofile(SLOW_CONNS + 512) >= SLOW_CONNS + 200, "the test needs more descriptors")
    attack = Slowloris(s.port, SLOW_CONNS)
    t0 = time.monotonic()
    attack.start()
    try:
        check(len(attack.socks) >= SLOW_CONNS * 0.95,
              "only %d slow connections opened (%d refused)" % (len(attack.socks), attack.refused))
        # the attacker is a thread of this process: let the measuring thread have the GIL soon
        sys.setswitchinterval(0.0005)
        rounds = []
        # a second round of samples only when the first one misses (a busy shared machine)
        for _ in range(2):
            hz, tk = measure(s, tok)
            rounds.append((max(p99(hz), p99(tk)), hz, tk))
            if rounds[-1][0] <= P99_LIMIT or SANITIZER:
                break
        _, hz, tk = min(rounds, key=lambda x: x[0])
        load = os.getloadavg()[0]
        # the attack goes on until every first-generation connection met the head deadline
        while time.monotonic() - t0 < HEAD_TIMEOUT + 3.0:
            time.sleep(0.2)
        open_now = len(attack.socks)
    finally:
        sys.setswitchinterval(0.005)
        attack.finish()
    ms = lambda x: round(x * 1000, 1)
    print("# slow clients: %d open, healthz p99 %.1f ms (max %.1f), tickets p99 %.1f ms "
          "(max %.1f), %d round(s), %d closed by the server, lifetime %.1f..%.1f s, load %s"
          % (SLOW_CONNS, ms(p99(hz)), ms(max(hz)), ms(p99(tk)), ms(max(tk)), len(rounds),
             len(attack.lifetimes), min(attack.lifetimes or [0]), max(attack.lifetimes or [0]),
             load))
    # more than 6 runnable tasks per core: every process waits for a CPU, whatever it does;
    # the answers and the deadlines are still checked (the old server refused the requests)
    overloaded = load > 6 * (os.cpu_count() or 1)
    if overloaded and max(p99(hz), p99(tk)) > P99_LIMIT:
        print("# slow clients: p99 not asserted, the machine is overloaded (load %.1f)" % load)
    timing = not (SANITIZER or overloaded)
    check(not timing or p99(hz) <= P99_LIMIT, "healthz p99 %.0f ms > %.0f ms (load %.1f)"
          % (ms(p99(hz)), ms(P99_LIMIT), load))
    check(not timing or p99(tk) <= P99_LIMIT,
          "GET /api/v1/tickets p99 %.0f ms > %.0f ms (load %.1f)" % (ms(p99(tk)), ms(P99_LIMIT), load))
    # every slow connection of the first round was closed by the head deadline, none early
    check(len(attack.lifetimes) >= SLOW_CONNS, "only %d of %d slow connections were closed"
          % (len(attack.lifetimes), SLOW_CONNS))
    first = sorted(attack.lifetimes)[:SLOW_CONNS]
    check(min(first) >= HEAD_TIMEOUT - 0.5, "a slow connection closed after %.1f s" % min(first))
    # (a head waiting unread while the event thread lags gets up to twice the deadline)
    check(max(attack.lifetimes) <= (3 * HEAD_TIMEOUT + 5 if SANITIZER else 2 * HEAD_TIMEOUT + 1.5),
          "a slow connection lived %.1f s (deadline %d s)" % (max(attack.lifetimes), HEAD_TIMEOUT))
    check(open_now <= SLOW_CONNS, "connections: %d" % open_now)
    expect(s.request("GET", "/healthz"), 200, "healthy after the attack")


def read_response(sock, timeout):
    """(status, headers dict lower-case, body bytes, closed) of one response on a raw socket."""
    sock.settimeout(timeout)
    buf = b""
    deadline = time.monotonic() + timeout
    while b"\r\n\r\n" not in buf and time.monotonic() < deadline:
        d = sock.recv(65536)
        if not d:
            break
        buf += d
    head, _, body = buf.partition(b"\r\n\r\n")
    m = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    if not m:
        return None, {}, buf, True
    hdrs = {}
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        hdrs[k.strip().lower().decode()] = v.strip().decode()
    n = int(hdrs.get("content-length", "0"))
    while len(body) < n and time.monotonic() < deadline:
        d = sock.recv(65536)
        if not d:
            break
        body += d
    closed = False
    try:
        sock.settimeout(2)
        closed = sock.recv(1) == b""
    except socket.timeout:
        closed = False
    except OSError:
        closed = True
    return int(m.group(1)), hdrs, body, closed


def case_slow_body(ctx):
    s = ctx.srv
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    t0 = time.monotonic()
    try:
        sock.sendall(("POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                      "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"name\":"
                      % ctx.tok["admin"]).encode())
        # 20 bytes/s, a tenth of the minimum: 408 once the allowance of HEAD_TIMEOUT s is over
        status = None
        while time.monotonic() - t0 < HEAD_TIMEOUT + 6:
            try:
                sock.sendall(b" " * 10)
            except OSError:
                break
            r, _, _ = select.select([sock], [], [], 0.5)
            if r:
                break
        status, hdrs, body, closed = read_response(sock, 5)
    finally:
        sock.close()
    took = time.monotonic() - t0
    check(status == 408, "slow body: status %r after %.1f s: %r" % (status, took, body[:200]))
    j = json.loads(body.decode("utf-8"))
    check(j["error"]["code"] == "request_timeout" and j["error"]["reason"] == "too_slow",
          "408 body: %r" % j)
    check(hdrs.get("cache-control") == "no-store", "408 no-store: %r" % hdrs)
    check(hdrs.get("content-type", "").startswith("application/json"), "408 type: %r" % hdrs)
    check(closed, "the connection is closed after the 408")
    check(HEAD_TIMEOUT - 0.5 <= took <= HEAD_TIMEOUT + 4, "408 after %.1f s" % took)
    # a body sent at a normal rate in pieces is still accepted
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    try:
        body = json.dumps({"name": "慢速但合格" + uniq(), "type": "company"},
                          ensure_ascii=False).encode()
        sock.sendall(("POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                      "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                      % (ctx.tok["admin"], len(body))).encode())
        for i in range(0, len(body), 8):
            sock.sendall(body[i:i + 8])
            time.sleep(0.05)
        status, _, rb, _ = read_response(sock, 10)
        check(status == 201, "body in pieces: %r %r" % (status, rb[:200]))
    finally:
        sock.close()


@contract.invalid_requests  # /api/v1/nope and /no-such-file.js on purpose
def case_hsts(ctx):
    """The server of these cases runs with cookie_secure = true."""
    for path in ("/healthz", "/api/v1/nope", "/", "/no-such-file.js"):
        r = ctx.srv.request("GET", path)
        check(r.header("Strict-Transport-Security") == "max-age=31536000",
              "HSTS on %s: %r" % (path, r.headers))
    # and the session cookie is sent over HTTPS only
    r = expect(ctx.srv.request("POST", "/api/v1/session", source="127.0.74.1",
                               body={"username": ctx.uname["agent"], "password": PASSWORD}),
               201, "sign-in")
    sc = [v for v in r.headers_all("Set-Cookie") if v.startswith("sh_session=")]
    attrs = [a.strip().lower() for a in (sc or [""])[0].split(";")]
    check("secure" in attrs, "cookie_secure: the session cookie lacks Secure: %s" % sc)


def get_healthz(sock):
    """GET /healthz on a kept-alive raw socket: its status once the answer is complete (None:
    closed or reset first), without waiting to see whether the connection closes."""
    try:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        buf = b""
        while True:
            head, sep, body = buf.partition(b"\r\n\r\n")
            m = re.search(rb"\r\ncontent-length: *(\d+)", head, re.I)
            if sep and m and len(body) >= int(m.group(1)):
                return int(head[9:12])
            d = sock.recv(65536)
            if not d:
                return None
            buf += d
    except OSError:
        return None


def case_idle_keepalive(ctx):
    """An idle keep-alive connection closes after http_head_timeout from its last response
    (docs/operations.md), not only after http_idle_timeout (30 s)."""
    sock = socket.create_connection(("127.0.0.1", ctx.srv.port), timeout=10)
    try:
        check(get_healthz(sock) == 200, "a kept-alive answer")
        t0 = time.monotonic()
        sock.settimeout(HEAD_TIMEOUT + 6)
        try:
            eof = sock.recv(1) == b""
        except socket.timeout:
            eof = False
        except OSError:
            eof = True
        took = time.monotonic() - t0
    finally:
        sock.close()
    check(eof and HEAD_TIMEOUT - 0.5 <= took <= HEAD_TIMEOUT + 4,
          "idle keep-alive: closed %s after %.1f s (want about %d s)" % (eof, took, HEAD_TIMEOUT))


def case_per_ip(ctx):
    """http_max_connections_per_ip (4 here): a fifth connection from one address is closed
    unanswered; another address is served; a freed slot serves again."""
    port = ctx.srv.port

    def conn(src):
        so = socket.socket()
        so.bind((src, 0))
        so.settimeout(10)
        so.connect(("127.0.0.1", port))
        return so

    def once(src):
        so = conn(src)
        try:
            return get_healthz(so)
        finally:
            so.close()
    held = [conn("127.0.76.1") for _ in range(4)]
    try:
        check(all(get_healthz(so) == 200 for so in held), "four connections served")
        st = once("127.0.76.1")
        check(st is None, "a fifth connection from one address: %r" % st)
        st = once("127.0.76.2")
        check(st == 200, "another address: %r" % st)
        held.pop().close()
        time.sleep(0.3)
        st = once("127.0.76.1")
        check(st == 200, "a freed slot: %r" % st)
    finally:
        for so in held:
            so.close()


def run_attack_server(ctx, runner):
    ctx.srv.restart({"SHOUHOU_HTTP_HEAD_TIMEOUT": str(HEAD_TIMEOUT),
                  "SHOUHOU_HTTP_BODY_MIN_RATE": str(BODY_MIN_RATE),
                  "SHOUHOU_COOKIE_SECURE": "true"})
    try:
        runner.run("http: 1,000 slow clients from one address: /healthz and tickets p99 <= 200 ms, "
                   "head deadline closes them", case_slow_clients, ctx)
        runner.run("http: a body below the minimum rate gets 408 JSON, then close",
                   case_slow_body, ctx)
        runner.run("http: HSTS on every response with cookie_secure", case_hsts, ctx)
        runner.run("http: an idle keep-alive connection closes after the head deadline",
                   case_idle_keepalive, ctx)
    finally:
        ctx.srv.restart({})
    ctx.srv.restart({"SHOUHOU_HTTP_MAX_CONNECTIONS_PER_IP": "4"})
    try:
        runner.run("http: at most http_max_connections_per_ip from one address", case_per_ip,
                   ctx)
    finally:
        ctx.srv.restart({})


@contract.invalid_requests
def case_error_headers(ctx):
    s, tok = ctx.srv, ctx.tok["admin"]
    cases = [
        ("GET", "/api/v1/nope", {}, None, 404),
        ("DELETE", "/api/v1/tickets", {}, None, 405),
        ("GET", "/api/v1/customers/999999999", {}, None, 404),
        ("GET", "/no-such-file.js", {}, None, 404),
        ("GET", "/api/v1/customers?sort=ab%FF", {}, None, 400),
        # over the 16 KiB head limit (HTTP_HEADER_LIMIT): the server's own JSON 431
        ("GET", "/api/v1/tickets", {"X-Big": "a" * (20 * 1024)}, None, 431),
        ("POST", "/api/v1/customers", {"Content-Length": str(5 << 20)}, b"", 413),
    ]
    for m, p, h, body, want in cases:
        if m == "POST":
            sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
            try:
                sock.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                              "Content-Type: application/json\r\nContent-Length: %s\r\n\r\n"
                              % (p, tok, h["Content-Length"])).encode())
                st, hdrs, b, _ = read_response(sock, 10)
            finally:
                sock.close()
            heads = [(k, hdrs.get(k)) for k in ("cache-control", "x-content-type-options",
                                                 "x-frame-options", "referrer-policy")]
        else:
            r = s.request(m, p, token=tok, headers=h)
            st, b, heads = r.status, r.body, [(k.lower(), v) for k, v in r.headers]
        check(st == want, "%s %s: %d, expected %d" % (m, p, st, want))
        cc = [v for k, v in heads if k == "cache-control"]
        check(cc == ["no-store"], "%s %s (%d): Cache-Control %r" % (m, p, st, cc))
        # on every answer of ours (src/http/server.c add_headers; docs/operations.md)
        for k, v in (("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"),
                     ("referrer-policy", "same-origin")):
            got = [x for h, x in heads if h == k]
            check(got == [v], "%s %s (%d): %s %r" % (m, p, st, k, got))
        j = json.loads(b.decode("utf-8"))
        check(isinstance(j.get("error"), dict) and j["error"].get("code"), "%s %s: %r" % (m, p, j))
    # a head over the connection's 32 KiB buffer: libmicrohttpd's own 431, and the server
    # goes on (the buffer is not raised: HTTP_HEADER_LIMIT in src/http/http.h says why)
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    try:
        sock.sendall(("GET /api/v1/tickets HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n"
                      % ("a" * (70 * 1024))).encode())
        st, _, _, _ = read_response(sock, 10)
    finally:
        sock.close()
    check(st == 431, "70 KiB head: %s" % st)
    r = s.request("GET", "/healthz")
    check(r.status == 200, "healthz after a 70 KiB head: %s" % r)
    check(r.header("Strict-Transport-Security") is None, "no HSTS without cookie_secure")


@contract.invalid_requests
def case_invalid_utf8(ctx):
    s, tok = ctx.srv, ctx.tok["admin"]
    for p in ("/api/v1/customers?sort=ab%FF", "/api/v1/units?status=%E4%B8", "/api/v1/units/%C0%AF",
              "/api/v1/customers?q=%ED%A0%80", "/x%FFy"):
        r = s.request("GET", p, token=tok)
        check(r.status == 400, "%s: %d %r" % (p, r.status, r.body[:200]))
        j = json.loads(r.body.decode("utf-8"))  # strict: the answer itself is valid UTF-8
        check(j["error"]["reason"] == "invalid_encoding", "%s: %r" % (p, j))
        check("\\x" not in r.body.decode() and "\ufffd" not in r.body.decode(), "echo: %r" % j)
    # valid input that an error message quotes cut in the middle of a character
    for p in ("/api/v1/units?status=" + "%E4%B8%AD" * 20, "/api/v1/units?sort=" + "%E4%B8%AD" * 30):
        r = s.request("GET", p, token=tok)
        check(r.status == 400, "%s: %d" % (p, r.status))
        json.loads(r.body.decode("utf-8"))
    # valid UTF-8 (Chinese) still works
    expect(s.request("GET", "/api/v1/customers?q=%E5%8D%8F%E5%92%8C", token=tok), 200, "中文 q")
    time.sleep(0.3)
    with open(s.log.name, "rb") as f:
        lines = f.read().splitlines()
    seen = False
    for ln in lines:
        ln.decode("utf-8")  # every log line is valid UTF-8
        if b'"access"' in ln and b"/x" in ln and b"xffy" in ln:
            j = json.loads(ln)
            check(j["path"] == "/x\\xffy" and j["status"] == 400, "log line: %r" % j)
            seen = True
    check(seen, "the access log has the hex-escaped path")


def case_keepalive(ctx):
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", ctx.srv.port, timeout=10)
    try:
        socks = set()
        for i in range(5):
            c.request("GET", "/api/v1/tickets?limit=1",
                      headers={"Authorization": "Bearer " + ctx.tok["agent"]})
            r = c.getresponse()
            r.read()
            check(r.status == 200 and not r.will_close, "keep-alive %d: %d %s" % (
                i, r.status, r.getheader("Connection")))
            socks.add(id(c.sock))
        check(len(socks) == 1, "one connection for every request")
    finally:
        c.close()


def case_attachment_cache(ctx):
    a = ctx.api()
    r = expect(a.post("/api/v1/tickets", {"channel": "phone", "type": "repair",
                                          "unit_id": ctx.fx["unitA"],
                                          "description": "缓存头检查"}), 201, "ticket")
    tid = r.json["id"]
    r = expect(ctx.srv.request("POST", "/api/v1/tickets/%d/attachments?filename=c.png" % tid,
                               body=PNG_1PX, token=ctx.tok["admin"],
                               headers={"Content-Type": "image/png"}), 201, "attachment")
    g = expect(a.get("/api/v1/attachments/%d" % r.json["id"]), 200, "download")
    cc = g.headers_all("Cache-Control")
    check(len(cc) == 1, "one Cache-Control on an attachment: %r" % cc)


def run(ctx, runner):
    runner.run("http: error responses carry Cache-Control: no-store and a JSON body",
               case_error_headers, ctx)
    runner.run("http: invalid UTF-8 in path or query → 400 invalid_encoding, escaped in the log",
               case_invalid_utf8, ctx)
    runner.run("http: keep-alive across requests answered by the handler pool", case_keepalive,
               ctx)
    runner.run("http: attachments send one Cache-Control", case_attachment_cache, ctx)
    run_attack_server(ctx, runner)
