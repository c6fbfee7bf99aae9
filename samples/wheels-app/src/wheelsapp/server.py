"""Answers HTTP on $PORT with the standard library only."""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MESSAGE = b"Hello from wheelsapp, installed from its wheel\n"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the stdlib's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(MESSAGE)))
        self.end_headers()
        self.wfile.write(MESSAGE)


def main():
    port = int(os.environ.get("PORT", "8000"))
    print(f"wheelsapp listening on port {port}", flush=True)
    ThreadingHTTPServer(("0.0.0.0", port), Handler).serve_forever()
