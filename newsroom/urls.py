from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from explainers import views as explainer_views
from explainers.feeds import CorrectionsFeed, ExplainersAtomFeed, ExplainersFeed
from explainers.page_cache import keys
from explainers.page_cache.keys import with_keys
from explainers.page_cache.query import reading
from newsroom.api import urlpatterns as api_urlpatterns
from newsroom.lockout import authenticate_with_password

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include(api_urlpatterns)),
    path("sitemap.xml", with_keys(keys.SITEMAP)(reading("p")(sitemap)), name="sitemap"),
    path("robots.txt", with_keys(keys.ROBOTS)(explainer_views.robots_txt), name="robots_txt"),
    path("search/", explainer_views.search, name="search"),
    path("feeds/explainers.rss", with_keys(keys.FEEDS)(ExplainersFeed()), name="explainers_rss"),
    path(
        "feeds/explainers.atom", with_keys(keys.FEEDS)(ExplainersAtomFeed()), name="explainers_atom"
    ),
    path(
        "corrections/",
        with_keys(keys.CORRECTIONS)(explainer_views.corrections),
        name="corrections",
    ),
    path(
        "feeds/corrections.rss",
        with_keys(keys.CORRECTIONS)(CorrectionsFeed()),
        name="corrections_rss",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Wagtail's page-password form, with a limit on wrong guesses; it shadows Wagtail's own
    # route of the same path and name below.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include(wagtail_urls)),
]
