"""Beyond one machine (issue 16 item 2): two `shouhou serve` on one PostgreSQL behind Debian's
haproxy, a mixed load (intake, actions, comments, reads, searches) while one instance is
restarted. Nothing acknowledged is lost; a request that failed on the restarted instance is
retried with the same Idempotency-Key and makes one ticket; ticket numbers stay unique; the
SLA escalations both instances' scanners produce are written once.

PostgreSQL only (SQLite is one process on one machine). The load bypasses the contract check:
haproxy's own 502/503 pages are not the API's answers."""
import http.client
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.parse
import uuid

from harness import Fail, Server, check, free_port

RESTART_AT = 3.0   # s into the load: instance a, SIGTERM (drained) and started again
KILL_AT = 6.0      # instance b, SIGKILL (its requests in flight fail) and started again
LOAD_FOR = 10.0    # s of load in all
THREADS = 6


def psql(db, stmt):
    p = subprocess.run(["psql", db, "-v", "ON_ERROR_STOP=1", "-qAt", "-F", "\t", "-c", stmt],
                       capture_output=True, timeout=60)
    if p.returncode:
        raise Fail("psql: %s" % p.stderr.decode()[:300])
    return [ln.split("\t") for ln in p.stdout.decode().splitlines() if ln]


def haproxy_binary():
    for p in (shutil.which("haproxy"), "/usr/sbin/haproxy"):
        if p and os.access(p, os.X_OK):
            return p
    raise Fail("haproxy is not installed (scripts/deps.sh)")


HAPROXY_CFG = """global
    maxconn 512
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 2
    option redispatch
frontend fe
    bind 127.0.0.1:%(port)d
    default_backend be
backend be
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    server a 127.0.0.1:%(a)d check inter 200 fall 1 rise 2
    server b 127.0.0.1:%(b)d check inter 200 fall 1 rise 2
"""


class Load:
    """THREADS clients through the balancer; every refused or broken request is counted and
    retried (intake with its Idempotency-Key) until it is acknowledged."""

    def __init__(self, port, token, marker, customer):
        self.port, self.token, self.marker, self.customer = port, token, marker, customer
        self.lock = threading.Lock()
        self.tickets = {}      # Idempotency-Key -> ticket id acknowledged
        self.comments = []     # (ticket id, text, retried) acknowledged
        self.errors = {}       # what failed before its retry succeeded -> count
        self.bad = []          # answers that are not allowed at all
        self.stop = False
        self.done = 0
        self.intake_retried = 0  # intakes acknowledged only after a retry with their key

    def send(self, method, path, body=None, headers=None):
        h = {"Authorization": "Bearer " + self.token}
        data = None
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=data, headers=h)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def until_ok(self, method, path, body=None, headers=None, ok=(200, 201), tried=None):
        for attempt in range(100):
            if tried is not None and attempt:
                tried[0] = True
            try:
                st, b = self.send(method, path, body, headers)
            except OSError as ex:
                st, b = type(ex).__name__, b""
            if st in ok:
                return json.loads(b) if b else None
            if st in (502, 503, 504) or isinstance(st, str):
                with self.lock:
                    self.errors[str(st)] = self.errors.get(str(st), 0) + 1
                time.sleep(0.05)
                continue
            with self.lock:
                self.bad.append("%s %s: %s %s" % (method, path, st, b[:200]))
            return None
        with self.lock:
            self.bad.append("%s %s: never acknowledged" % (method, path))
        return None

    def intake(self, i):
        key = str(uuid.uuid4())
        # received thirty days ago: born past its SLA on any day of the week, weekends and
        # holidays of the business calendar included, so the scanners escalate it at once
        past = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 30 * 86400))
        tried = [False]
        t = self.until_ok("POST", "/api/v1/tickets", {
            "channel": "phone", "type": "repair", "customer_id": self.customer,
            "received_at": past, "description": "%s %s 设备漏水" % (self.marker, key)},
            {"Idempotency-Key": key}, tried=tried)
        if t:
            with self.lock:
                self.tickets[key] = t["id"]
                self.intake_retried += tried[0]
        return t

    def worker(self, n):
        i = 0
        mine = []
        while not self.stop:
            i += 1
            op = i % 5
            if op == 1 or not mine:
                t = self.intake(i)
                if t:
                    mine.append(t["id"])
            elif op == 2:
                tid = mine[-1]
                text = "%s comment %d-%d" % (self.marker, n, i)
                tried = [False]
                if self.until_ok("POST", "/api/v1/tickets/%d/comments" % tid, {"body": text},
                                 tried=tried):
                    with self.lock:
                        self.comments.append((tid, text, tried[0]))
            elif op == 3:
                self.until_ok("GET", "/api/v1/tickets/%d" % mine[i % len(mine)])
            elif op == 4:
                self.until_ok("GET", "/api/v1/tickets?limit=20&q=" +
                              urllib.parse.quote(self.marker))
            else:
                self.until_ok("GET", "/api/v1/tickets?limit=20&queue=at_risk")
            with self.lock:
                self.done += 1


def case_two_instances(ctx):
    db = ctx.srv.db_url
    work = os.path.join(ctx.srv.workdir, "scale")
    os.makedirs(work, exist_ok=True)
    hap = haproxy_binary()
    inst = []
    for name in ("a", "b"):
        d = os.path.join(work, name)
        os.makedirs(d, exist_ok=True)
        s = Server(ctx.srv.binary, db, d, ctx.srv.web_root)
        s.env = {"SHOUHOU_SLA_SCAN_SECONDS": "1"}
        s.listen = "127.0.0.1:%d" % free_port()
        inst.append(s)
    lb_port = free_port()
    cfg = os.path.join(work, "haproxy.cfg")
    with open(cfg, "w") as f:
        f.write(HAPROXY_CFG % {"port": lb_port, "a": int(inst[0].listen.split(":")[1]),
                               "b": int(inst[1].listen.split(":")[1])})
    proxy = None
    try:
        for s in inst:
            s.start()
        proxy = subprocess.Popen([hap, "-f", cfg, "-db"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
        load = Load(lb_port, ctx.tok["agent"], "SCALE" + uuid.uuid4().hex[:8],
                    ctx.fx["B"])
        deadline = time.time() + 10
        while time.time() < deadline:   # both backends up in haproxy's eyes
            try:
                if load.send("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        threads = [threading.Thread(target=load.worker, args=(n,)) for n in range(THREADS)]
        t0 = time.time()
        for t in threads:
            t.start()
        time.sleep(RESTART_AT)
        rc = inst[0].stop(signal.SIGTERM)      # a rolling restart: drained, then back
        inst[0].start()
        time.sleep(max(0.0, KILL_AT - (time.time() - t0)))
        inst[1].stop(signal.SIGKILL)           # a crash: what was in flight there fails
        inst[1].start()
        time.sleep(max(0.0, LOAD_FOR - (time.time() - t0)))
        load.stop = True
        for t in threads:
            t.join(120)
        check(rc == 0, "the restarted instance stopped cleanly: %r" % (rc,))
        check(not load.bad, "refused or lost: %s" % load.bad[:5])
        check(len(load.tickets) >= 10 and load.done >= 50,
              "enough load: %d tickets, %d requests" % (len(load.tickets), load.done))
        ours = psql(db, "SELECT id, number, description FROM tickets WHERE description LIKE "
                        "'%s %%'" % load.marker)
        keys = [r[2].split(" ")[1] for r in ours]
        check(len(keys) == len(set(keys)), "one ticket per Idempotency-Key")
        check(set(keys) == set(load.tickets) and
              {int(r[0]) for r in ours} == set(load.tickets.values()),
              "every acknowledged ticket, and only those: %d rows for %d keys" %
              (len(ours), len(load.tickets)))
        dup = psql(db, "SELECT number FROM tickets GROUP BY number HAVING COUNT(*) > 1")
        check(not dup, "ticket numbers unique: %s" % dup[:5])
        # a comment has no Idempotency-Key: one retried after a crash may be there twice
        kept = {(int(r[0]), r[1]): int(r[2]) for r in psql(
            db, "SELECT ticket_id, body, COUNT(*) FROM ticket_events WHERE body LIKE "
                "'%s comment %%' GROUP BY ticket_id, body" % load.marker)}
        for tid, text, retried in load.comments:
            n = kept.get((tid, text), 0)
            check(n == 1 or (retried and n >= 1), "comment %r on %d kept: %d" % (text, tid, n))
        escalations_once(db, load)
        ctx.scale_note = ("%d requests, %d tickets (%d after a retry with the same key), %d "
                          "comments; failed and retried: %s" %
                          (load.done, len(load.tickets), load.intake_retried,
                           len(load.comments), load.errors))
        print("# scale: " + ctx.scale_note)
    finally:
        if proxy:
            proxy.kill()
            proxy.wait()
        for s in inst:
            s.stop()


def escalations_once(db, load):
    """Both scanners run every second. Our tickets were born breached, so their intake already
    escalated them; here their clocks are set back to running and due for a check, all at once,
    so that both scanners reach for them together. The outbox cannot hold an escalation twice
    (its dedupe key, one per ticket, clock, level and recipient, is unique): what shows a ticket
    refreshed by both scanners is its timeline, where a clock turning breached is one event."""
    ids = ",".join(str(i) for i in load.tickets.values())
    psql(db, "UPDATE ticket_sla SET escalation_level = 0, state = 'running' WHERE ticket_id IN "
             "(%(ids)s); DELETE FROM outbox WHERE ticket_id IN (%(ids)s); DELETE FROM "
             "ticket_events WHERE kind = 'sla' AND ticket_id IN (%(ids)s); UPDATE tickets SET "
             "next_check_at = '2000-01-01T00:00:00Z' WHERE id IN (%(ids)s)" % {"ids": ids})
    deadline = time.time() + 30
    left = []
    while time.time() < deadline:
        left = psql(db, "SELECT COUNT(*) FROM tickets WHERE id IN (%s) AND next_check_at <= "
                        "'2001'" % ids)
        if left and int(left[0][0]) == 0:
            break
        time.sleep(0.5)
    check(left and int(left[0][0]) == 0, "the scanners refreshed our tickets: %s left" % left)
    n = psql(db, "SELECT COUNT(DISTINCT ticket_id) FROM outbox WHERE ticket_id IN (%s)" % ids)
    check(n and int(n[0][0]) == len(load.tickets),
          "the scanners escalated every one of our tickets again: %s of %d" %
          (n, len(load.tickets)))
    dup = psql(db, "SELECT ticket_id, body, COUNT(*) FROM ticket_events WHERE kind = 'sla' AND "
                   "ticket_id IN (%s) GROUP BY ticket_id, body HAVING COUNT(*) > 1" % ids)
    check(not dup, "every clock's breach on the timeline once: %s" % dup[:3])


def run(ctx, runner):
    if not ctx.srv.db_url.startswith("postgres"):
        return
    runner.run("scale: two instances on one PostgreSQL behind haproxy, one restarted under "
               "mixed load: nothing acknowledged lost, retries with the same Idempotency-Key "
               "make one ticket, numbers unique, escalations once", case_two_instances, ctx)
