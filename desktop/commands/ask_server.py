"""`ollama-desk ask --server NAME|URL [--openai] [--api-key-env VAR]` (#15).

A saved server (Settings > Servers) is found by name or URL and used with its kind and the key
the keyring holds for it; a URL that is not saved is used as given (`--openai` says it speaks
`/v1`). `--api-key-env VAR` reads the key from that environment variable, so it never appears
in the shell history or the process list.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.core.backends import BackendKind, ChatBackend
from desktop.core.servers import SavedServer, ServerBook, check_url, make_backend


class ServerChoiceError(Exception):
    """A plain sentence: the server named cannot be used."""


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server",
        metavar="NAME|URL",
        help="a saved server (Settings > Servers) by name, or any server's URL",
    )
    parser.add_argument(
        "--openai", action="store_true", help="the URL given to --server speaks the OpenAI API (/v1)"
    )
    parser.add_argument(
        "--api-key-env", metavar="VAR", help="read the server's API key from this environment variable"
    )


def _looks_like_url(text: str) -> bool:
    return "://" in text or ":" in text or "." in text or text.startswith("localhost")


def _saved(name_or_url: str) -> tuple[ServerBook, SavedServer] | None:
    from desktop import paths
    from desktop.core.secrets import Secrets
    from desktop.core.settings import Settings
    from desktop.core.store import Store, StoreError

    path = Path(paths.data_dir()) / "desk.sqlite3"
    if not path.exists():
        return None
    try:
        store = Store(path)
    except StoreError:
        return None
    try:
        records = Settings(store).get("servers")
    finally:
        store.close()  # the records are read; keys come from the keyring, which needs no store
    memory = Settings()
    memory.update(servers=records)
    book = ServerBook(memory, Secrets())
    found = book.find(name_or_url)
    return (book, found) if found is not None else None


def backend_from_args(args: argparse.Namespace) -> ChatBackend | None:
    """The backend --server names, or None (no --server: the app's usual OLLAMA_HOST rules)."""
    target = (getattr(args, "server", None) or "").strip()
    if not target:
        return None
    env_key = ""
    variable = getattr(args, "api_key_env", None)
    if variable:
        env_key = os.environ.get(variable, "")
        if not env_key:
            raise ServerChoiceError(f"The environment variable {variable} is not set (or empty).")
    saved = _saved(target)
    if saved is not None:
        book, server = saved
        cred = book.credentials(server.id)
        kind = BackendKind.OPENAI if args.openai else server.kind
        return make_backend(kind, server.url, api_key=env_key or cred.api_key, headers=cred.headers)
    if not _looks_like_url(target):
        raise ServerChoiceError(
            f"No saved server is named {target}. Give its URL, or add it in Settings > Servers."
        )
    try:
        url = check_url(target)
    except ValueError as err:
        raise ServerChoiceError(str(err)) from None
    kind = BackendKind.OPENAI if args.openai else BackendKind.OLLAMA
    return make_backend(kind, url, api_key=env_key)


async def ask_on_server(
    backend: ChatBackend,
    *,
    model: str,
    system: str,
    prompt: str,
    write: Callable[[str], None],
    tools: str = "",
    yes: bool = False,
    think: bool | str | None = None,
    format: str | dict[str, Any] | None = None,
    options: dict[str, Any] | None = None,
) -> str:
    """Stream one answer from `backend` through `write`; returns the model used ("" + a note on
    stderr when the server lists none that can chat). `tools` (--tools names) runs the app's
    tool loop on that server, as on the local one: native calls where the server takes
    `tools`, the prompted protocol where it refuses them."""
    from desktop.commands.ask_tools import headless_loop
    from desktop.core.messages import Role
    from desktop.core.ollama.types import ChatMessage
    from desktop.core.session import pick_default_model

    try:
        loop = headless_loop(backend, tools, yes) if tools else None  # unknown names fail first
        if not model:
            model = pick_default_model(await backend.list_models(), "")
            if not model:
                raise ServerChoiceError(
                    f"The server at {backend.base_url} lists no model that can chat; name one with --model."
                )
            print(f"Using model {model} (choose another with --model).", file=sys.stderr, flush=True)
        messages = [ChatMessage(Role.SYSTEM, system)] if system else []
        messages.append(ChatMessage(Role.USER, prompt))
        stream = (
            loop.stream(model, messages, options, think=think, format=format)
            if loop is not None
            else backend.chat(model, messages, options=options, think=think, format=format)
        )
        try:
            async for chunk in stream:
                write(chunk.content)
        finally:
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()
    finally:
        await backend.aclose()
    return model
