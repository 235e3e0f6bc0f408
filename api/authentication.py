"""`Authorization: Api-Key ogi_<number>_<secret>`: another system of the agency, acting
through the key's account. Staff in the browser use their session instead."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .services import api_key_find

KEYWORD = "api-key"
ERR_BAD_KEY = _("接口密钥无效或已吊销。")


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).decode("latin-1", "replace")
        keyword, _sep, raw = header.partition(" ")
        if keyword.lower() != KEYWORD:
            return None
        key = api_key_find(raw)
        if key is None or not key.account.is_active:
            raise AuthenticationFailed(ERR_BAD_KEY)
        return key.account, key

    def authenticate_header(self, request):
        return 'Api-Key realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "接口密钥 / API key: `Api-Key ogi_<编号>_<密钥>`"}
