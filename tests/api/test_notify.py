"""Delivery of the outbox (issue 15 item 1) with real servers: a local SMTP server
(aiosmtpd) receives a Chinese e-mail; a local HTTP gateway checks the Aliyun and Tencent SMS
signatures, the WeChat Work and DingTalk robots and the signed webhook; a failing gateway is
retried and dead-lettered, then retried by hand; quiet hours hold a message; an opt-out skips
it; on PostgreSQL two servers deliver 1,000 messages exactly once. Runs on servers of its own
(own database, worker every second) so that enabling channels touches no other test.
Run by test_api.py."""
import base64
import collections
import datetime
import email
import email.header
import email.policy
import hashlib
import hmac
import http.server
import json
import os
import subprocess
import threading
import time
import urllib.parse
import uuid

from harness import PASSWORD, Fail, Server, check, expect, short, uniq

SECRET = {"aliyun": "ali-Secret-1", "tencent": "tc-Key-1", "dingtalk": "SECding",
          "webhook": "whsec-1"}


# ---- the gateway ----

def pct(s):
    return urllib.parse.quote(s, safe="-_.~")


def aliyun_ok(q):
    params = {k: v[0] for k, v in q.items() if k != "Signature"}
    canon = "&".join(pct(k) + "=" + pct(v) for k, v in sorted(params.items()))
    sts = "GET&%2F&" + pct(canon)
    want = base64.b64encode(hmac.new((SECRET["aliyun"] + "&").encode(), sts.encode(),
                                     hashlib.sha1).digest()).decode()
    return q.get("Signature", [""])[0] == want


def tencent_ok(headers, body):
    ts = int(headers["X-TC-Timestamp"])
    date = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%d")
    canon = ("POST\n/\n\ncontent-type:%s\nhost:%s\nx-tc-action:%s\n\ncontent-type;host;"
             "x-tc-action\n%s" % (headers["Content-Type"], headers["Host"],
                                  headers["X-TC-Action"].lower(),
                                  hashlib.sha256(body).hexdigest()))
    sts = "TC3-HMAC-SHA256\n%d\n%s/sms/tc3_request\n%s" % (
        ts, date, hashlib.sha256(canon.encode()).hexdigest())
    k = hmac.new(("TC3" + SECRET["tencent"]).encode(), date.encode(), hashlib.sha256).digest()
    k = hmac.new(k, b"sms", hashlib.sha256).digest()
    k = hmac.new(k, b"tc3_request", hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    return headers["Authorization"].endswith("Signature=" + sig)


class Gateway:
    """Answers like each provider when the request is correctly signed; records it."""

    def __init__(self):
        self.calls = []
        self.fail = False
        self.lock = threading.Lock()
        gw = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def answer(self, code, obj):
                b = json.dumps(obj).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(b)))
                self.end_headers()
                self.wfile.write(b)

            def handle_any(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                u = urllib.parse.urlsplit(self.path)
                q = urllib.parse.parse_qs(u.query)
                path = u.path.rstrip("/")
                ok = True
                if path == "/aliyun":
                    ok = aliyun_ok(q)
                    reply = {"Code": "OK" if ok else "SignatureDoesNotMatch"}
                elif path == "/tencent":
                    ok = tencent_ok(self.headers, body)
                    reply = {"Response": {"SendStatusSet": [{"Code": "Ok"}]} if ok else
                             {"Error": {"Code": "AuthFailure.SignatureFailure"}}}
                elif path == "/wecom":
                    reply = {"errcode": 0, "errmsg": "ok"}
                elif path == "/dingtalk":
                    ts = q.get("timestamp", [""])[0]
                    want = base64.b64encode(hmac.new(
                        SECRET["dingtalk"].encode(), ("%s\n%s" % (ts, SECRET["dingtalk"])).encode(),
                        hashlib.sha256).digest()).decode()
                    ok = q.get("sign", [""])[0] == want
                    reply = {"errcode": 0 if ok else 310000, "errmsg": "ok" if ok else "sign"}
                elif path in ("/webhook", "/flaky"):
                    ts = self.headers.get("X-Shouhou-Timestamp", "")
                    want = "sha256=" + hmac.new(SECRET["webhook"].encode(), ts.encode() + b"." + body,
                                                hashlib.sha256).hexdigest()
                    ok = self.headers.get("X-Shouhou-Signature") == want
                    if path == "/flaky" and gw.fail:
                        return self.answer(500, {"error": "down"})
                    reply = {"ok": ok}
                else:
                    return self.answer(404, {})
                with gw.lock:
                    gw.calls.append({"path": path, "query": q, "headers": dict(self.headers),
                                     "body": body, "ok": ok})
                self.answer(200 if ok else 401, reply)

            do_GET = handle_any
            do_POST = handle_any

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.httpd.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def of(self, path):
        with self.lock:
            return [c for c in self.calls if c["path"] == path]

    def close(self):
        self.httpd.shutdown()


# ---- servers of our own ----

class Env:
    def __init__(self, ctx):
        base = ctx.srv
        self.mode = "pg" if base.db_url.startswith("postgres") else "sqlite"
        self.pg_name = None
        if self.mode == "pg":
            dsn = os.environ["SHOUHOU_TEST_PG"]
            self.pg_name = "shouhou_notify_" + uuid.uuid4().hex[:10]
            subprocess.run(["psql", dsn, "-qAt", "-c", "CREATE DATABASE %s" % self.pg_name],
                           check=True, capture_output=True, timeout=60)
            u = urllib.parse.urlsplit(dsn)
            self.db = urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + self.pg_name, u.query, ""))
        else:
            self.db = "sqlite:" + os.path.join(base.workdir, "notify-%s.db" % uniq())
        self.servers = []
        self.base = base
        pw = os.path.join(base.workdir, "pw-notify")
        with open(pw, "w") as f:
            f.write(PASSWORD + "\n")
        base.cli("init", "--db", self.db, "--admin", "admin", "--password-file", pw)
        self.tok = base.cli("token", "create", "--user", "admin", "--db", self.db).stdout.decode() \
            .strip().splitlines()[-1].strip()
        self.srv = self.start()

    def start(self):
        # a work dir of its own: port files of other tests' servers cannot be mistaken for ours
        wd = os.path.join(self.base.workdir, "notify-%s" % uniq())
        os.makedirs(wd)
        s = Server(self.base.binary, self.db, wd, self.base.web_root)
        s.env = {"SHOUHOU_NOTIFY_POLL_SECONDS": "1", "SHOUHOU_SLA_SCAN_SECONDS": "3600"}
        try:
            s.start()
        except Fail as e:
            # a loaded machine: give the health check longer, then say what it saw
            last = str(e)
            for _ in range(200):
                try:
                    r = s.request("GET", "/healthz", timeout=5)
                    if r.status == 200:
                        break
                    last = "healthz %d %s" % (r.status, short(r.body))
                except OSError as x:
                    last = "healthz: %r (port %s)" % (x, s.port)
                time.sleep(0.2)
            else:
                log = open(s.log.name, "rb").read()[-600:] if s.log else b""
                s.stop()
                raise Fail("%s: %s" % (last, short(log, 600)))
        self.servers.append(s)
        return s

    def req(self, method, path, body=None, bad=False):
        return self.srv.request(method, path, body=body, token=self.tok, bad=bad)

    def sql(self, stmt):
        if self.mode == "sqlite":
            import sqlite3
            con = sqlite3.connect(self.db[len("sqlite:"):], timeout=30)
            try:
                rows = con.execute(stmt).fetchall()
                con.commit()
            finally:
                con.close()
            return [tuple("" if v is None else str(v) for v in r) for r in rows]
        p = subprocess.run(["psql", self.db, "-v", "ON_ERROR_STOP=1", "-qAt", "-F", "\t", "-c",
                            stmt], capture_output=True, timeout=60)
        if p.returncode:
            raise Fail("psql: %s" % short(p.stderr, 300))
        out = p.stdout.decode().strip()
        return [tuple(line.split("\t")) for line in out.splitlines()] if out else []

    def channel(self, name, body, status=200):
        return expect(self.req("PUT", "/api/v1/notification-channels/" + name, body), status,
                      "channel %s" % name)

    def test_msg(self, channel, to=None):
        body = {"channel": channel}
        if to is not None:
            body["to"] = to
        return expect(self.req("POST", "/api/v1/notifications/test", body), 201, "test message").json

    def wait(self, nid, states, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = expect(self.req("GET", "/api/v1/notifications?limit=500"), 200, "list").json
            row = [x for x in r["items"] if x["id"] == nid]
            if row and row[0]["state"] in states:
                return row[0]
            time.sleep(0.2)
        raise Fail("notification %d not %s: %s" % (nid, states, row[:1]))

    def close(self):
        for s in self.servers:
            s.stop()
        if self.pg_name:
            subprocess.run(["psql", os.environ["SHOUHOU_TEST_PG"], "-qAt", "-c",
                            "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.pg_name],
                           capture_output=True, timeout=60)


# ---- cases ----

def case_channels(env, gw):
    r = expect(env.req("GET", "/api/v1/notification-channels"), 200, "channels").json
    check(sorted(c["channel"] for c in r["items"]) ==
          ["dingtalk", "email", "sms", "webhook", "wecom"], "five channels")
    check(not any(c["enabled"] for c in r["items"]), "all off by default: %s" % r)
    with __import__("contract").bad_requests():
        bad = env.req("PUT", "/api/v1/notification-channels/email",
                      {"config": {"hots": "x"}}, bad=True)
    check(bad.status == 400 and bad.json["error"]["reason"] == "unknown_field", short(bad.body))
    bad = env.req("PUT", "/api/v1/notification-channels/email",
                  {"config": {"tls": "ssl3"}}, bad=True)
    check(bad.status == 400 and bad.json["error"]["field"] == "tls", short(bad.body))
    c = env.channel("email", {"config": {"host": "smtp.example.cn", "port": 587,
                                         "tls": "starttls", "username": "u"},
                              "secret": "Smtp-Passw0rd"}).json
    check(c["secret_set"] is True and "secret" not in c, "secret never returned: %s" % c)
    r = env.req("GET", "/api/v1/notification-channels")
    check(b"Smtp-Passw0rd" not in r.body, "password not in the answer")


def smtp_python():
    for p in ("/usr/bin/python3", "python3"):
        if subprocess.run([p, "-c", "import aiosmtpd"], capture_output=True).returncode == 0:
            return p
    raise Fail("python3-aiosmtpd is not installed (scripts/deps.sh)")


def case_email(env, gw):
    box = os.path.join(env.base.workdir, "smtp-" + uniq())
    os.makedirs(box)
    sink = subprocess.Popen([smtp_python(), os.path.join(os.path.dirname(__file__),
                                                          "smtp_sink.py"), box],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        port = int(sink.stdout.readline())
        env.channel("email", {"enabled": True, "secret": "",
                              "config": {"host": "127.0.0.1", "port": port, "tls": "none",
                                         "username": "",
                                         "from": "service@shouhou.test", "from_name": "售后服务部"}})
        subject = "工单 TK-2026-000123 已受理：设备漏水，工程师张伟将于明天上门"
        body = "尊敬的客户：\n您的报修已受理，工程师张伟将于 12月6日 09:30 到达。\n——售后服务部"
        nl = "' || char(10) || '" if env.mode == "sqlite" else "' || chr(10) || '"
        env.sql("INSERT INTO outbox (created_at, kind, channel, recipient, subject, body, "
                "deliver_after) VALUES ('2026-01-01T00:00:00Z', 'ticket_received', 'email', "
                "'kehu@example.cn', '%s', '%s', '2026-01-01T00:00:00Z')"
                % (subject, body.replace("\n", nl)))
        nid = int(env.sql("SELECT max(id) FROM outbox")[0][0])
        row = env.wait(nid, ("sent", "dead", "failed"))
        check(row["state"] == "sent", "sent: %s" % row)
        got = sorted(f for f in os.listdir(box) if f.endswith(".eml"))
        check(len(got) == 1, "one message received: %s" % got)
        raw = open(os.path.join(box, got[0]), "rb").read()
        rcpt = open(os.path.join(box, got[0][:-4] + ".rcpt")).read()
        check(rcpt == "kehu@example.cn", "recipient %s" % rcpt)
        m = email.message_from_bytes(raw, policy=email.policy.default)
        check(str(m["Subject"]) == subject, "decoded subject: %r" % str(m["Subject"]))
        check("售后服务部" in str(m["From"]), "from name: %r" % str(m["From"]))
        check(m.get_content_charset() == "utf-8", "charset %s" % m.get_content_charset())
        text = m.get_content().replace("\r\n", "\n")
        check(text == body, "decoded body: %r" % text)
        check(b"=?UTF-8?B?" in raw, "RFC 2047 subject on the wire")
        check(raw.decode("ascii", "replace").isascii(), "7-bit clean on the wire")
    finally:
        sink.stdin.close()
        sink.wait(10)
        env.channel("email", {"enabled": False})


def case_gateways(env, gw):
    env.channel("sms", {"enabled": True, "secret": SECRET["aliyun"], "config": {
        "provider": "aliyun", "base_url": gw.url + "/aliyun", "key_id": "LTAI-test",
        "sign_name": "售后服务", "template_code": "SMS_100001"}})
    a = env.test_msg("sms", "13900001111")
    check(env.wait(a["id"], ("sent", "dead", "failed"))["state"] == "sent", "aliyun sent")
    call = gw.of("/aliyun")[-1]
    check(call["ok"], "aliyun signature verified")
    check(call["query"]["PhoneNumbers"] == ["13900001111"], "phone %s" % call["query"])
    check(call["query"]["SignName"] == ["售后服务"], "sign name")
    check(call["query"]["TemplateCode"] == ["SMS_100001"], "template code")
    check(json.loads(call["query"]["TemplateParam"][0]) == {"content": a["subject"]},
          "template params %s" % call["query"]["TemplateParam"])
    check(call["query"]["OutId"] == [str(a["id"])], "our id as OutId")
    env.channel("sms", {"secret": SECRET["tencent"], "config": {
        "provider": "tencent", "base_url": gw.url + "/tencent", "key_id": "AKIDtest",
        "sdk_app_id": "1400000001", "sign_name": "售后服务", "template_code": "123456"}})
    t = env.test_msg("sms", "13900002222")
    check(env.wait(t["id"], ("sent", "dead", "failed"))["state"] == "sent", "tencent sent")
    call = gw.of("/tencent")[-1]
    check(call["ok"], "tencent TC3 signature verified")
    b = json.loads(call["body"])
    check(b["PhoneNumberSet"] == ["+8613900002222"] and b["TemplateId"] == "123456" and
          b["SmsSdkAppId"] == "1400000001", "tencent body %s" % b)
    env.channel("wecom", {"enabled": True, "config": {"url": gw.url + "/wecom?key=K"}})
    env.channel("dingtalk", {"enabled": True, "secret": SECRET["dingtalk"],
                             "config": {"url": gw.url + "/dingtalk?access_token=T"}})
    env.channel("webhook", {"enabled": True, "secret": SECRET["webhook"],
                            "config": {"url": gw.url + "/webhook"}})
    ids = {ch: env.test_msg(ch)["id"] for ch in ("wecom", "dingtalk", "webhook")}
    for ch, nid in ids.items():
        check(env.wait(nid, ("sent", "dead", "failed"))["state"] == "sent", "%s sent" % ch)
        call = gw.of("/" + ch)[-1]
        check(call["ok"], "%s signature verified" % ch)
    w = json.loads(gw.of("/wecom")[-1]["body"])
    check(w["msgtype"] == "text" and "测试消息" in w["text"]["content"], "wecom text %s" % w)
    hook = gw.of("/webhook")[-1]
    check(hook["headers"]["X-Shouhou-Delivery"] == str(ids["webhook"]), "delivery id header")
    check(json.loads(hook["body"])["id"] == ids["webhook"], "webhook body")


def case_dead_letter(env, gw):
    expect(env.req("PATCH", "/api/v1/settings", {"notify_max_attempts": 3,
                                                 "notify_retry_base_seconds": 1}), 200, "policy")
    env.channel("webhook", {"enabled": True, "config": {"url": gw.url + "/flaky"}})
    gw.fail = True
    n = env.test_msg("webhook")["id"]
    t0 = time.time()
    row = env.wait(n, ("dead",), timeout=40)
    check(row["attempts"] == 3, "three attempts: %s" % row)
    check("HTTP 500" in row["last_error"], "last error kept: %s" % row["last_error"])
    check(time.time() - t0 >= 2.5, "backed off 1 s then 2 s")
    check(len(gw.of("/flaky")) == 0, "no successful call recorded")
    dead = expect(env.req("GET", "/api/v1/notifications?state=dead&channel=webhook"), 200,
                  "dead list").json["items"]
    check(any(x["id"] == n for x in dead), "listed as dead")
    with __import__("contract").bad_requests():
        again = env.req("POST", "/api/v1/notifications/%d/retry" % env.test_msg("wecom")["id"])
    check(again.status in (200, 409), "retry of a pending or sent message: %s" % again.status)
    gw.fail = False
    r = expect(env.req("POST", "/api/v1/notifications/%d/retry" % n), 200, "retry").json
    check(r["state"] == "pending" and r["attempts"] == 0, "pending again: %s" % r)
    check(env.wait(n, ("sent", "dead"))["state"] == "sent", "sent after the retry")
    check(len(gw.of("/flaky")) == 1, "delivered once")
    env.channel("webhook", {"config": {"url": gw.url + "/webhook"}})


def shanghai_now():
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))


def case_quiet_and_optout(env, gw):
    cust = expect(env.req("POST", "/api/v1/customers", {"name": "静默客户", "type": "company"}),
                  201, "customer").json["id"]
    now = shanghai_now()
    start = (now - datetime.timedelta(hours=1)).strftime("%H:%M")
    end_t = now + datetime.timedelta(hours=2)
    end = end_t.strftime("%H:%M")
    with __import__("contract").bad_requests():
        bad = env.req("POST", "/api/v1/contacts", {"customer_id": cust, "name": "错",
                                                   "quiet_hours": "22-08"}, bad=True)
    check(bad.status == 400 and bad.json["error"]["field"] == "quiet_hours", short(bad.body))
    expect(env.req("POST", "/api/v1/contacts", {
        "customer_id": cust, "name": "夜班王", "phone": "13900003333",
        "quiet_hours": "%s-%s" % (start, end)}), 201, "quiet contact")
    expect(env.req("POST", "/api/v1/contacts", {
        "customer_id": cust, "name": "退订李", "phone": "13900004444",
        "notify_opt_out": "sms"}), 201, "opted-out contact")
    env.channel("sms", {"enabled": True, "secret": SECRET["aliyun"], "config": {
        "provider": "aliyun", "base_url": gw.url + "/aliyun", "key_id": "LTAI-test",
        "sign_name": "售后服务", "template_code": "SMS_100001"}})
    before = len(gw.of("/aliyun"))
    q = env.test_msg("sms", "13900003333")["id"]
    o = env.test_msg("sms", "13900004444")["id"]
    o2 = env.test_msg("sms", "+86 139 0000 4444")["id"]  # the same number (domain/phone.h)
    row = env.wait(q, ("held", "sent"))
    check(row["state"] == "held", "held by quiet hours: %s" % row)
    want = (end_t.replace(second=0, microsecond=0)).astimezone(datetime.timezone.utc) \
        .strftime("%Y-%m-%dT%H:%M:%SZ")
    check(row["next_attempt_at"] == want, "until the quiet hours end: %s != %s"
          % (row["next_attempt_at"], want))
    check(row["attempts"] == 0, "a hold is not an attempt")
    check(env.wait(o, ("skipped", "sent"))["state"] == "skipped", "opt-out skips")
    check(env.wait(o2, ("skipped", "sent"))["state"] == "skipped", "opt-out skips, however typed")
    time.sleep(2)
    check(env.wait(q, ("held",))["state"] == "held", "still held")
    check(len(gw.of("/aliyun")) == before, "nothing sent to either")
    # the morning comes: the hold ends and the message goes
    env.sql("UPDATE contacts SET quiet_hours = '' WHERE phone = '13900003333'")
    env.sql("UPDATE outbox SET next_attempt_at = '2026-01-01T00:00:00Z' WHERE id = %d" % q)
    check(env.wait(q, ("sent",))["state"] == "sent", "sent once the hold ends")


def case_many(env, gw, n, two):
    env.channel("webhook", {"enabled": True, "secret": SECRET["webhook"],
                            "config": {"url": gw.url + "/webhook"}})
    before = len(gw.of("/webhook"))
    if two:
        env.start()
    gen = ("generate_series(1, %d)" % n) if env.mode == "pg" else None
    if gen:
        env.sql("INSERT INTO outbox (created_at, kind, channel, subject, body, deliver_after, "
                "dedupe_key) SELECT '2026-01-01T00:00:00Z', 'bulk', 'webhook', '批量 ' || g, '', "
                "'2026-01-01T00:00:00Z', 'bulk-' || g FROM %s AS g" % gen)
    else:
        env.sql("WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < %d) "
                "INSERT INTO outbox (created_at, kind, channel, subject, body, deliver_after, "
                "dedupe_key) SELECT '2026-01-01T00:00:00Z', 'bulk', 'webhook', '批量 ' || g, '', "
                "'2026-01-01T00:00:00Z', 'bulk-' || g FROM s" % n)
    deadline = time.time() + 120
    while time.time() < deadline:
        left = int(env.sql("SELECT count(*) FROM outbox WHERE kind = 'bulk' AND state <> 'sent'")
                   [0][0])
        if not left:
            break
        time.sleep(0.5)
    check(not left, "%d bulk messages not sent" % left)
    calls = gw.of("/webhook")[before:]
    ids = collections.Counter(json.loads(c["body"])["id"] for c in calls)
    check(len(ids) == n, "%d distinct messages delivered, want %d" % (len(ids), n))
    dup = [k for k, v in ids.items() if v > 1]
    check(not dup, "delivered more than once: %s" % dup[:10])
    check(all(c["ok"] for c in calls), "every call signed")
    if two:
        pids = env.sql("SELECT count(DISTINCT substr(claimed_by, 1, strpos(claimed_by, '-'))) "
                       "FROM outbox WHERE kind = 'bulk'")
        check(int(pids[0][0]) >= 1, "claimed by the servers: %s" % pids)


def case_templates(env, gw):
    r = expect(env.req("GET", "/api/v1/notification-templates"), 200, "templates").json
    kinds = {t["kind"] for t in r["items"]}
    for k in ("ticket_received", "technician_assigned", "appointment_confirmed", "precall",
              "late_notice", "approval_requested", "approval_decided", "sla_at_risk",
              "sla_breached", "survey_link", "quote_ready", "shipment_sent", "warranty_ending",
              "escalation", "repeat_repair", "survey_low_score", "visit_feedback"):
        check(k in kinds, "event %s has a template" % k)
    late = [t for t in r["items"] if t["kind"] == "late_notice" and t["locale"] == "zh-CN"][0]
    check("new_arrival" in late["variables"] and not late["customized"], "defaults: %s" % late)
    check(all(t["locale"] in ("zh-CN", "en") for t in r["items"]) and
          len(r["items"]) == 2 * len(kinds), "zh-CN and en of each")
    with __import__("contract").bad_requests():
        bad = env.req("PUT", "/api/v1/notification-templates/late_notice/zh-CN",
                      {"subject": "晚到", "body": "新时间 {arrival_time}"}, bad=True)
    check(bad.status == 400 and bad.json["error"]["reason"] == "unknown_reference" and
          bad.json["error"]["params"] == {"variable": "arrival_time"} and
          bad.json["error"]["field"] == "body", short(bad.body))
    bad = env.req("PUT", "/api/v1/notification-templates/late_notice/zh-CN",
                  {"subject": "晚到 {new_arrival", "body": "x"}, bad=True)
    check(bad.status == 400 and bad.json["error"]["reason"] == "invalid_format", short(bad.body))
    bad = env.req("PUT", "/api/v1/notification-templates/late_notice/fr",
                  {"subject": "a", "body": "b"}, bad=True)
    check(bad.status in (400, 404), "unknown locale: %s" % bad.status)
    ok = expect(env.req("PUT", "/api/v1/notification-templates/late_notice/zh-CN",
                        {"subject": "【晚到】{number}", "body": "{technician} 预计 {new_arrival} 到达，"
                         "{{敬请谅解}}"}), 200, "save").json
    check(ok["customized"] and ok["subject"] == "【晚到】{number}", "stored: %s" % ok)
    again = expect(env.req("GET", "/api/v1/notification-templates"), 200, "templates").json
    late = [t for t in again["items"] if t["kind"] == "late_notice" and t["locale"] == "zh-CN"][0]
    check(late["customized"] and late["body"].startswith("{technician}"), "kept: %s" % late)


def run(ctx, runner):
    holder = {}

    def setup():
        holder["gw"] = Gateway()
        holder["env"] = Env(ctx)

    if not runner.run("notify: own server and gateway", setup):
        return
    env, gw = holder["env"], holder["gw"]
    try:
        runner.run("notify: channel settings checked, secrets never returned", case_channels,
                   env, gw)
        runner.run("notify: a Chinese e-mail through a local SMTP server", case_email, env, gw)
        runner.run("notify: signed SMS (Aliyun, Tencent), robots and webhook", case_gateways,
                   env, gw)
        runner.run("notify: a failing gateway retried, dead-lettered, retried by hand",
                   case_dead_letter, env, gw)
        runner.run("notify: quiet hours hold, opt-out skips", case_quiet_and_optout, env, gw)
        runner.run("notify: templates per event and locale, variables checked when saved",
                   case_templates, env, gw)
        if env.mode == "pg":
            runner.run("notify: two servers deliver 1,000 messages exactly once", case_many,
                       env, gw, 1000, True)
        else:
            runner.run("notify: 300 messages delivered exactly once", case_many, env, gw, 300,
                       False)
    finally:
        env.close()
        gw.close()
