"""A threaded HTTP server on a free loopback port, for tests that need a real peer."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def loopback_serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """Serve `handler` on 127.0.0.1 (a free port) from a daemon thread until `loopback_stop`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def loopback_stop(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()
