"""Project middleware: editorial writes in the admin commit all or nothing."""

from django.db import transaction

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class AdminWriteTransactionMiddleware:
    """Run each admin write request in one database transaction.

    Wagtail's publish, unpublish and move are not atomic by themselves; the sync change log
    and the search and reference indexes are written by receivers during them. One transaction
    per admin write means an editorial change and everything recorded about it commit together
    (and cache invalidation, run on commit, sees the committed state). Reads, and the API, are
    left alone: on SQLite a transaction would take the write lock.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS or not request.path.startswith("/admin/"):
            return None
        # Around the view itself, as ATOMIC_REQUESTS does: an exception inside rolls it all
        # back before Django turns it into an error page.
        with transaction.atomic():
            return view_func(request, *view_args, **view_kwargs)
