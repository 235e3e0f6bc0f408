from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def audit_key_is_set(app_configs, **kwargs):
    """Production signs the audit checkpoints with its own key, not one derived from SECRET_KEY."""
    if getattr(settings, "AUDIT_HMAC_KEY", ""):
        return []
    return [checks.Error(
        "AUDIT_HMAC_KEY 未设置：审计检查点的签名密钥必须由环境提供（与数据库分开保管）。",
        hint="Set AUDIT_HMAC_KEY in the environment (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`).",
        id="audit.E001",
    )]
