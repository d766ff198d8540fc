"""What the desk's own admin views share: each is built by its snippet viewset
(`construct_view`), which gives it its model and URL names, and each declares the
permission it needs, checked by Wagtail's PermissionCheckedMixin against the model's
registered permission policy, then again against the object itself."""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin


class ObjectPermissionMixin:
    """Loads the view's object and refuses a user without `permission_required` on it;
    after PermissionCheckedMixin in the MRO, so the model-wide check comes first."""

    model = None
    pk_url_kwarg = "pk"

    def get_queryset(self):
        return self.model._default_manager.all()

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs[self.pk_url_kwarg])
        self.check_object_permission(self.object)
        return super().dispatch(request, *args, **kwargs)

    def check_object_permission(self, obj):
        if self.permission_required and not self.user_has_permission_for_instance(
            self.permission_required, obj
        ):
            raise PermissionDenied


class DeskObjectView(PermissionCheckedMixin, ObjectPermissionMixin):
    """An extra view of one desk object. Subclasses set `permission_required`, and are
    mixed with the Django view they are (a FormView, a POST-only View)."""

    index_url_name = None
    edit_url_name = None
    inspect_url_name = None

    def object_url(self, url_name, obj=None):
        return reverse(url_name, args=[quote((obj or self.object).pk)])
