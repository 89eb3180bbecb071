"""Loaded by `make serve`'s Celery worker (docassemble's ``celery modules``
setting, written by start.sh): each worker process gets database
connections of its own.

docassemble's worker sets itself up, database included, in the parent
process, then Celery forks the worker processes. With more than one
process (``PUENTE_CELERY_PROCESSES=2``) the processes inherited the parent's
pooled PostgreSQL connection and used it at the same time: one task failed
with "lost synchronization with server" and another hung on the socket
(seen here, docassemble 1.10.13, the batch's parts running side by side).
SQLAlchemy's advice for forking: in each child, dispose of the inherited
pool without closing the parent's connections, so the child opens its own.
"""

from __future__ import annotations

from typing import Any

from celery.signals import worker_process_init


@worker_process_init.connect
def own_database_connections(**_: Any) -> None:
    import docassemble.webapp.db as da_db
    from docassemble.webapp.extensions import db
    from docassemble.webapp.flask_app import flaskapp

    with flaskapp.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
    session_local = getattr(da_db, "_SessionLocal", None)
    engines = set(getattr(da_db, "binds", {}).values())
    if session_local is not None and session_local.kw.get("bind") is not None:
        engines.add(session_local.kw["bind"])
    for engine in engines:
        engine.dispose(close=False)
