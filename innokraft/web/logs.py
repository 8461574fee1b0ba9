"""No link in any log: personal and facilitator links carry their token in the URL (`?t=`), team
links in the path (`innokraft/team/<token>`), and tornado writes every request line at 4xx/5xx,
and every uncaught error with the request, into the log `innokraft session` keeps. Each such line
is written here with the token replaced."""

from __future__ import annotations

import logging
import re

from tornado.log import access_log

# A query parameter that carries a credential: a link's token, Jupyter's token, a key.
CREDENTIAL = re.compile(r"(?i)([?&;](?:t|token|key|api_key|_xsrf)=)[^&\s\"'<>)]+")
# A team link carries its token in the path (its device cookie is scoped to that path).
TEAM_LINK = re.compile(r"(/innokraft/team/)[^/?#&\s\"'<>)]+")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    text = CREDENTIAL.sub(lambda m: m.group(1) + REDACTED, text)
    return TEAM_LINK.sub(lambda m: m.group(1) + REDACTED, text)


def log_request(handler) -> None:
    """tornado's request log line (its Application.log_request), with credentials redacted."""
    status = handler.get_status()
    method = access_log.info if status < 400 else access_log.warning if status < 500 else access_log.error
    request = handler.request
    method("%d %s %s (%s) %.2fms", status, request.method, redact(request.uri or ""), request.remote_ip,
           1000.0 * request.request_time())


class Redacting(logging.Filter):
    """Rewrites any record's message with its credentials redacted (uncaught errors print the request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def redact_logs(*loggers: logging.Logger) -> None:
    """Every handler of the root logger and of `loggers` redacts (a handler sees what propagates
    to it); the root gets a handler of its own, so nothing falls through to Python's last resort."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for logger in (root, *loggers):
        for handler in logger.handlers:
            if not any(isinstance(f, Redacting) for f in handler.filters):
                handler.addFilter(Redacting())
