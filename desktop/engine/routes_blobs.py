"""Blob upload (`/api/blobs/sha256:...`): streamed to disk, stored only when the digest matches."""

from __future__ import annotations

import hashlib
import os
import tempfile

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from desktop.engine.responses import error_response
from desktop.engine.security import InvalidDigest, parse_digest
from desktop.engine.service import Engine


def routes(engine: Engine) -> list[Route]:
    registry = engine.registry

    async def blob(request: Request) -> Response:
        digest = request.path_params["digest"]
        try:
            path = registry.blob_path(digest)
        except InvalidDigest:
            return error_response("invalid digest format", 400)
        if request.method == "HEAD":
            return Response(b"", status_code=200 if path.is_file() else 404)
        if path.is_file():
            return Response(b"", status_code=200)
        want = parse_digest(digest)
        hasher = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(dir=registry.blobs, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                async for block in request.stream():
                    handle.write(block)
                    hasher.update(block)
            got = hasher.hexdigest()
            if got != want:
                return error_response(f'digest mismatch, expected "sha256:{want}", got "sha256:{got}"', 400)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return Response(b"", status_code=201)

    return [Route("/api/blobs/{digest}", blob, methods=["HEAD", "POST"])]
