#!/usr/bin/env python3
"""Verifies the DKIM signature of a message with dkimpy, the reference verifier (Cartable's mail
tests, tests/it/mail_dkim.rs).

  dkim_verify.py RECORD MESSAGE_FILE... [--name SELECTOR._domainkey.DOMAIN]

The public key is not looked up in DNS: the DNS answer function gives RECORD (the TXT record,
`v=DKIM1; k=rsa; p=…`) for NAME (any name when --name is not given) and nothing for any other
name. Prints one line per message, `pass` when its signature verifies or `fail: why`; exits 0
when all pass, 1 when one does not, 2 when dkimpy is missing (scripts/test installs it).
"""

import argparse
import io
import logging
import sys

try:
    import dkim
    import nacl.signing  # noqa: F401 (dkimpy needs it for Ed25519 signatures)
except ImportError as e:
    print(f"{e}: pip install dkimpy pynacl, or apt install python3-dkim python3-nacl")
    sys.exit(2)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("record")
    p.add_argument("messages", nargs="+")
    p.add_argument("--name")
    args = p.parse_args()
    return max(check(path, args) for path in args.messages)


def check(path, args):
    with open(path, "rb") as f:
        message = f.read()
    asked = []

    def dnsfunc(name, timeout=5):
        name = name.decode() if isinstance(name, bytes) else name
        asked.append(name)
        if args.name is None or name.rstrip(".").lower() == args.name.lower():
            return args.record.encode()
        return None

    log = io.StringIO()
    logger = logging.getLogger(f"dkim_verify.{path}")
    logger.addHandler(logging.StreamHandler(log))
    logger.setLevel(logging.DEBUG)
    try:
        ok = dkim.DKIM(message, logger=logger).verify(dnsfunc=dnsfunc)
    except Exception as e:  # a key of the wrong type makes dkimpy raise: not verified either
        print(f"fail: {type(e).__name__}: {e} (asked {asked})")
        return 1
    if ok:
        print("pass")
        return 0
    why = " | ".join(log.getvalue().strip().splitlines())
    print(f"fail: signature does not verify (asked {asked}); {why}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
