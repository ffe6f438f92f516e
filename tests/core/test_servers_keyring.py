"""Saved servers and their keys: records in settings, secrets in a real Secret Service
(gnome-keyring-daemon under dbus-run-session) or, with no keyring backend, in memory only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from keyring.backends import fail

from desktop.core.backends import BackendKind, OllamaBackend, OpenAIBackend
from desktop.core.secrets import NO_KEYRING, Secrets
from desktop.core.servers import ServerBook, check_url
from desktop.core.settings import Settings
from desktop.core.store import Store

_IN_KEYRING = r"""
import json, sys
from desktop.core.secrets import Secrets
from desktop.core.servers import ServerBook
from desktop.core.settings import Settings
from desktop.core.store import Store
from desktop.core.backends import BackendKind
store = Store(__import__("pathlib").Path(sys.argv[1]))
secrets = Secrets()
book = ServerBook(Settings(store), secrets)
if sys.argv[2] == "write":
    server = book.add("Office", BackendKind.OPENAI, "http://gpu-box:8000", api_key="sk-office-42",
                      headers={"X-Proxy-Token": "proxy-secret"})
    print(json.dumps({"backend": type(secrets._backend).__module__, "persistent": secrets.persistent,
                      "id": server.id}))
else:
    server = book.find("office")
    cred = book.credentials(server.id)
    book.remove(server.id)
    print(json.dumps({"key": cred.api_key, "headers": dict(cred.headers or {}),
                      "after": book.credentials(server.id).api_key, "left": len(book.all())}))
store.close()
"""

_SESSION = """
echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
{py} -c "$SCRIPT" "$DB" write && {py} -c "$SCRIPT" "$DB" read
"""


@pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="needs Debian's dbus and gnome-keyring (installed by .ci/run)",
)
def test_keys_live_in_a_real_secret_service_and_never_in_sqlite(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = tmp_path / "desk.sqlite3"
    env = {
        **os.environ,
        "HOME": str(home),
        "SCRIPT": _IN_KEYRING,
        "DB": str(db),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "PYTHONPATH": str(Path.cwd()),
    }
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    env.pop("PYTHON_KEYRING_BACKEND", None)
    done = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", _SESSION.format(py=sys.executable)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 2, done.stdout + done.stderr
    wrote, read = json.loads(lines[0]), json.loads(lines[1])
    assert wrote["persistent"] and "SecretService" in wrote["backend"]
    # A second process (the next start) reads the key back from the keyring, then remove deletes it.
    assert read == {
        "key": "sk-office-42",
        "headers": {"X-Proxy-Token": "proxy-secret"},
        "after": "",
        "left": 0,
    }
    raw = db.read_bytes() + b"".join(p.read_bytes() for p in tmp_path.glob("desk.sqlite3-*"))
    assert b"sk-office-42" not in raw and b"proxy-secret" not in raw


def test_without_a_keyring_keys_stay_in_memory_and_the_app_says_so(tmp_path: Path) -> None:
    secrets = Secrets(fail.Keyring())
    assert not secrets.persistent and secrets.notice == NO_KEYRING
    store = Store(tmp_path / "desk.sqlite3")
    try:
        book = ServerBook(Settings(store), secrets)
        server = book.add("vLLM", BackendKind.OPENAI, "gpu-box:8000", api_key="sk-mem")
        assert book.credentials(server.id).api_key == "sk-mem"
        stored = json.dumps(store.get_setting("servers.saved"))
        assert "sk-mem" not in stored and "gpu-box" in stored
        # The next start (a new Secrets) has no key: the app asks for it again.
        assert ServerBook(Settings(store), Secrets(fail.Keyring())).credentials(server.id).api_key == ""
    finally:
        store.close()


def test_add_edit_remove_and_the_backends_they_make() -> None:
    book = ServerBook(Settings(), Secrets(fail.Keyring()))
    office = book.add(
        "Office",
        BackendKind.OLLAMA,
        "http://10.0.0.5:11434",
        api_key="tok",
        headers={"CF-Access-Client-Id": "abc"},
    )
    lm = book.add("", BackendKind.OPENAI, "http://studio.lan:1234")
    assert lm.name == "studio.lan" and [s.name for s in book.all()] == ["Office", "studio.lan"]
    with pytest.raises(ValueError, match="already exists"):
        book.add("office", BackendKind.OPENAI, "http://x:1")
    with pytest.raises(ValueError, match="not a server address"):
        book.add("bad", BackendKind.OPENAI, "ftp://x")
    backend = book.backend(office)
    assert isinstance(backend, OllamaBackend)
    assert backend.client._http.headers["authorization"] == "Bearer tok"
    assert backend.client._http.headers["cf-access-client-id"] == "abc"
    edited = book.edit(office.id, name="GPU box", api_key=None)
    assert edited.name == "GPU box" and book.credentials(office.id).api_key == "tok"
    book.edit(office.id, api_key="")
    assert book.credentials(office.id).api_key == "" and book.credentials(office.id).headers == {
        "CF-Access-Client-Id": "abc"
    }
    assert (
        isinstance(book.backend(lm), OpenAIBackend)
        and book.backend(lm).base_url == "http://studio.lan:1234/v1"
    )
    assert book.find("http://studio.lan:1234/").id == lm.id  # type: ignore[union-attr]
    book.remove(office.id)
    assert [s.name for s in book.all()] == ["studio.lan"]
    assert check_url(" box:8000/ ") == "http://box:8000"
