"""Gunicorn settings for ``medvirk serve`` (loaded with ``-c python:medvirk.launch.gunicorn_conf``).

Gunicorn reads the module-level names that are gunicorn settings (here the ``post_fork``
hook and ``control_socket_disable``) and ignores the rest.

Why the hook: gunicorn's sync workers look for a new parent only between connections, once
every ``timeout / 2`` seconds (15 s by default), and never while a request blocks them. When
the master was SIGKILLed, its orphaned workers kept the listening socket -- and kept serving
-- for that long, so a restart on the same port failed (issue 15). Each worker now watches
its master in a small thread and stops by itself soon after the master is gone.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any

# gunicorn >= 25 opens a control socket at ~/.gunicorn/gunicorn.ctl (or $XDG_RUNTIME_DIR)
# by default: one path shared by every gunicorn of the user, so two app processes on one
# machine would take it from each other, and under ProtectSystem=strict it cannot be made.
# Medvirk is managed by signals (systemd), not through gunicornc.
control_socket_disable = True

# How often a worker checks that its master is still its parent: the longest an idle orphan
# keeps the port.
PARENT_POLL_SECONDS = 0.25


def post_fork(server: Any, worker: Any) -> None:
    """In the new worker, before it loads the app: start watching the master."""
    watcher = threading.Thread(
        target=_stop_when_orphaned,
        args=(worker,),
        name="medvirk-master-watch",
        daemon=True,
    )
    watcher.start()


def _stop_when_orphaned(worker: Any) -> None:
    # The master is our parent; when it dies (even by SIGKILL) we are re-parented.
    while os.getppid() == worker.ppid:
        time.sleep(PARENT_POLL_SECONDS)
    worker.log.warning("master %s is gone; worker %s stops", worker.ppid, worker.pid)
    # SIGTERM is gunicorn's graceful stop: an idle worker exits at once, a busy one after the
    # request it is serving, as when the master stops it.
    os.kill(worker.pid, signal.SIGTERM)
    # The master would kill a worker that outlives graceful_timeout; without a master, the
    # worker does it itself, so a stuck request cannot hold the port for ever.
    time.sleep(float(worker.cfg.graceful_timeout))
    worker.log.warning("worker %s did not stop within graceful_timeout; exiting", worker.pid)
    os._exit(1)
