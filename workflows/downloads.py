"""Files staff download from a case or a proceeding: the reply's attachments, the
applicant's uploads, the papers of a reconsideration or lawsuit. Each is an upload from
outside (never shown inline, never sniffed or run) and each reading is on record
(个人信息保护法 Art. 51)."""
from __future__ import annotations

from django.http import FileResponse

from audit.services import VIEWED_DOCUMENT, audit_access


def stored_file_download(request, *, record, stored, what: str) -> FileResponse:
    """`stored` (a model with file, original_name, content_type) as a download, the reading
    recorded on `record` (the case or proceeding it belongs to)."""
    audit_access(actor=request.user, obj=record, what=f"{what}：{stored.original_name}", action=VIEWED_DOCUMENT)
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name,
                            content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
