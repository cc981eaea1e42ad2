"""A local SMTP server (Debian's python3-aiosmtpd) for test_notify.py: prints its port, then
writes each message received to DIR/N.eml and its recipients to DIR/N.rcpt. Run with the
interpreter that has aiosmtpd (/usr/bin/python3); stops when stdin closes."""
import os
import socket
import sys

from aiosmtpd.controller import Controller

out = sys.argv[1]
count = [0]


class Handler:
    async def handle_DATA(self, server, session, envelope):
        count[0] += 1
        base = os.path.join(out, str(count[0]))
        with open(base + ".rcpt", "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK"


# a free port (the controller connects to its own port once started, so 0 will not do)
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
ctl = Controller(Handler(), hostname="127.0.0.1", port=port)
ctl.start()
print(port, flush=True)
sys.stdin.read()
ctl.stop()
