"""A local HTTP server for tests of fetching: never the internet."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def serve(routes: dict):
    """Serve routes {path: (status, content_type, body bytes, delay seconds)} on 127.0.0.1; yield the base URL."""
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, content_type, body, delay = routes.get(self.path, (404, "text/html", b"<h1>Not found</h1>", 0))
            if delay and stop.wait(delay):
                return
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def article_html(title: str, paragraphs: list[str], *, site: str = "", published: str = "") -> bytes:
    """Return a saved-page-like article with a menu and a footer around it, as UTF-8."""
    meta = (f"<meta property='og:site_name' content='{site}'>" if site else "") + (
        f"<meta property='article:published_time' content='{published}'>" if published else "")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{meta}</head><body>"
            f"<nav>Accueil | Monde | Sport</nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Mentions légales</footer></body></html>").encode("utf-8")
