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


# Parameters and envelope fields drf-spectacular and DRF add themselves, described here.
GENERATED = {
    "id": "编号 / id",
    "cursor": "翻页游标（取自上一页的 next/previous） / pagination cursor (from next/previous)",
    "page_size": "每页条数（≤200） / items per page (≤200)",
    "format": "应答格式 / answer format",
    "next": "下一页地址 / next page",
    "previous": "上一页地址 / previous page",
    "results": "本页结果 / this page's results",
}


def describe_generated(result, generator, request, public):
    """Postprocessing hook: every parameter and field is described in Chinese and English."""
    for ops in result.get("paths", {}).values():
        for op in ops.values():
            for param in op.get("parameters", []):
                if not param.get("description") and param["name"] in GENERATED:
                    param["description"] = GENERATED[param["name"]]
    for component in result.get("components", {}).get("schemas", {}).values():
        for name, prop in component.get("properties", {}).items():
            if not prop.get("description") and name in GENERATED:
                prop["description"] = GENERATED[name]
    return result
