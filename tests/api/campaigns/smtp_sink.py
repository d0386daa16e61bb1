"""A real SMTP server for the campaign tests and the send benchmark
(Debian's python3-aiosmtpd). Usage: smtp_sink.py PORT DIR|-

Recipients whose local part starts with "reject" are refused with 550
(a hard bounce), "later" with 451 (try again later). Every accepted
message is written to DIR/new/ with an `X-Envelope-To:` line first, so
tests count messages per recipient at the server; with DIR "-" messages
are only counted (the benchmark's null sink), and the count is printed to
stdout every second.
"""
import asyncio
import os
import sys
import time
import uuid

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 mailbox unavailable"
        if local.startswith("later"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        if self.out:
            name = uuid.uuid4().hex
            tmp = os.path.join(self.out, "tmp", name)
            with open(tmp, "wb") as f:
                for rcpt in envelope.rcpt_tos:
                    f.write(("X-Envelope-To: %s\r\n" % rcpt).encode())
                f.write(envelope.original_content or envelope.content)
            os.rename(tmp, os.path.join(self.out, "new", name))
        return "250 Message accepted"


def main():
    port = int(sys.argv[1])
    out = None if sys.argv[2] == "-" else sys.argv[2]
    if out:
        for sub in ("tmp", "new"):
            os.makedirs(os.path.join(out, sub), exist_ok=True)
    handler = Handler(out)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    last = -1
    try:
        while True:
            time.sleep(1)
            if out is None and handler.count != last:
                last = handler.count
                print(handler.count, flush=True)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
