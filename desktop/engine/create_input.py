"""What /api/create accepts as its model source, checked before any filesystem call.

Like Ollama's server, the HTTP API takes a model name (`from`) or uploaded blobs (`files`:
file name -> digest, after POST /api/blobs). A local path is never read on a request's
word: a path in `from` would let any local caller (or a web page that got past the Origin
check) make the engine open any file, and its error would tell whether the file exists.
The app imports a GGUF the way the `ollama` CLI does: it uploads the bytes to /api/blobs
and names the digest in `files`. In-process code that really means a local file says so
with `allow_local_path=True`; the HTTP routes never pass it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.engine.options import RequestError
from desktop.engine.security import InvalidDigest, InvalidName, ModelName, parse_digest, parse_name

MAX_FILES = 64
PATH_REFUSED = (
    "'from' must be a model name; to import a file, upload it to /api/blobs and name its digest in 'files'"
)


def _looks_like_path(source: str) -> bool:
    return (
        source.startswith(("/", "~", ".", "\\"))
        or "\\" in source
        or (len(source) > 1 and source[1] == ":")  # C:\ or C:/
        or source.lower().endswith((".gguf", ".bin", ".safetensors"))
    )


def source_of(source: Any, *, allow_local_path: bool = False) -> ModelName | Path:
    """`from`: a validated model name, or (only when allowed) an absolute local path."""
    if not isinstance(source, str) or not source:
        raise RequestError("invalid model name")
    if _looks_like_path(source):
        if not allow_local_path:
            raise RequestError(PATH_REFUSED)
        path = Path(source).expanduser()
        if not path.is_absolute():
            raise RequestError("a local model file must be given by its absolute path")
        return path
    try:
        return parse_name(source)
    except InvalidName:
        raise RequestError("invalid model name") from None


def model_file_of(files: Any) -> tuple[str, str]:
    """The one GGUF of a create `files` map: (file name, "sha256:<hex>"), or a 400."""
    if not isinstance(files, dict) or not files:
        raise RequestError("files must be an object of file names and digests")
    if len(files) > MAX_FILES:
        raise RequestError("too many files")
    for filename, digest in files.items():
        name = str(filename)
        if not name or "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
            raise RequestError("file path must be relative")
        if not isinstance(digest, str):
            raise RequestError("invalid digest format")
        try:
            parse_digest(digest)
        except InvalidDigest:
            raise RequestError("invalid digest format") from None
    ggufs = [(str(k), v) for k, v in files.items() if str(k).lower().endswith(".gguf")]
    if len(ggufs) != 1:
        raise RequestError("exactly one .gguf file is needed")
    filename, digest = ggufs[0]
    return filename, f"sha256:{parse_digest(digest)}"
