"""Answers HTTP on $PORT: the standard library's server, and MarkupSafe (the project's one dependency) to escape
the requested path into the HTML answer."""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

from markupsafe import escape


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the stdlib's name)
        page = f"Hello from wheelsapp, installed from its wheel. You asked for {escape(unquote(self.path))}\n"
        body = page.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    port = int(os.environ.get("PORT", "8000"))
    print(f"wheelsapp listening on port {port}", flush=True)
    ThreadingHTTPServer(("0.0.0.0", port), Handler).serve_forever()
