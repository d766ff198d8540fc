vcl 4.1;
# Newsroom's edge: Varnish in front of gunicorn (README, "Caching and Varnish").
#
# - Caches only what the application labels with surrogate keys (the `xkey` header), i.e.
#   anonymous readers' pages, listings, feeds, the sitemap, robots.txt and the read API;
#   and static files.
# - Purges by URL (PURGE) and by key (PURGE with `xkey-purge: key key…`), only from the
#   application's addresses (acl purgers).
# - Grace: while the application is down (the probe fails), readers get the copy kept,
#   up to a day old; while it is up, an expired copy is served at most 10 s while refetched.
# - Reader paths lose their cookies; the admin, previews, page passwords, writes and anyone
#   with a session are passed straight through and never cached.
# - Reader paths lose every query parameter no reader's page reads (explainers/query_params.py
#   READER_PARAMS), so `?utm_x=<anything>` is the same object.
# - Request bodies (newsroom/request_bodies.py): none on reader paths (413, unread); on the
#   admin and the forms under /_util/ up to their budgets (413 past them), buffered whole here
#   before gunicorn sees them, so a slow upload holds a Varnish thread, not a gunicorn worker.
# - X-Forwarded-For is set to the address that connected, never passed on as a client wrote
#   it: the application counts password guesses per that address (NEWSROOM_TRUSTED_PROXIES).
#
# The backend's address and the purgers are the two lines to adapt (tests rewrite them).

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .first_byte_timeout = 30s;
    .probe = {
        .request =
            "GET /robots.txt HTTP/1.1"
            "Host: localhost"
            "Connection: close"
            "User-Agent: Varnish probe";
        .interval = 1s;
        .timeout = 5s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # Varnish would append the connecting address to what the client sent; the application
    # must read the address alone, which no client can forge.
    set req.http.X-Forwarded-For = client.ip;
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone + " objects"));
        }
        return (purge);
    }
    call refuse_bodies;
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|django-admin|_util)(/|$)") {
        return (pass);
    }
    # A session (a login, a page password) or messages: answers of one's own.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    unset req.http.Cookie;
    # The read API keys its answers on its own canonical parameters (explainers/api_cache.py).
    if (req.url !~ "^/api/") {
        call keep_reader_params;
    }
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

# The budgets of newsroom/request_bodies.py body_budgets() at their defaults (tests hold the
# two to each other): the admin up to the import's allowance (20 files of 5 MiB, and 1 MiB
# for the rest of its form: 101 MiB); the login and password forms 64 KiB; every other path
# nothing. An announced length past the budget is refused before a byte is read; a body of
# unknown length (chunked) is read up to the budget, and the connection closed past it.
sub refuse_bodies {
    if (req.url ~ "^/admin/") {
        if (std.integer(req.http.Content-Length, 0) > 105906176) {
            return (synth(413, "Request body too large"));
        }
        if (req.http.Transfer-Encoding || std.integer(req.http.Content-Length, 0) > 0) {
            if (!std.cache_req_body(101MB)) {
                return (synth(413, "Request body too large"));
            }
        }
    } elsif (req.url ~ "^/(_util|documents/authenticate_with_password)/") {
        if (std.integer(req.http.Content-Length, 0) > 65536) {
            return (synth(413, "Request body too large"));
        }
        if (req.http.Transfer-Encoding || std.integer(req.http.Content-Length, 0) > 0) {
            if (!std.cache_req_body(64KB)) {
                return (synth(413, "Request body too large"));
            }
        }
    } elsif (req.http.Transfer-Encoding || std.integer(req.http.Content-Length, 0) != 0) {
        return (synth(413, "This address takes no request body"));
    }
}

# Every parameter but those of READER_PARAMS (explainers/query_params.py) goes, and those
# left are put in order.
sub keep_reader_params {
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "(?<=[?&])(?!(?:page|p|q)=)[^&]*(?:&|$)", "");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = std.querysort(req.url);
    }
}

sub vcl_backend_response {
    # Static files (WhiteNoise's hashed names) are kept as long as their headers say.
    if (bereq.url ~ "^/static/" && beresp.status == 200 && !beresp.http.Set-Cookie) {
        return (deliver);
    }
    # Only what the application labelled as shared, and never a response setting a cookie.
    if (!beresp.http.xkey || beresp.http.Set-Cookie || beresp.status != 200) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Kept while the application is down (vcl_recv shortens it while it is up).
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_synth {
    # A refused body is not read to its end first: the connection is closed instead.
    if (resp.status == 413) {
        set resp.http.Connection = "close";
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
