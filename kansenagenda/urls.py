from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts import account_views, api_token_views
from accounts import api as account_api
from activity import api as activity_api
from agendas.api import views as agenda_api
from coalitions.api import CoalitionViewSet, OrganisationViewSet
from funding import api as funding_api
from goals import api as goal_api
from kansenagenda import portal_views, views
from kansenagenda.worklist_views import MyTasksView, my_tasks
from regions import views as region_views
from regions.api.views import DatasetViewSet, IndicatorValueViewSet, IndicatorViewSet, RegionViewSet, ThemeViewSet
from regiotoets import api as regiotoets_api
from reviews import api as review_api
from signals import api as signal_api

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("themes", ThemeViewSet, basename="theme")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("datasets", DatasetViewSet, basename="dataset")
router.register("values", IndicatorValueViewSet, basename="value")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("coalitions", CoalitionViewSet, basename="coalition")
agenda_api.register(router)
goal_api.register(router)
activity_api.register(router)
review_api.register(router)
funding_api.register(router)
signal_api.register(router)
regiotoets_api.register(router)

urlpatterns = [
    path("", views.home, name="home"),
    path("openbaar/", portal_views.portal, name="portal"),
    path("mijn-taken/", my_tasks, name="tasks"),
    path("regios/", include("regions.urls")),
    path("coalities/", include("coalitions.urls")),
    path("agendas/", include("agendas.urls")),
    path("meldingen/", include("activity.urls")),
    path("doelen/", include("goals.urls")),
    path("toetsing/", include("reviews.urls")),
    path("financiering/", include("funding.urls")),
    # /signalen/ (coalitions, officials, the catalogue) and /openbaar/signalen/ (public).
    path("", include("signals.urls")),
    path("regiotoets/", include("regiotoets.urls")),
    path("gegevens/", region_views.about_data, name="about-data"),
    path("account/login/", account_views.LoginView.as_view(), name="login"),
    path("account/", account_views.profile, name="profile"),
    path("account/e-mail/<str:token>/", account_views.email_change_confirm, name="email_change_confirm"),
    path("uitnodiging/", include("invitations.urls")),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/tweestaps/", include("accounts.urls")),
    path("account/api-sleutels/", api_token_views.token_list, name="api_tokens"),
    path("account/api-sleutels/<str:prefix>/intrekken/", api_token_views.token_revoke, name="api_token_revoke"),
    path(
        "account/wachtwoord/",
        auth_views.PasswordChangeView.as_view(extra_context={"title": _("Wachtwoord wijzigen")}),
        name="password_change",
    ),
    path(
        "account/wachtwoord/gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(extra_context={"title": _("Wachtwoord gewijzigd")}),
        name="password_change_done",
    ),
    path(
        "account/wachtwoord-vergeten/",
        auth_views.PasswordResetView.as_view(extra_context={"title": _("Wachtwoord vergeten")}),
        name="password_reset",
    ),
    path(
        "account/wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(extra_context={"title": _("Controleer uw e-mail")}),
        name="password_reset_done",
    ),
    path(
        "account/herstel/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(extra_context={"title": _("Nieuw wachtwoord kiezen")}),
        name="password_reset_confirm",
    ),
    path(
        "account/herstel/klaar/",
        auth_views.PasswordResetCompleteView.as_view(extra_context={"title": _("Wachtwoord ingesteld")}),
        name="password_reset_complete",
    ),
    # The language switch on every page posts without a CSRF token, so that pages for anonymous visitors
    # can be cached and compressed (core.public_cache, core.compression). A forged post can change no more
    # than the language a visitor reads; set_language only redirects to a `next` on this site.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/me/tasks/", MyTasksView.as_view(), name="api-my-tasks"),
    path("api/v1/", include(router.urls)),
    path("api/v1/auth/token/", account_api.ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/auth/tokens/", account_api.ApiTokenListView.as_view(), name="api-tokens"),
    path("api/v1/auth/tokens/<str:prefix>/", account_api.ApiTokenRevokeView.as_view(), name="api-token-revoke"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from ?script (no inline script under the
    # Content-Security-Policy); api_docs.html drops the inline style as well.
    path(
        "api/v1/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("healthz", views.healthz, name="healthz"),
]
