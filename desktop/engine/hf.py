"""Hugging Face GGUF pulls: pick the file for `hf.co/{user}/{repo}[:{quant}]`, download it
with HTTP Range resume into `blobs/sha256-<hex>-partial`, and check its sha256.

The endpoint comes from HF_ENDPOINT like huggingface_hub (default https://huggingface.co),
so tests serve real GGUF bytes from a loopback server. HF_TOKEN, when set, is sent to that
endpoint only (httpx drops Authorization on a redirect to another host).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

# Ollama/HF default: Q4_K_M when present, else the first reasonable quant found.
PREFERRED_QUANTS = (
    "Q4_K_M",
    "Q4_K_S",
    "Q4_0",
    "Q4_1",
    "Q5_K_M",
    "Q5_0",
    "Q6_K",
    "Q8_0",
    "IQ4_XS",
    "F16",
    "BF16",
)
PROGRESS_INTERVAL = 0.1
MAX_TREE_PAGES = 100
MAX_FILE_SIZE = 1 << 42  # 4 TiB: above any model; a bigger "size" is a lie
ATTEMPTS = 4
_SPLIT_RE = re.compile(r"-\d{5}-of-\d{5}\.gguf$", re.IGNORECASE)
NOT_AVAILABLE = (
    "pull model manifest: 400: The specified tag is not available in the repository. "
    'Please use another tag or "latest"'
)


class PullError(Exception):
    """A pull failed; the message is the `{"error"}` line."""


@dataclass(frozen=True)
class HFFile:
    repo: str
    path: str
    size: int
    sha256: str
    projector: HFFile | None = None  # the repo's vision projector (mmproj GGUF), fetched beside it

    @property
    def digest(self) -> str:
        return f"sha256:{self.sha256}"


def endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def client(*, huggingface: bool = True) -> httpx.AsyncClient:
    headers = {"User-Agent": "ollama-desk-engine"}
    token = os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN")
    if token and huggingface:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.AsyncClient(
        headers=headers,
        follow_redirects=True,
        timeout=httpx.Timeout(connect=15.0, read=60.0, write=60.0, pool=15.0),
    )


def _quant_of(filename: str) -> str:
    stem = filename.rsplit("/", 1)[-1][: -len(".gguf")]
    match = re.search(r"[.\-_]((?:I?Q\d[A-Z0-9_]*)|F16|BF16|F32)$", stem, re.IGNORECASE)
    return match.group(1).upper() if match else ""


def choose_file(files: list[dict[str, Any]], tag: str) -> dict[str, Any]:
    ggufs = [
        f
        for f in files
        if f.get("type", "file") == "file"
        and str(f.get("path", "")).lower().endswith(".gguf")
        and "mmproj" not in str(f.get("path", "")).lower()
    ]
    if not ggufs:
        raise PullError(NOT_AVAILABLE)
    if tag.lower() in ("latest", ""):
        by_quant = {_quant_of(str(f["path"])): f for f in ggufs}
        for quant in PREFERRED_QUANTS:
            if quant in by_quant:
                return by_quant[quant]
        return sorted(ggufs, key=lambda f: str(f["path"]))[0]
    wanted = tag.upper()
    for f in ggufs:
        if _quant_of(str(f["path"])) == wanted:
            return f
    for f in ggufs:
        if wanted in str(f["path"]).upper():
            return f
    raise PullError(NOT_AVAILABLE)


async def resolve(http: httpx.AsyncClient, user: str, repo: str, tag: str) -> HFFile:
    """The GGUF file a tag names, with its size and LFS sha256."""
    repo_id = f"{user}/{repo}"
    url: str | None = f"{endpoint()}/api/models/{quote(repo_id)}/tree/main"
    params: dict[str, str] | None = {"recursive": "true"}
    files: list[dict[str, Any]] = []
    pages = 0
    try:
        while url:
            pages += 1
            if pages > MAX_TREE_PAGES:  # a hostile endpoint can link pages in a circle
                raise PullError("pull model manifest: Hugging Face listed too many files")
            response = await http.get(url, params=params)
            if response.status_code in (401, 404):
                raise PullError("pull model manifest: file does not exist")
            if response.status_code >= 400:
                raise PullError(f"pull model manifest: {response.status_code}: {response.text.strip()[:300]}")
            page = response.json()
            if not isinstance(page, list):
                raise PullError("pull model manifest: unexpected answer from Hugging Face")
            files.extend(item for item in page if isinstance(item, dict))
            url = response.links.get("next", {}).get("url")
            params = None
    except httpx.HTTPError as exc:
        raise PullError(f"pull model manifest: {exc}") from exc
    except (ValueError, RecursionError) as exc:
        raise PullError("pull model manifest: unexpected answer from Hugging Face") from exc
    chosen = choose_file([f for f in files if _plausible_entry(f)], tag)
    path = str(chosen["path"])
    if _SPLIT_RE.search(path):
        raise PullError("this model is split into several GGUF files, which the embedded engine cannot load")
    lfs = chosen.get("lfs") if isinstance(chosen.get("lfs"), dict) else {}
    sha = (lfs or {}).get("oid") or (lfs or {}).get("sha256") or ""
    size = (lfs or {}).get("size") or chosen.get("size") or 0
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise PullError("pull model manifest: Hugging Face did not give the file's sha256")
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_FILE_SIZE:
        raise PullError("pull model manifest: Hugging Face did not give the file's size")
    projector = _projector(repo_id, [f for f in files if _plausible_entry(f)])
    return HFFile(repo=repo_id, path=path, size=size, sha256=sha, projector=projector)


def _projector(repo_id: str, files: list[dict[str, Any]]) -> HFFile | None:
    """A vision repo's mmproj GGUF (an f16 one first), as Ollama's hf.co pulls take it (#13)."""
    found = sorted(
        (
            f
            for f in files
            if f.get("type", "file") == "file"
            and "mmproj" in str(f["path"]).lower()
            and str(f["path"]).lower().endswith(".gguf")
        ),
        key=lambda f: ("f16" not in str(f["path"]).lower(), str(f["path"])),
    )
    for entry in found:
        lfs = entry.get("lfs") if isinstance(entry.get("lfs"), dict) else {}
        sha = (lfs or {}).get("oid") or (lfs or {}).get("sha256") or ""
        size = (lfs or {}).get("size") or entry.get("size") or 0
        if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
            continue
        if isinstance(size, bool) or not isinstance(size, int) or not 0 < size <= MAX_FILE_SIZE:
            continue
        return HFFile(repo=repo_id, path=str(entry["path"]), size=size, sha256=sha)
    return None


def _plausible_entry(entry: dict[str, Any]) -> bool:
    """A tree entry whose path can only name a file of this repository: relative, no `..`,
    no backslash or control character (it becomes part of a download URL)."""
    path = entry.get("path")
    if not isinstance(path, str) or not path or len(path) > 500 or path.startswith("/"):
        return False
    if any(ord(c) < 0x20 or c in "\\?#%" for c in path):
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def file_url(item: HFFile) -> str:
    return f"{endpoint()}/{quote(item.repo)}/resolve/main/{quote(item.path)}"


async def _hash_existing(path: Path, size: int) -> Any:
    def work() -> Any:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            remaining = size
            while remaining > 0:
                block = handle.read(min(1 << 20, remaining))
                if not block:
                    break
                digest.update(block)
                remaining -= len(block)
        return digest

    return await asyncio.to_thread(work)


async def download(
    http: httpx.AsyncClient, url: str, size: int, sha256: str, partial: Path
) -> AsyncIterator[int]:
    """Download into `partial`, resuming from its bytes; yields bytes completed, now and then.

    Returns when the file is complete and its sha256 matches (the partial is left in place for
    the caller to rename). A cut connection is resumed with Range up to ATTEMPTS times; a
    cancelled download keeps its bytes for the next pull.
    """
    have = partial.stat().st_size if partial.exists() else 0
    if size and have > size:
        partial.unlink()
        have = 0
    hasher = await _hash_existing(partial, have) if have else hashlib.sha256()
    yield have
    attempt = 0
    last_error = ""
    while not (size and have >= size):
        attempt += 1
        if attempt > ATTEMPTS:
            raise PullError(f"max retries exceeded: {last_error}")
        headers = {"Range": f"bytes={have}-"} if have else {}
        before = have
        try:
            async with http.stream("GET", url, headers=headers) as response:
                if response.status_code == 416 and have:
                    break
                if response.status_code >= 400:
                    body = (await response.aread()).decode("utf-8", "replace").strip()[:300]
                    raise PullError(f"download failed: {response.status_code}: {body}")
                if have and response.status_code != 206:
                    have = 0  # the server ignored Range: start over
                    hasher = hashlib.sha256()
                mode = "ab" if have else "wb"
                last = time.monotonic()
                overflow = False
                with partial.open(mode) as handle:
                    async for block in response.aiter_bytes():
                        if size and have + len(block) > size:
                            overflow = True  # a server sending past the announced size fills the disk
                            break
                        handle.write(block)
                        hasher.update(block)
                        have += len(block)
                        now = time.monotonic()
                        if now - last >= PROGRESS_INTERVAL:
                            handle.flush()
                            last = now
                            yield have
                if overflow:
                    partial.unlink(missing_ok=True)
                    raise PullError("download failed: the server sent more bytes than the file has")
                if not size:
                    break
                if have < size:
                    last_error = "the connection closed before the file was complete"
        except httpx.HTTPError as exc:
            last_error = str(exc) or type(exc).__name__
            await asyncio.sleep(min(2.0, 0.25 * attempt))
        if have > before:
            attempt = 0  # only attempts that got nothing count towards giving up
        yield have
    got = hasher.hexdigest()
    if got != sha256:
        partial.unlink(missing_ok=True)
        raise PullError(
            f"digest mismatch, file must be downloaded again: want sha256:{sha256}, got sha256:{got}"
        )
