"""X-Forwarded-For and X-Forwarded-Proto, believed only from the proxies named in FORWARDED_ALLOW_IPS.

gunicorn reads the same setting for the scheme; the client's address is the app's business: without this
every client behind the proxy would share the proxy's address (and its rate-limit bucket), and believing the
header from anyone would let a client pick any address it likes."""

from __future__ import annotations

import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix


def parse_trusted(setting: str) -> tuple[bool, list]:
    """(any proxy, networks) from "127.0.0.1,10.0.0.0/8" or "*"; entries that are not addresses are skipped."""
    networks, anyone = [], False
    for entry in (setting or "").split(","):
        entry = entry.strip()
        if entry == "*":
            anyone = True
        elif entry:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                continue
    return anyone, networks


class TrustedProxies:
    """WSGI middleware: ProxyFix (one proxy hop) for requests from a trusted proxy, nothing for the rest."""

    def __init__(self, wsgi_app, setting: str):
        self.wsgi_app = wsgi_app
        self.fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1)
        self.anyone, self.networks = parse_trusted(setting)

    def trusted(self, remote_addr: str | None) -> bool:
        if self.anyone:
            return True
        try:
            address = ipaddress.ip_address(remote_addr or "")
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        if self.trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.wsgi_app(environ, start_response)
