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
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
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
