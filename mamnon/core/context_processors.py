from mamnon.core import scoping


def navigation(request):
    """What the navigation shows depends on the roles of the user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_roles": sorted(scoping.roles_of(user)),
        "nav_is_admin": scoping.is_admin(user),
        "nav_can_manage_accounts": scoping.can_manage_accounts(user),
        "nav_can_view_audit": scoping.can_view_audit(user),
    }
