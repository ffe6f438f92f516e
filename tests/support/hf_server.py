"""A loopback server that speaks the part of the Hugging Face Hub API a GGUF pull uses,
and the part of an Ollama registry (Docker registry v2) a model pull uses.

    GET /api/models/{user}/{repo}/tree/main      file list with LFS sha256 and size
    GET /{user}/{repo}/resolve/main/{filename}   the bytes, honouring `Range: bytes=N-`
    GET /v2/{ns}/{model}/manifests/{tag}         an Ollama manifest (add_registry_model)
    GET /v2/{ns}/{model}/blobs/sha256:{hex}      a layer, honouring Range

It serves real files from disk, records every request, and can misbehave on purpose:
`cut_after` closes the socket after N body bytes of the next transfers (`cuts` times),
`rate` throttles transfers (bytes per second) so a client can disconnect mid-way.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

_HASHES: dict[tuple[str, int, float], str] = {}


def sha256_of(path: Path) -> str:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime)
    if key not in _HASHES:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
        _HASHES[key] = digest.hexdigest()
    return _HASHES[key]


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class HostedFile:
    path: Path
    sha256: str
    size: int


@dataclass
class HFServer:
    repos: dict[str, dict[str, HostedFile]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    cut_after: int | None = None
    cuts: int = 0
    rate: float | None = None
    lie_sha256: bool = False
    manifests: dict[str, dict[str, Any]] = field(default_factory=dict)
    blobs: dict[str, HostedFile] = field(default_factory=dict)

    def __post_init__(self) -> None:
        server = self
        self._blob_dir = tempfile.TemporaryDirectory(prefix="registry-blobs-")

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                server._handle(self, head=False)

            def do_HEAD(self) -> None:  # noqa: N802
                server._handle(self, head=True)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def add_file(self, repo: str, filename: str, path: Path) -> HostedFile:
        hosted = HostedFile(path=path, sha256=sha256_of(path), size=path.stat().st_size)
        self.repos.setdefault(repo, {})[filename] = hosted
        return hosted

    def add_registry_model(
        self,
        repository: str,
        tag: str,
        gguf: Path,
        *,
        params: dict[str, Any] | None = None,
        extra_layers: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Publish `repository:tag` (e.g. "library/smol:1") with the GGUF as its model layer."""

        def layer(media: str, path: Path) -> dict[str, Any]:
            hosted = HostedFile(path=path, sha256=sha256_of(path), size=path.stat().st_size)
            self.blobs[f"sha256:{hosted.sha256}"] = hosted
            return {"mediaType": media, "digest": f"sha256:{hosted.sha256}", "size": hosted.size}

        def text_blob(data: bytes) -> Path:
            path = Path(self._blob_dir.name) / hashlib.sha256(data).hexdigest()
            path.write_bytes(data)
            return path

        layers = [layer("application/vnd.ollama.image.model", gguf)]
        if params is not None:
            layers.append(
                layer("application/vnd.ollama.image.params", text_blob(json.dumps(params).encode()))
            )
        layers.extend(extra_layers or [])
        config = layer(
            "application/vnd.docker.container.image.v1+json",
            text_blob(json.dumps({"model_format": "gguf", "model_family": "llama"}).encode()),
        )
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": config,
            "layers": layers,
        }
        self.manifests[f"{repository}:{tag}"] = manifest
        return manifest

    def downloads(self) -> list[Recorded]:
        return [
            r for r in self.requests if ("/resolve/" in r.path or "/blobs/" in r.path) and r.method == "GET"
        ]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._blob_dir.cleanup()

    # --- handling ----------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, *, head: bool) -> None:
        path = unquote(urlsplit(handler.path).path)
        self.requests.append(
            Recorded(handler.command, path, {k.lower(): v for k, v in handler.headers.items()})
        )
        tree = re.fullmatch(r"/api/models/([^/]+/[^/]+)/tree/main", path)
        if tree:
            self._tree(handler, tree.group(1))
            return
        resolve = re.fullmatch(r"/([^/]+/[^/]+)/resolve/main/(.+)", path)
        if resolve:
            self._file(handler, self.repos.get(resolve.group(1), {}).get(resolve.group(2)), head)
            return
        manifest = re.fullmatch(r"/v2/([^/]+/[^/]+)/manifests/([^/]+)", path)
        if manifest:
            found = self.manifests.get(f"{manifest.group(1)}:{manifest.group(2)}")
            if found is None:
                self._json(
                    handler, 404, {"errors": [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}]}
                )
            else:
                self._json(handler, 200, found)
            return
        blob = re.fullmatch(r"/v2/[^/]+/[^/]+/blobs/(sha256:[0-9a-f]{64})", path)
        if blob:
            self._file(handler, self.blobs.get(blob.group(1)), head)
            return
        self._json(handler, 404, {"error": "Entry not found"})

    def _json(self, handler: BaseHTTPRequestHandler, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _tree(self, handler: BaseHTTPRequestHandler, repo: str) -> None:
        files = self.repos.get(repo)
        if files is None:
            self._json(handler, 404, {"error": "Repository not found"})
            return
        listing = [{"type": "file", "oid": "0" * 40, "size": 1200, "path": "README.md"}]
        for name, hosted in files.items():
            sha = "0" * 64 if self.lie_sha256 else hosted.sha256
            listing.append(
                {
                    "type": "file",
                    "oid": "1" * 40,
                    "size": hosted.size,
                    "path": name,
                    "lfs": {"oid": sha, "size": hosted.size, "pointerSize": 135},
                }
            )
        self._json(handler, 200, listing)

    def _file(self, handler: BaseHTTPRequestHandler, hosted: HostedFile | None, head: bool) -> None:
        if hosted is None:
            self._json(handler, 404, {"error": "Entry not found"})
            return
        start = 0
        match = re.fullmatch(r"bytes=(\d+)-", handler.headers.get("Range", "") or "")
        if match:
            start = int(match.group(1))
            if start >= hosted.size:
                handler.send_response(416)
                handler.send_header("Content-Range", f"bytes */{hosted.size}")
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
            handler.send_response(206)
            handler.send_header("Content-Range", f"bytes {start}-{hosted.size - 1}/{hosted.size}")
        else:
            handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        handler.send_header("Content-Length", str(hosted.size - start))
        handler.send_header("ETag", f'"{hosted.sha256}"')
        handler.end_headers()
        if head:
            return
        cut = self.cut_after if self.cuts > 0 else None
        if cut is not None:
            self.cuts -= 1
        sent = 0
        block_size = 1 << 16
        try:
            with hosted.path.open("rb") as source:
                source.seek(start)
                while block := source.read(block_size):
                    if cut is not None and sent + len(block) > cut:
                        handler.wfile.write(block[: cut - sent])
                        handler.wfile.flush()
                        handler.connection.shutdown(socket.SHUT_RDWR)
                        handler.close_connection = True
                        return
                    handler.wfile.write(block)
                    sent += len(block)
                    if self.rate:
                        time.sleep(len(block) / self.rate)
        except (BrokenPipeError, ConnectionResetError, OSError):
            handler.close_connection = True
