"""A local web server for tests that fetch pages: realistic news pages (site chrome, a cookie
banner, related links, non-UTF-8 charsets) and every bad answer the fetcher must refuse.
It listens on a free loopback port; no test reaches any other address."""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GRAIN_PARAGRAPHS = [
    "The ministry of agriculture said on Tuesday that grain exports through the Black Sea "
    "corridor reached four million tonnes in March, the highest monthly figure since the "
    "corridor opened.",
    "Deputy minister Taras Vysotskyi told reporters in Kyiv that insurance costs for ships "
    "had fallen by a third since January, which allowed smaller traders to return.",
    "The figures could not be independently verified. Port officials in Odesa said queues "
    "of vessels waiting for inspection had shortened to two days.",
]


def news_page(title, paragraphs, site="Kyiv Daily", canonical="", author="Olena Petrenko"):
    """A news page as sites serve them: navigation, a cookie banner, the article, related
    links and a footer around it."""
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    canonical_link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | {site}</title>
{canonical_link}
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="2025-04-02T09:30:00+03:00">
</head>
<body>
<div id="cookie-banner">We use cookies to improve your experience.
<button>Accept all cookies</button> <a href="/privacy">Privacy policy</a></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/economy">Economy</a></li><li><a href="/subscribe">Subscribe</a></li></ul>
</nav></header>
<main>
<article>
<h1>{title}</h1>
<p class="byline">By {author}</p>
{body}
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/news/ports">Odesa ports brace for winter</a></li>
<li><a href="/news/rail">Rail freight rises again</a></li></ul></aside>
</main>
<footer><p>© 2025 {site}. All rights reserved.</p><a href="/terms">Terms of use</a></footer>
</body>
</html>
"""


CYRILLIC_PARAGRAPHS = [
    "Міністерство аграрної політики заявило у вівторок, що експорт зерна через морський "
    "коридор у березні досяг чотирьох мільйонів тонн.",
    "Заступник міністра сказав журналістам у Києві, що вартість страхування суден "
    "знизилася на третину з січня.",
]
LATIN1_PARAGRAPHS = [
    "Le ministère a déclaré mardi que les exportations de céréales ont atteint quatre "
    "millions de tonnes en mars, un record depuis l'ouverture du corridor.",
    "Selon le vice-ministre, le coût de l'assurance des navires a baissé d'un tiers depuis "
    "janvier, ce qui a permis aux négociants de revenir.",
]


class NewsSite:
    """What the server answers: `pages` maps a path to (status, headers, body); tests
    change it to make a page change between two fetches."""

    def __init__(self):
        self.pages = {}
        self.slow_seconds = 3.0
        self.requests = []
        #: Paths answered by a function writing to the handler itself (hostile servers:
        #: dripping, endless or malformed answers), e.g. tests/security/hostile_web.py.
        self.responders = {}

    def page(self, path, body, content_type="text/html; charset=utf-8", status=200, **headers):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = (status, {"Content-Type": content_type, **headers}, data)

    def redirect(self, path, location, status=302):
        self.pages[path] = (status, {"Location": location}, b"")


def fill_realistic_site(site, base_url):
    """Every page the tests fetch, good and bad."""
    grain = news_page(
        "Grain exports reach a record",
        GRAIN_PARAGRAPHS,
        canonical=f"{base_url}/news/grain-exports",
    )
    site.page("/news/grain-exports", grain)
    site.page(
        "/news/zerno",
        news_page("Експорт зерна досяг рекорду", CYRILLIC_PARAGRAPHS, site="Київський вісник")
        .replace('<meta charset="utf-8">', "")
        .encode("cp1251"),
        content_type="text/html; charset=windows-1251",
    )
    site.page(
        "/news/cereales",
        news_page("Les exportations de céréales battent un record", LATIN1_PARAGRAPHS)
        .replace('<meta charset="utf-8">', '<meta charset="iso-8859-1">')
        .encode("latin-1"),
        content_type="text/html",
    )
    site.page(
        "/statement.txt",
        "Statement of the ministry\n\n" + "\n\n".join(GRAIN_PARAGRAPHS) + "\n",
        content_type="text/plain; charset=utf-8",
    )
    site.redirect("/old/grain", "/news/grain-exports", status=301)
    for hop in range(1, 8):
        site.redirect(f"/chain/{hop}", f"/chain/{hop + 1}")
    site.page("/chain/8", grain)
    site.page("/missing", "<html><body>Not found</body></html>", status=404)
    site.page("/broken", "<html><body>Server error</body></html>", status=500)
    site.page("/slow", grain)
    huge = b"<html><body>" + b"x" * (6 * 1024 * 1024) + b"</body></html>"
    site.page("/huge", huge)
    # No length announced: the fetcher must stop reading past the limit by itself.
    site.page("/huge-unannounced", huge, Connection="close")
    site.page("/photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    site.redirect("/to/metadata", "http://169.254.169.254/latest/meta-data/")
    site.redirect("/to/private", "http://10.0.0.1/admin")
    site.redirect("/to/ipv6-loopback", "http://[::1]/")
    site.redirect("/to/file", "file:///etc/passwd")


def serve(site):
    """Start a threaded server for `site` on a free loopback port; returns (server, URL)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (the name http.server calls)
            site.requests.append((self.path, self.headers.get("User-Agent", "")))
            responder = site.responders.get(self.path.split("?")[0])
            if responder:
                self.close_connection = True
                # The fetcher hangs up on a hostile answer as soon as it has seen enough.
                with contextlib.suppress(OSError):
                    responder(self)
                return
            if self.path == "/slow":
                time.sleep(site.slow_seconds)
            status, headers, body = site.pages.get(
                self.path.split("?")[0], (404, {"Content-Type": "text/plain"}, b"no such page")
            )
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Connection" not in headers:
                self.send_header("Content-Length", str(len(body)))
            else:
                self.close_connection = True
            self.end_headers()
            # The fetcher may stop reading (a page over the limit), as it should.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        # The fetcher connects several at once: a short backlog drops connections, which
        # come back only a second later, as if the server were slow.
        request_queue_size = 64

        def handle_error(self, request, client_address):
            # A client that hung up (the fetcher gave up on a slow page) is no error here,
            # and socketserver would print it on the stderr of whichever test runs then.
            pass

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"
