"""What the app takes from a request before any view sees it: the body's size
(MAX_CONTENT_LENGTH), the hosts it answers for (TRUSTED_HOSTS), and the proxies whose forwarded
client address, scheme and host it believes (TRUSTED_PROXIES).

Absolute links (the appointment page in an `.ics` file, and e-mails) are built from the
request's scheme and host, so in production TRUSTED_HOSTS names the site's hosts (a forged
`Host` is refused with 400 before routing) and TRUSTED_PROXIES counts the reverse proxies whose
`X-Forwarded-*` headers say what the client used; without proxies those headers are ignored.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

_HOST_SEPARATORS = re.compile(r"[\s,]+")


def trusted_hosts(value: object) -> list[str] | None:
    """The TRUSTED_HOSTS setting as Flask takes it: a list of host names (`.example.org` also
    matches its subdomains), or None for any host. From the environment it is one string of
    names separated by commas or spaces; an empty one means any host."""
    if value is None or isinstance(value, list | tuple):
        return list(value) if value else None
    names = [name for name in _HOST_SEPARATORS.split(str(value)) if name]
    return names or None


def _refuse_untrusted_host() -> Response | None:
    """A request whose Host TRUSTED_HOSTS refuses fails before routing, so no URL can be built
    for an error page: it gets a plain 400 (the API answers its JSON before this hook)."""
    if isinstance(request.routing_exception, SecurityError):
        return Response(
            "400 Bad Request: this server does not serve the host the request names.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return None


def init_request_checks(app: Flask) -> None:
    """Apply the settings: MAX_CONTENT_LENGTH and TRUSTED_PROXIES as whole numbers (they may
    come from the environment as text), TRUSTED_HOSTS as a list, and ProxyFix with
    TRUSTED_PROXIES for each of X-Forwarded-For, -Proto and -Host (werkzeug trusts that many
    values, counted from the right, of each header; 0 leaves the headers unread)."""
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_CONTENT_LENGTH"])
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config.get("TRUSTED_HOSTS"))
    proxies = app.config["TRUSTED_PROXIES"] = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    app.before_request(_refuse_untrusted_host)
