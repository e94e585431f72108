"""Production settings that report each request's SQL query count, for tests of served processes.

Only tests start a server with these (`DJANGO_SETTINGS_MODULE=tests.live.query_count_settings`):
the outermost middleware counts every query the request runs, on every database alias, with
Django's own `execute_wrapper` (what `django_assert_num_queries` counts on the test client),
and says which process served the request and the how-manieth of that process it was.
"""

import itertools
import os
from contextlib import ExitStack

from django.db import connections

from cms.settings.production import *  # noqa: F403

MIDDLEWARE = ["tests.live.query_count_settings.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405

_served = itertools.count(1)


class QueryCountMiddleware:
    """`X-Query-Count`: the request's queries; `X-Served-By`: `<pid>:<request number>`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        number = next(_served)
        queries = 0

        def counted(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counted))
            response = self.get_response(request)
        response["X-Query-Count"] = str(queries)
        response["X-Served-By"] = f"{os.getpid()}:{number}"
        return response
