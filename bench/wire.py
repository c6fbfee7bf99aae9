#!/usr/bin/env python3
"""What clients really send to the engine, for bench/run.sh's context figures.

  wire.py proxy LISTEN_SOCKET ENGINE_SOCKET LOG   forwards every byte between a client and the engine, and logs
      one JSON line per HTTP request: method, path, request body bytes (chunked bodies decoded), and for an
      upgraded connection (the BuildKit CLI's /session, which carries its files) the bytes the client sent after
      the upgrade.
  wire.py stub LISTEN_SOCKET LOG                  an "engine" that only reads: it answers /_ping and /version, and
      takes a POST /build's body (the context tar the docker CLI's tar mode sends) whole, logs its size, then
      answers with an error, so nothing is built.

Both run until killed.
"""
import asyncio
import json
import os
import sys
import time


class Log:
    def __init__(self, path):
        self.path = path

    def write(self, entry):
        entry["at"] = time.time()
        with open(self.path, "a") as f:
            f.write(json.dumps(entry) + "\n")


async def read_head(reader):
    """A request's line and headers, or None at the end of the connection."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None, None, None, None
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = (lines[0].split(" ", 2) + ["", ""])[:3]
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return head, method, path, headers


async def pump_body(reader, headers, sink):
    """Reads one request body (Content-Length or chunked), handing every raw byte to sink; returns the
    payload's length (chunk framing not counted)."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        total = 0
        while True:
            size_line = await reader.readuntil(b"\r\n")
            sink(size_line)
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while True:  # trailers, then the empty line
                    trailer = await reader.readuntil(b"\r\n")
                    sink(trailer)
                    if trailer == b"\r\n":
                        return total
            data = await reader.readexactly(size + 2)
            sink(data)
            total += size
    length = int(headers.get("content-length", "0") or 0)
    remaining = length
    while remaining:
        data = await reader.read(min(remaining, 65536))
        if not data:
            break
        sink(data)
        remaining -= len(data)
    return length


async def copy_raw(reader, writer, counter=None):
    try:
        while data := await reader.read(65536):
            if counter is not None:
                counter[0] += len(data)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        try:
            writer.write_eof()
        except (OSError, RuntimeError):
            pass


async def proxy_connection(client_reader, client_writer, engine_socket, log):
    engine_reader, engine_writer = await asyncio.open_unix_connection(engine_socket)
    back = asyncio.ensure_future(copy_raw(engine_reader, client_writer))
    try:
        while True:
            head, method, path, headers = await read_head(client_reader)
            if head is None:
                break
            engine_writer.write(head)
            body = await pump_body(client_reader, headers, engine_writer.write)
            await engine_writer.drain()
            if "upgrade" in headers.get("connection", "").lower():
                sent = [0]
                started = time.time()
                await copy_raw(client_reader, engine_writer, sent)
                log.write({"method": method, "path": path, "body_bytes": body, "upgraded_bytes_sent": sent[0],
                           "opened": started})
                break
            log.write({"method": method, "path": path, "body_bytes": body})
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass
    finally:
        try:
            engine_writer.write_eof()
        except (OSError, RuntimeError):
            pass
        await back
        client_writer.close()
        engine_writer.close()


def respond(writer, method, status, body, content_type="application/json", extra=""):
    data = body.encode()
    writer.write((f"HTTP/1.1 {status}\r\nApi-Version: 1.41\r\nContent-Type: {content_type}\r\n{extra}"
                  f"Content-Length: {len(data)}\r\n\r\n").encode() + (b"" if method == "HEAD" else data))


async def stub_connection(reader, writer, log):
    try:
        while True:
            head, method, path, headers = await read_head(reader)
            if head is None:
                break
            body = await pump_body(reader, headers, lambda _: None)
            route = path.split("?", 1)[0]
            if route.endswith("/_ping"):
                respond(writer, method, "200 OK", "OK", "text/plain", "Builder-Version: 1\r\n")
            elif route.endswith("/version"):
                respond(writer, method, "200 OK", json.dumps({"Version": "20.10.24", "ApiVersion": "1.41", "MinAPIVersion": "1.12",
                                                      "Os": "linux", "Arch": "amd64"}))
            elif route.endswith("/build"):
                log.write({"method": method, "path": path, "body_bytes": body})
                respond(writer, method, "500 Internal Server Error", json.dumps({"message": "bench stub: context measured, nothing built"}))
            else:
                respond(writer, method, "404 Not Found", json.dumps({"message": "bench stub"}))
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def serve(listen, handler):
    if os.path.exists(listen):
        os.unlink(listen)
    server = await asyncio.start_unix_server(handler, listen, limit=1 << 20)
    async with server:
        await server.serve_forever()


def main(argv):
    if len(argv) == 5 and argv[1] == "proxy":
        log = Log(argv[4])
        asyncio.run(serve(argv[2], lambda r, w: proxy_connection(r, w, argv[3], log)))
    elif len(argv) == 4 and argv[1] == "stub":
        log = Log(argv[3])
        asyncio.run(serve(argv[2], lambda r, w: stub_connection(r, w, log)))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
