"""The OpenAPI schema: every operation also documents its problem answers."""
from drf_spectacular.openapi import AutoSchema

from .serializers import ProblemSerializer

PROBLEM_CODES = {"400": "请求内容有误 / bad request", "401": "未认证 / not authenticated",
                 "403": "无权办理 / forbidden", "404": "未找到 / not found", "405": "不支持该方法 / method not allowed",
                 "406": "不支持请求的格式 / not acceptable", "415": "不支持的内容类型 / unsupported media type"}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        ref = self.resolve_serializer(ProblemSerializer, "response").ref
        for code, text in PROBLEM_CODES.items():
            responses.setdefault(code, {"description": text, "content": {"application/problem+json": {"schema": ref}}})
        for code, body in responses.items():
            if code[0] in "45" and "content" in body and "application/json" in body["content"]:
                body["content"] = {"application/problem+json": body["content"]["application/json"]}
        return responses
