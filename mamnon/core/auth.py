"""Log in by username or by Vietnamese mobile number."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from mamnon.core.models import VN_MOBILE_RE, normalize_phone


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        phone = normalize_phone(username)
        user = None
        if phone and VN_MOBILE_RE.match(phone):
            user = User.objects.filter(phone=phone).first()
        if user is None:
            user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            User().set_password(password)  # same cost as a real check, so timing does not reveal users
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
