"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""
import socket
import threading
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """The SMTP handler: stores each message; `on_message` may act on it."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        self.on_message = None
        self.refuse = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
            count = len(self.messages)
        if self.on_message is not None:
            self.on_message(count, message)
        return "250 Message accepted for delivery"

    def message_ids(self):
        with self.lock:
            return [m["Message-ID"] for m in self.messages]


class SMTPServer:
    def __init__(self):
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
