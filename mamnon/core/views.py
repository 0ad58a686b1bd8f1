"""Home page, login, change log: the shell every role starts from."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from mamnon.core import audit, scoping
from mamnon.org import selectors


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or mobile number")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "inputmode": "text"})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    user = request.user
    tops = list(selectors.units_with_counts(selectors.home_units(user)))
    children = list(
        selectors.units_with_counts(
            scoping.restrict(selectors.OrgUnit.objects.filter(parent__in=tops, active=True), user)
        ).order_by("level__rank", "name")[:200]
    )
    memberships = user.memberships.filter(active=True).select_related("unit", "unit__level")
    return render(request, "core/home.html", {"tops": tops, "children": children, "memberships": memberships})


@login_required
def audit_log(request):
    if not scoping.can_view_audit(request.user):
        raise PermissionDenied
    entries = audit.entries_for(request.user, model=request.GET.get("model") or None)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    audit.describe(page.object_list)
    return render(
        request, "core/audit.html",
        {"page": page, "models": audit.audited_models(), "current_model": request.GET.get("model", "")},
    )
