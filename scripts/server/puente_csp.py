"""The web app as `make serve`'s gunicorn runs it: docassemble's own, plus

* a Content-Security-Policy with a script policy. docassemble sends only
  ``frame-ancestors``; its pages run inline scripts, so scripts may come from
  the page and the server itself, never from elsewhere, and images only from
  the server (a Markdown image in an answer cannot call out), no plugins, no
  <base> or form posts to other sites;
* sign-in throttling per account. docassemble bans the client's IP address
  after ``attempt limit`` failures, which locks out a whole office behind
  one NAT; start.sh sets that limit high, and this locks the one account
  that failed ``LIMIT`` times for ``PERIOD`` seconds instead.
"""

from __future__ import annotations

import hashlib
import io
import os
import urllib.parse

from docassemble.webapp.run import application as docassemble_app

CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
LIMIT = int(os.environ.get("PUENTE_LOGIN_LIMIT", "10"))
PERIOD = int(os.environ.get("PUENTE_LOGIN_PERIOD", "900"))
SIGN_IN = "/user/sign-in"
LOCKED_PAGE = (
    "<!doctype html><html lang=\"es\"><head><meta charset=\"utf-8\"><title>Puente</title></head><body>"
    "<h1>Cuenta bloqueada por unos minutos</h1><p>Hubo demasiados intentos fallidos de iniciar sesión con esta cuenta. "
    "Espere {minutes} minutos y vuelva a intentarlo, o pida a quien administra el servidor que restablezca la "
    "contraseña.</p>"
    "<h1 lang=\"en\">Account locked for a few minutes</h1><p lang=\"en\">There were too many failed sign-ins with this "
    "account. Wait {minutes} minutes and try again, or ask the server's administrator to reset the password.</p>"
    "</body></html>"
).format(minutes=PERIOD // 60).encode()

_redis = None


def redis():
    global _redis
    if _redis is None:
        import redis as redis_lib
        import yaml

        # docassemble's own Redis address, password included, from its
        # configuration (never from the environment or the command line).
        with open(os.environ["DA_CONFIG_FILE"], encoding="utf-8") as fh:
            url = (yaml.safe_load(fh) or {}).get("redis") or "redis://127.0.0.1:6379"
        _redis = redis_lib.Redis.from_url(url, socket_timeout=5)
    return _redis


def _with_csp(start_response):
    def start(status, headers, exc_info=None):
        headers = [(k, v) for k, v in headers if k.lower() != "content-security-policy"]
        headers.append(("Content-Security-Policy", CSP))
        return start_response(status, headers, exc_info)
    return start


def _account_key(body: bytes) -> str | None:
    email = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("email", [""])[0].strip().lower()
    return "puente:failedlogin:" + hashlib.sha256(email.encode()).hexdigest() if email else None


def application(environ, start_response):
    start_response = _with_csp(start_response)
    if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != SIGN_IN:
        return docassemble_app(environ, start_response)
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if not 0 < length <= 64 * 1024:
        return docassemble_app(environ, start_response)
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    key = _account_key(body)
    try:
        failures = int(redis().get(key) or 0) if key else 0
    except Exception:  # noqa: BLE001 - Redis down: docassemble's own IP ban still applies
        key, failures = None, 0
    if failures >= LIMIT:
        start_response("429 Too Many Requests", [("Content-Type", "text/html; charset=utf-8"),
                                                 ("Retry-After", str(PERIOD))])
        return [LOCKED_PAGE]
    seen = {}

    def start(status, headers, exc_info=None):
        seen["status"] = status
        return start_response(status, headers, exc_info)

    result = docassemble_app(environ, start)
    if key:
        try:
            if seen.get("status", "").startswith("302"):
                redis().delete(key)  # signed in
            elif seen.get("status", "").startswith("200"):  # the form again: a failed attempt
                pipe = redis().pipeline()
                pipe.incr(key)
                pipe.expire(key, PERIOD)
                pipe.execute()
        except Exception:  # noqa: BLE001
            pass
    return result
