"""A task backend for Django's tasks framework that runs each task off the request path."""

import threading

from django.db import connections, transaction
from django.tasks.backends.immediate import ImmediateBackend
from django.tasks.base import TaskResult, TaskResultStatus
from django.utils.crypto import get_random_string


class ThreadBackend(ImmediateBackend):
    """Each task runs in a thread of its own once the request's transaction has committed.

    The answer does not wait for the work (an SMTP exchange, say), so a request takes as long
    whether or not it leads to mail. Nothing is kept if the process stops first: for mail a
    person can ask for again, not for work that must happen.
    """

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)

        def run() -> None:
            try:
                super(ThreadBackend, self).enqueue(task, args, kwargs)
            finally:
                connections.close_all()  # this thread's own connections

        transaction.on_commit(lambda: threading.Thread(target=run, daemon=True).start())
        # As queued: the run itself is not tracked (supports_get_result stays False).
        return TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
