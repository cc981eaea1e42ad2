"""Debian's PgBouncer in transaction pooling mode in front of the API suite's PostgreSQL test
database, for the tests of the server behind a pooler (test_pgrt, test_pgdrv)."""
import contextlib
import os
import re
import shutil
import socket
import subprocess
import time

from harness import Fail, check, free_port

INI = """[databases]
* = host=%(host)s port=%(port)s
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %(listen)d
unix_socket_dir =
auth_type = trust
auth_file = %(dir)s/users.txt
pool_mode = transaction
default_pool_size = 2
min_pool_size = 0
max_client_conn = 200
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = %(dir)s/pgbouncer.log
pidfile = %(dir)s/pgbouncer.pid
"""


def binary():
    for p in (shutil.which("pgbouncer"), "/usr/sbin/pgbouncer"):
        if p and os.access(p, os.X_OK):
            return p
    raise Fail("pgbouncer is not installed (scripts/deps.sh installs Debian's pgbouncer)")


@contextlib.contextmanager
def pgbouncer(ctx, name):
    """A PgBouncer of its own (its files in the suite's work directory under `name`, 2 server
    connections per database): yields the test database's URL through it, stops it after."""
    exe = binary()
    m = re.match(r"postgres(?:ql)?://([^@/]+)@([^:/]+):(\d+)/(\w+)", ctx.srv.db_url)
    check(m, "cannot read the test database URL %s" % ctx.srv.db_url)
    user, host, port, dbname = m.groups()
    d = os.path.join(ctx.srv.workdir, name)
    os.makedirs(d, exist_ok=True)
    os.chmod(ctx.srv.workdir, 0o755)
    os.chmod(d, 0o777)
    listen = free_port()
    with open(os.path.join(d, "pgbouncer.ini"), "w") as f:
        f.write(INI % {"host": host, "port": port, "listen": listen, "dir": d})
    with open(os.path.join(d, "users.txt"), "w") as f:
        f.write('"%s" ""\n' % user)
    cmd = [exe, os.path.join(d, "pgbouncer.ini")]
    if os.geteuid() == 0:  # pgbouncer refuses to run as root
        cmd[1:1] = ["-u", "postgres"]
    pgb = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", listen), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise Fail("pgbouncer did not listen")
        yield "postgresql://%s@127.0.0.1:%d/%s" % (user, listen, dbname)
    finally:
        pgb.terminate()
        try:
            pgb.wait(10)
        except subprocess.TimeoutExpired:
            pgb.kill()
