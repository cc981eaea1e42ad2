"""shouhou backup / restore (issue 16 item 3): a round trip gives identical content — every
table and every attachment — on the suite's own database, a backup taken while the server
writes is consistent, and restore refuses a newer schema, a damaged file and an existing
database without --force."""
import glob
import hashlib
import os
import shutil
import sqlite3
import subprocess
import threading
import time
import urllib.parse
import uuid

from harness import check, expect


def attach(ctx, n):
    """n attachments of different content on a new ticket (they land in the data dir)."""
    tid = expect(ctx.api("agent").post("/api/v1/tickets", {
        "channel": "phone", "type": "repair", "customer_id": ctx.fx["A"],
        "description": "备份测试 " + uuid.uuid4().hex[:6]}), 201, "ticket").json["id"]
    for i in range(n):
        png = b"\x89PNG\r\n\x1a\n" + uuid.uuid4().bytes * (i + 1)
        expect(ctx.srv.request("POST", "/api/v1/tickets/%d/attachments?filename=%s" % (
            tid, urllib.parse.quote("照片%d.png" % i)), body=png, token=ctx.tok["agent"],
            headers={"Content-Type": "image/png"}), 201, "attachment")


def files(data_dir):
    out = {}
    for p in glob.glob(os.path.join(data_dir, "attachments", "*", "*")):
        with open(p, "rb") as f:
            out[os.path.relpath(p, data_dir)] = hashlib.sha256(f.read()).hexdigest()
    return out


def is_pg(ctx):
    return ctx.srv.db_url.startswith("postgres")


def new_target(ctx, work):
    """A place to restore into: a SQLite path, or a new PostgreSQL database."""
    if not is_pg(ctx):
        return "sqlite:" + os.path.join(work, "restored-%s.db" % uuid.uuid4().hex[:6])
    u = urllib.parse.urlsplit(ctx.srv.db_url)
    name = "shouhou_restore_" + uuid.uuid4().hex[:10]
    admin = urllib.parse.urlunsplit((u.scheme, u.netloc, "/postgres", u.query, ""))
    subprocess.run(["psql", admin, "-qAt", "-c", "CREATE DATABASE %s" % name], check=True,
                   capture_output=True, timeout=60)
    ctx.restore_dbs = getattr(ctx, "restore_dbs", []) + [(admin, name)]
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, ""))


def tables(url):
    """Every application table's rows, sorted, as text."""
    out = {}
    if url.startswith("sqlite:"):
        c = sqlite3.connect(url[7:])
        names = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE "
                                         "'CREATE VIRTUAL%'")]
        for n in names:
            out[n] = sorted(repr(r) for r in c.execute('SELECT * FROM "%s"' % n))
        c.close()
        return out
    names = subprocess.run(["psql", url, "-qAt", "-c", "SELECT tablename FROM pg_tables WHERE "
                            "schemaname = 'public'"], capture_output=True, text=True,
                           timeout=60, check=True).stdout.split()
    # one psql for every table: a marker line before each table's rows
    script = "".join('\\echo @@table %s\nCOPY "%s" TO STDOUT;\n' % (n, n) for n in names)
    p = subprocess.run(["psql", url, "-qAt", "-v", "ON_ERROR_STOP=1"], input=script,
                       capture_output=True, text=True, timeout=300, check=True)
    cur = None
    for line in p.stdout.splitlines():
        if line.startswith("@@table "):
            cur = line[8:]
            out[cur] = []
        else:
            out[cur].append(line)
    return {k: sorted(v) for k, v in out.items()}


def cli(ctx, *args):
    return subprocess.run([ctx.srv.binary] + list(args), capture_output=True, text=True,
                          timeout=300)


def case_round_trip(ctx):
    s = ctx.srv
    work = s.workdir
    data = os.path.join(work, "data")  # the server runs in its work dir: data_dir "data"
    attach(ctx, 3)
    out = os.path.join(work, "quiet.shbak")
    # the server stopped (its SLA scan writes every second), so that the source stays as the
    # backup saw it for the comparison; the next case backs up while it writes
    s.stop()
    try:
        before, src_files = tables(s.db_url), files(data)
        p = cli(ctx, "backup", "--db", s.db_url, "--data-dir", data, "--out", out)
    finally:
        s.start()
    check(p.returncode == 0, "backup: %s %s" % (p.stdout, p.stderr))
    check(len(src_files) >= 3, "attachments in the data dir: %d" % len(src_files))
    target, data2 = new_target(ctx, work), os.path.join(work, "data-restored")
    p = cli(ctx, "restore", "--from", out, "--db", target, "--data-dir", data2)
    check(p.returncode == 0, "restore: %s %s" % (p.stdout, p.stderr))
    after = tables(target)
    diff = [t for t in before if before[t] != after.get(t)]
    check(not diff and set(before) == set(after), "tables differ after the round trip: %s %s" %
          (diff[:5], set(before) ^ set(after)))
    check(files(data2) == src_files, "attachments differ after the round trip")
    # again over it: refused without --force, replaced with it
    p = cli(ctx, "restore", "--from", out, "--db", target, "--data-dir", data2)
    check(p.returncode != 0 and "--force" in p.stderr, "existing database: %s" % p.stderr)
    p = cli(ctx, "restore", "--from", out, "--db", target, "--data-dir", data2, "--force")
    check(p.returncode == 0, "restore --force: %s" % p.stderr)
    check(tables(target) == before, "a second restore changed the content")
    ctx.backup_file = out


def case_while_writing(ctx):
    s = ctx.srv
    work = s.workdir
    stop, made, errors = threading.Event(), [], []

    def writer():
        api = ctx.api()
        while not stop.is_set():
            r = api.post("/api/v1/customers", {"name": "备份中写入" + uuid.uuid4().hex[:8],
                                               "type": "company"})
            (made if r.status == 201 else errors).append(r.status)
    th = threading.Thread(target=writer)
    th.start()
    time.sleep(0.3)
    out = os.path.join(work, "busy.shbak")
    p = cli(ctx, "backup", "--db", s.db_url, "--data-dir", os.path.join(work, "data"),
            "--out", out)
    n_at_end = len(made)
    stop.set()
    th.join(30)
    check(p.returncode == 0, "backup under writes: %s" % p.stderr)
    check(not errors and n_at_end > 0, "writes during the backup: %d ok, errors %s" %
          (n_at_end, errors[:5]))
    target = new_target(ctx, work)
    p = cli(ctx, "restore", "--from", out, "--db", target, "--data-dir",
            os.path.join(work, "data-busy"))
    check(p.returncode == 0, "restore: %s" % p.stderr)
    if target.startswith("sqlite:"):
        c = sqlite3.connect(target[7:])
        ok = c.execute("PRAGMA integrity_check").fetchone()[0]
        fk = c.execute("PRAGMA foreign_key_check").fetchall()
        c.close()
        check(ok == "ok" and not fk, "restored snapshot: %s %s" % (ok, fk[:3]))
    # the restored database opens, migrates nothing and answers (the program's own check)
    p = cli(ctx, "migrate", "--db", target)
    check(p.returncode == 0, "migrate on the restored database: %s" % p.stderr)


def case_refusals(ctx):
    work = ctx.srv.workdir
    src = getattr(ctx, "backup_file", None)
    check(src, "the round-trip case made a backup")
    # a backup from a newer schema
    newer = os.path.join(work, "newer.shbak")
    shutil.copy(src, newer)
    c = sqlite3.connect(newer)
    c.execute("UPDATE shouhou_backup_meta SET value = '9999' WHERE key = 'schema_version'")
    c.commit()
    c.close()
    p = cli(ctx, "restore", "--from", newer, "--db", new_target(ctx, work), "--data-dir",
            os.path.join(work, "data-x"))
    check(p.returncode != 0 and "newer" in p.stderr, "newer schema: rc %d %s" %
          (p.returncode, p.stderr))
    # a damaged attachment: nothing claims to be restored
    bad = os.path.join(work, "damaged.shbak")
    shutil.copy(src, bad)
    c = sqlite3.connect(bad)
    c.execute("UPDATE shouhou_backup_files SET data = X'00' WHERE rowid = "
              "(SELECT MIN(rowid) FROM shouhou_backup_files)")
    c.commit()
    c.close()
    p = cli(ctx, "restore", "--from", bad, "--db", new_target(ctx, work), "--data-dir",
            os.path.join(work, "data-y"))
    check(p.returncode != 0 and "damaged" in p.stderr, "damaged file: rc %d %s" %
          (p.returncode, p.stderr))
    # not a backup at all
    junk = os.path.join(work, "junk.shbak")
    with open(junk, "wb") as f:
        f.write(b"not a backup" * 100)
    p = cli(ctx, "restore", "--from", junk, "--db", new_target(ctx, work), "--data-dir",
            os.path.join(work, "data-z"))
    check(p.returncode != 0 and "backup" in p.stderr, "junk: rc %d %s" % (p.returncode,
                                                                         p.stderr))
    # a backup of the other database kind: refused before the target is touched
    other = ("sqlite:" + os.path.join(work, "other-kind.db") if is_pg(ctx)
             else "postgresql://shouhou@127.0.0.1:1/other_kind")
    p = cli(ctx, "restore", "--from", src, "--db", other, "--data-dir",
            os.path.join(work, "data-k"))
    kind = "PostgreSQL" if is_pg(ctx) else "SQLite"
    check(p.returncode != 0 and "is of a %s database" % kind in p.stderr,
          "other kind: rc %d %s" % (p.returncode, p.stderr))
    check(not os.path.exists(os.path.join(work, "other-kind.db")),
          "a refused restore created the SQLite file")


def run(ctx, runner):
    try:
        runner.single("backup: round trip gives every table and attachment back",
                      case_round_trip, ctx)
        runner.run("backup: consistent while the server writes", case_while_writing, ctx)
        runner.single("backup: restore refuses a newer schema, damage, junk, the other database "
                      "kind", case_refusals, ctx)
    finally:
        for admin, name in getattr(ctx, "restore_dbs", []):
            subprocess.run(["psql", admin, "-qAt", "-c",
                            "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name],
                           capture_output=True, timeout=60)
