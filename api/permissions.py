"""What a key's scope allows (the services then check the roles of its account, the
agency and the department exactly as for staff):

- `intake` pushes applications and reads back only the applications it pushed (their
  status and receipt); nothing else of the agency.
- `read` reads everything of its agency the API shows; it changes nothing.
- `full` reads, pushes and takes the steps of the roles granted at issue (the registrar's
  by default; api.services.KEY_GRANTS), each through its action endpoint (api.actions).

A staff session is not narrowed here: its roles decide, as in the staff pages."""
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiKey

ERR_SCOPE = _("该接口密钥的权限范围不允许此操作。")


def caller_key(request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None


class KeyScope(BasePermission):
    """A view lists the scopes that may call it in `key_scopes` (for reads) and
    `key_write_scopes` (for writes); a view without them answers read keys on GET."""

    message = ERR_SCOPE

    def has_permission(self, request, view) -> bool:
        key = caller_key(request)
        if key is None:
            return True
        if request.method in SAFE_METHODS:
            allowed = getattr(view, "key_scopes", (ApiKey.READ, ApiKey.FULL))
        else:
            allowed = getattr(view, "key_write_scopes", (ApiKey.FULL,))
        return key.scope in allowed
