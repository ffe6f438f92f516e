"""`ollama-desk serve`: run the embedded Ollama-compatible engine in this process."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEFAULT_PORT = 11434


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default=None,
        metavar="HOST:PORT",
        help="address to listen on (default 127.0.0.1:11434; port 0 picks a free one)",
    )
    parser.add_argument(
        "--models", default=None, metavar="DIR", help="models folder (default: in the app's data)"
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help=(
            "allow listening on a non-loopback address; "
            "anyone who can reach it can use and delete your models"
        ),
    )
    parser.add_argument(
        "--share",
        action="store_true",
        help=(
            "share on the local network (default 0.0.0.0:11434) with an API key required on every "
            "request; prints the address and the key to give colleagues (key: $OLLAMA_DESK_SHARE_KEY, "
            "else a new one)"
        ),
    )
    # A model's llama-server child, started by the engine itself (a bundle has no `python -m`).
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)


def parse_listen(value: str | None) -> tuple[str, int]:
    if not value:
        return "127.0.0.1", DEFAULT_PORT
    text = value.strip()
    for prefix in ("http://", "https://"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    text = text.rstrip("/")
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.lstrip(":")
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    else:
        host, port_text = text, ""
    host = host or "127.0.0.1"
    port = int(port_text) if port_text.isdigit() else DEFAULT_PORT
    if not 0 <= port <= 65535:
        raise ValueError(f"invalid port {port}")
    return host, port


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _share_key() -> str:
    """The key of a shared engine, announced with the addresses colleagues can use."""
    from desktop.engine.share import KEY_ENV, lan_addresses, new_key

    given = os.environ.get(KEY_ENV, "").strip()
    key = given or new_key()
    for address in lan_addresses() or ["<this machine's address>"]:
        print(f"share: colleagues connect to http://{address}:<port below>", flush=True)
    # A key handed in by the app stays out of the engine's log; a new one is for the person here.
    print(f"share: API key from ${KEY_ENV}" if given else f"share: API key {key}", flush=True)
    return key


def run(args: argparse.Namespace) -> int:
    if getattr(args, "child", False):
        from desktop.engine import child

        return child.main()
    share = bool(getattr(args, "share", False))
    try:
        host, port = parse_listen(args.host or ("0.0.0.0" if share else None))
    except ValueError as exc:
        print(f"ollama-desk serve: {exc}", file=sys.stderr)
        return 2
    share_key = _share_key() if share else ""
    if not _is_loopback(host) and not args.allow_remote and not share:
        print(
            f"ollama-desk serve: refusing to listen on {host}: the engine has no authentication. "
            "Use --share to share it with an API key, or --allow-remote if you really want other "
            "machines to reach it without one.",
            file=sys.stderr,
        )
        return 2
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        print(
            f"ollama-desk serve: the built-in engine needs starlette and uvicorn: "
            f"pip install 'ollama-desk[engine]' ({exc})",
            file=sys.stderr,
        )
        return 1
    from desktop.engine.server import default_models_dir, serve

    models = Path(args.models).expanduser() if args.models else default_models_dir()
    code = serve(host, port, models, allow_remote=not _is_loopback(host), share_key=share_key)
    sys.stdout.flush()
    sys.stderr.flush()
    # Worker threads may still sit in llama.cpp; do not wait for them at interpreter exit.
    os._exit(code)
