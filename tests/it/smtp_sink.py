#!/usr/bin/env python3
"""A loopback SMTP server for Cartable's mail tests and the relay benchmark (aiosmtpd).

Every accepted message is written to DIR as NNNNNN.eml (the raw bytes) and NNNNNN.json (the
envelope and the decoded headers and text body), each renamed into place once complete, so a
reader never sees half a file. Prints `ready PORT` on stdout once it listens.

  smtp_sink.py --dir DIR [--port 0] [--reject REGEX] [--defer REGEX]
               [--tls-cert PEM --tls-key PEM [--implicit-tls]] [--auth USER:PASSWORD]

--reject answers 550 to RCPT TO addresses matching REGEX, --defer answers 451; --tls-cert
offers STARTTLS (required), or TLS from the first byte with --implicit-tls; --auth requires
SMTP authentication with these credentials.
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import re
import logging
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, reject, defer):
        self.directory = directory
        self.reject = re.compile(reject) if reject else None
        self.defer = re.compile(defer) if defer else None
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject.search(address):
            return f"550 5.1.1 <{address}>: utilisateur inconnu"
        if self.defer and self.defer.search(address):
            return "451 4.3.0 Essayez plus tard"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = f"{os.getpid()}-{self.count:06d}"
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message.get("From", "")),
            "to": str(message.get("To", "")),
            "subject": str(message.get("Subject", "")),
            "message_id": str(message.get("Message-ID", "")),
            "date": str(message.get("Date", "")),
            "content_type": str(message.get("Content-Type", "")),
            "auto_submitted": str(message.get("Auto-Submitted", "")),
            "dkim_signature": str(message.get("DKIM-Signature", "")),
            "body": body.get_content() if body is not None else "",
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
        }
        for suffix, data in ((".eml", raw), (".json", json.dumps(record).encode())):
            tmp = os.path.join(self.directory, f".{name}{suffix}.tmp")
            with open(tmp, "wb") as f:
                f.write(data)
            os.rename(tmp, os.path.join(self.directory, f"{name}{suffix}"))
        return "250 2.0.0 Message accepted for delivery"


def main():
    # aiosmtpd logs a warning about its own deprecated attribute on every sign-in.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--dir", required=True)
    p.add_argument("--reject")
    p.add_argument("--defer")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--auth")
    args = p.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)

    authenticator = None
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login == user.encode()
                and auth_data.password == password.encode()
            )
            return AuthResult(success=ok, handled=False)

    handler = Sink(args.dir, args.reject, args.defer)
    starttls = context is not None and not args.implicit_tls

    def factory():
        return SMTP(
            handler,
            hostname="sink.test",
            tls_context=context if starttls else None,
            require_starttls=starttls,
            authenticator=authenticator,
            auth_required=authenticator is not None,
            auth_require_tls=not args.implicit_tls,
            enable_SMTPUTF8=True,
        )

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        loop.create_server(
            factory,
            host=args.host,
            port=args.port,
            ssl=context if args.implicit_tls else None,
        )
    )
    port = server.sockets[0].getsockname()[1]
    print(f"ready {port}", flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
