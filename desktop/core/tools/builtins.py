"""The built-in tools: calculator, date and time, search my conversations, read a picked
file, fetch a web page. Each is a plain `Tool`; which are on is a per-conversation choice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import re
import zoneinfo
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from desktop.core.tools.calculator import CalculatorError, evaluate, format_value
from desktop.core.tools.documents_tool import documents_tool
from desktop.core.tools.spec import Tool, ToolError, clip, object_schema

if TYPE_CHECKING:
    from desktop.core.documents.retrieve import EmbedFn
    from desktop.core.store import Store

CALCULATOR = "calculator"
TIME = "current_time"
SEARCH = "search_conversations"
READ_FILE = "read_file"
FETCH = "fetch_web_page"
DOCUMENTS = "search_documents"
BUILTIN_NAMES = (CALCULATOR, TIME, SEARCH, DOCUMENTS, READ_FILE, FETCH)
# Fetching reaches the network: off unless the user turns it on (the app is offline-first).
DEFAULT_ON = frozenset({CALCULATOR, TIME, SEARCH, DOCUMENTS, READ_FILE})
# Short names the command line accepts (`ask --tools calculator,time`).
ALIASES = {
    "calc": CALCULATOR,
    "time": TIME,
    "date": TIME,
    "search": SEARCH,
    "documents": DOCUMENTS,
    "file": READ_FILE,
    "fetch": FETCH,
}

MAX_FILE_BYTES = 256 * 1024
MAX_PAGE_BYTES = 2 * 1024 * 1024


def _text_arg(args: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = args.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if required:
            raise ToolError(f"The argument {key!r} must be given as text.")
        return ""
    return value


async def _calculator(args: dict[str, Any]) -> str:
    expression = _text_arg(args, "expression")
    try:
        # In a worker thread: the deadline holds even if one step is slow, and the chat never blocks.
        return format_value(await asyncio.to_thread(evaluate, expression))
    except CalculatorError as err:
        raise ToolError(str(err)) from err


def calculator_tool() -> Tool:
    return Tool(
        CALCULATOR,
        "Evaluate an arithmetic expression exactly, e.g. 23*19 or sqrt(2)/3.",
        object_schema(
            {"expression": {"type": "string", "description": "the expression, e.g. 23*19"}}, ("expression",)
        ),
        _calculator,
    )


def time_tool(now: Callable[[], dt.datetime] | None = None) -> Tool:
    async def run(args: dict[str, Any]) -> str:
        zone_name = _text_arg(args, "timezone", required=False).strip()
        current = now() if now is not None else dt.datetime.now(dt.timezone.utc)
        if zone_name:
            try:
                zone: dt.tzinfo = zoneinfo.ZoneInfo(zone_name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
                raise ToolError(f"Unknown time zone {zone_name!r}; use a name like Asia/Shanghai.") from err
            local = current.astimezone(zone)
        else:
            local = current.astimezone()
        return f"{local:%A %Y-%m-%d %H:%M:%S} ({local.tzname()}, UTC{local:%z})"

    return Tool(
        TIME,
        "The current date and time, optionally in a time zone such as Asia/Shanghai or Europe/Paris.",
        object_schema(
            {"timezone": {"type": "string", "description": "an IANA time zone name; empty for local"}}
        ),
        run,
    )


def search_tool(store: Store) -> Tool:
    async def run(args: dict[str, Any]) -> str:
        query = _text_arg(args, "query")
        hits = await asyncio.to_thread(store.search, query, 8)
        if not hits:
            return f"No conversation mentions {query!r}."
        return clip("\n".join(f"- [{hit.title}] {hit.snippet}" for hit in hits), 4_000)

    return Tool(
        SEARCH,
        "Search the user's earlier conversations for words; returns matching snippets.",
        object_schema({"query": {"type": "string", "description": "words to look for"}}, ("query",)),
        run,
    )


def read_file_tool(picked: Callable[[], Sequence[Path]]) -> Tool:
    """Reads only files the user picked in the app; the model names one, never a path of its own."""

    async def run(args: dict[str, Any]) -> str:
        name = _text_arg(args, "name").strip()
        files = {path.name: path for path in picked()}
        if not files:
            raise ToolError("The user has not picked a file to share; ask them to attach one.")
        path = files.get(name) or files.get(Path(name).name)
        if path is None:
            raise ToolError(f"No picked file is called {name!r}; the picked files are: {', '.join(files)}.")
        return await asyncio.to_thread(_read_text, path)

    return Tool(
        READ_FILE,
        "Read a text file that the user picked to share with you. Give its file name.",
        object_schema({"name": {"type": "string", "description": "the picked file's name"}}, ("name",)),
        run,
    )


def _read_text(path: Path) -> str:
    try:
        if not path.is_file():  # never a FIFO or a device: those block or never end
            raise ToolError(f"{path.name} is not a regular file.")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise ToolError(f"{path.name} could not be read ({err.strerror or err}).") from err
    text = data[:MAX_FILE_BYTES].decode("utf-8", errors="replace")
    if len(data) > MAX_FILE_BYTES:
        text += f"\n[… the file is longer; only the first {MAX_FILE_BYTES // 1024} KiB are shown]"
    return text


_DROPPED = re.compile(r"<(script|style|head)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_BLOCKS = "p|div|h[1-6]|li|ul|ol|tr|table|section|article|pre|blockquote"
_BREAKS = re.compile(rf"<br\s*/?>|</?({_BLOCKS})\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]+>")


def page_text(body: str) -> str:
    """A page's readable text: scripts and styles dropped, blocks on their own lines."""
    text = _TAGS.sub("", _BREAKS.sub("\n", _DROPPED.sub(" ", body)))
    lines = (" ".join(line.split()) for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def fetch_tool(timeout: float = 15.0) -> Tool:
    async def run(args: dict[str, Any]) -> str:
        url = _text_arg(args, "url").strip()
        if not re.match(r"https?://", url, re.I):
            raise ToolError("Only http:// and https:// addresses can be fetched.")
        chunks: list[bytes] = []
        size = 0
        try:
            async with httpx.AsyncClient(timeout=timeout, follow_redirects=True, max_redirects=5) as client:
                async with client.stream("GET", url, headers={"Accept": "text/html, text/plain"}) as response:
                    if response.status_code >= 400:
                        raise ToolError(f"The page answered HTTP {response.status_code}.")
                    async for chunk in response.aiter_bytes():
                        chunks.append(chunk)
                        size += len(chunk)
                        if size > MAX_PAGE_BYTES:
                            break
                    encoding = response.encoding or "utf-8"
        except httpx.HTTPError as err:
            raise ToolError(f"The page could not be fetched ({type(err).__name__}).") from err
        body = b"".join(chunks)[:MAX_PAGE_BYTES].decode(encoding, errors="replace")
        return clip(page_text(body), 8_000)

    return Tool(
        FETCH,
        "Fetch a web page by its URL and return its text.",
        object_schema({"url": {"type": "string", "description": "the http(s) address"}}, ("url",)),
        run,
        read_only=True,
        network=True,
        timeout=timeout + 5,
    )


def builtin_tools(
    store: Store | None = None,
    picked: Callable[[], Sequence[Path]] | None = None,
    *,
    conversation_id: int | None = None,
    embed_for: Callable[[str], EmbedFn] | None = None,
) -> dict[str, Tool]:
    """embed_for (model -> embedding function) makes search_documents hybrid; conversation_id
    limits it to that conversation's attached knowledge bases (all when none is attached)."""
    tools = {CALCULATOR: calculator_tool(), TIME: time_tool(), FETCH: fetch_tool()}
    if store is not None:
        tools[SEARCH] = search_tool(store)
        tools[DOCUMENTS] = documents_tool(store.path, conversation_id, embed_for)
    tools[READ_FILE] = read_file_tool(picked or (lambda: ()))
    return tools


def resolve_names(names: Sequence[str]) -> list[str]:
    """Tool names as typed by a user (`calc`, `time`): ValueError naming an unknown one."""
    resolved: list[str] = []
    for raw in names:
        name = ALIASES.get(raw.strip().lower(), raw.strip().lower())
        if name not in BUILTIN_NAMES:
            raise ValueError(f"Unknown tool {raw!r}; the built-in tools are: {', '.join(BUILTIN_NAMES)}.")
        if name not in resolved:
            resolved.append(name)
    return resolved
