"""An SMTP server on 127.0.0.1 for tests: STARTTLS with the given certificate, AUTH required.

usage: /usr/bin/python3 starttls_server.py PORT CERT KEY USER PASSWORD MAILDIR [--no-starttls]

Each message received is written to MAILDIR as one file; "READY" is printed once it listens.
With --no-starttls it offers neither STARTTLS nor TLS (and still wants AUTH, over plain text).
"""
import os
import signal
import ssl
import sys
import threading
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, cert, key, user, password, maildir = sys.argv[1:7]
plain = "--no-starttls" in sys.argv[7:]


class Handler:
    async def handle_DATA(self, server, session, envelope):
        name = os.path.join(maildir, uuid.uuid4().hex + ".eml")
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(name + ".tmp", name)
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password:
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


context = None
if not plain:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

controller = Controller(Handler(), hostname="127.0.0.1", port=int(port), tls_context=context,
                        require_starttls=not plain, authenticator=authenticator, auth_required=True,
                        auth_require_tls=not plain)
controller.start()
print("READY", flush=True)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
try:
    threading.Event().wait()  # runs until the test stops the process
finally:
    controller.stop()
