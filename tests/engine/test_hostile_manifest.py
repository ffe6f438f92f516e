"""Manifests from a registry or the disk are rebuilt in a closed shape; create takes names and blobs.

Generated manifests (hypothesis) check the mechanism: whatever extra keys, digest spellings,
sizes or nesting arrive, `normalize` answers a clean manifest or ManifestError, nothing else.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.engine.create_input import PATH_REFUSED, model_file_of, source_of
from desktop.engine.manifest import (
    CONFIG_MEDIA,
    LAYER_MEDIA,
    MODEL_MEDIA,
    TEMPLATE_MEDIA,
    BadDigest,
    ManifestError,
    UnsupportedLayer,
    normalize,
)
from desktop.engine.options import RequestError
from desktop.engine.registry import Registry
from desktop.engine.security import ModelName, parse_name
from desktop.engine.starter import starter_gguf
from tests.support.engine import EngineProcess, start_engine
from tests.support.hf_server import HFServer, HostedFile

pytestmark = pytest.mark.engine
HEX = "0123456789abcdef"
_hex64 = st.text(alphabet=HEX, min_size=64, max_size=64)
_digest = _hex64.map(lambda h: f"sha256:{h}")
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def manifest(
    model: Any, *, config: Any = "sha256:" + "c" * 64, extra: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": CONFIG_MEDIA, "digest": config, "size": 10},
        "layers": [{"mediaType": MODEL_MEDIA, "digest": model, "size": 100}, *(extra or [])],
    }


# --- normalize -----------------------------------------------------------------------------------


def test_a_clean_manifest_survives_unchanged() -> None:
    raw = manifest("sha256:" + "a" * 64)
    assert normalize(raw) == raw


@pytest.mark.parametrize(
    "digest",
    [
        "sha256:" + "A" * 64,
        "sha256-" + "a" * 64,
        "SHA256:" + "a" * 64,
        "sha256:" + "a" * 63,
        "sha256:" + "a" * 65,
        "sha256:" + "a" * 64 + "\n",
        "sha256:../../../../etc/passwd",
        "sha512:" + "a" * 64,
        12,
        None,
    ],
)
def test_digests_outside_the_lower_case_form_are_refused(digest: Any) -> None:
    with pytest.raises(BadDigest):
        normalize(manifest(digest))
    with pytest.raises(BadDigest):
        normalize(manifest("sha256:" + "a" * 64, config=digest))


@given(text=st.text(alphabet=HEX + "ABCDEFsha256:-g./", max_size=80))
@settings(max_examples=500, deadline=None)
def test_generated_digests_pass_only_in_the_exact_form(text: str) -> None:
    exact = len(text) == 71 and text.startswith("sha256:") and all(c in HEX for c in text[7:])
    try:
        normalize(manifest(text))
    except BadDigest:
        assert not exact
    else:
        assert exact


@given(
    digest=_digest,
    layer_extra=st.dictionaries(st.text(min_size=1, max_size=20), _json, max_size=5),
    top_extra=st.dictionaries(st.text(min_size=1, max_size=20), _json, max_size=5),
)
@settings(max_examples=300, deadline=None)
def test_no_key_from_the_wire_survives(
    digest: str, layer_extra: dict[str, Any], top_extra: dict[str, Any]
) -> None:
    raw = manifest(digest)
    raw["layers"][0] = {**layer_extra, **raw["layers"][0], "x-ollama-desk-path": "/etc/passwd"}
    raw["config"] = {**layer_extra, **raw["config"]}
    raw = {**top_extra, **raw}
    clean = normalize(raw)
    assert set(clean) == {"schemaVersion", "mediaType", "config", "layers"}
    for layer in [clean["config"], *clean["layers"]]:
        assert set(layer) == {"mediaType", "digest", "size"}


@pytest.mark.parametrize("size", [-1, True, 1.5, "100", None, 1 << 60])
def test_sizes_must_be_plain_non_negative_integers(size: Any) -> None:
    raw = manifest("sha256:" + "a" * 64)
    raw["layers"][0]["size"] = size
    with pytest.raises(ManifestError):
        normalize(raw)


def test_unknown_media_and_shapes_are_refused() -> None:
    digest = "sha256:" + "a" * 64
    for media in ("application/vnd.ollama.image.adapter", "text/html", ""):
        with pytest.raises(UnsupportedLayer):
            normalize(manifest(digest, extra=[{"mediaType": media, "digest": digest, "size": 1}]))
    with pytest.raises(UnsupportedLayer):
        normalize(manifest(digest, extra=[{"mediaType": MODEL_MEDIA, "digest": digest, "size": 1}]))
    no_model = manifest(digest)
    no_model["layers"][0]["mediaType"] = TEMPLATE_MEDIA
    with pytest.raises(UnsupportedLayer):
        normalize(no_model)
    for bad in ([], "x", {"schemaVersion": 1}, {**manifest(digest), "layers": []}):
        with pytest.raises(ManifestError):
            normalize(bad)


@given(raw=_json)
@settings(max_examples=500, deadline=None)
def test_arbitrary_json_gives_a_manifest_or_manifest_error(raw: Any) -> None:
    try:
        clean = normalize(raw)
    except ManifestError:
        return
    assert clean["layers"]


@given(
    layers=st.lists(
        st.fixed_dictionaries(
            {
                "mediaType": st.sampled_from(sorted(LAYER_MEDIA) + ["x/y"]),
                "digest": _digest,
                "size": st.integers(),
            }
        ),
        max_size=80,
    )
)
@settings(max_examples=200, deadline=None)
def test_generated_layer_lists(layers: list[dict[str, Any]]) -> None:
    raw = manifest("sha256:" + "a" * 64)
    raw["layers"] = layers
    try:
        clean = normalize(raw)
    except ManifestError:
        return
    assert len(clean["layers"]) <= 64
    assert sum(layer["mediaType"] == MODEL_MEDIA for layer in clean["layers"]) == 1
    assert all(layer["size"] >= 0 for layer in clean["layers"])


# --- the store -----------------------------------------------------------------------------------


def _store_manifest(registry: Registry, name: ModelName, raw: dict[str, Any]) -> Path:
    path = registry.manifests.joinpath(name.host, name.namespace, name.model, name.tag)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(raw))
    return path


def test_a_path_inside_a_stored_manifest_is_never_followed(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    secret = tmp_path / "secret.txt"
    secret.write_text("the user's private notes")
    model = registry.write_blob(b"GGUF model bytes")
    name = parse_name("evil:1")
    template_digest = "sha256:" + hashlib.sha256(secret.read_bytes()).hexdigest()
    raw = manifest(
        model["digest"],
        extra=[
            {
                "mediaType": TEMPLATE_MEDIA,
                "digest": template_digest,
                "size": secret.stat().st_size,
                "x-ollama-desk-path": str(secret),
            }
        ],
    )
    raw["layers"][0]["size"] = model["size"]
    raw["layers"][0]["x-ollama-desk-path"] = str(secret)
    _store_manifest(registry, name, raw)
    entry = registry.get(name)
    assert entry is not None
    assert registry.read_text_layer(entry, TEMPLATE_MEDIA) is None
    assert "x-ollama-desk-path" not in json.dumps(entry.manifest)


def test_an_upper_case_digest_on_disk_cannot_make_delete_prune_the_wrong_blobs(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    keep = registry.write_blob(b"weights that another model uses")
    other = registry.write_blob(b"weights of the model to delete")
    config = registry.write_blob(b"{}")
    registry.write_manifest(parse_name("keeper:1"), manifest(keep["digest"], config=config["digest"]))
    hostile = manifest(other["digest"], config=config["digest"])
    hostile["layers"].append({"mediaType": TEMPLATE_MEDIA, "digest": keep["digest"].upper(), "size": 1})
    _store_manifest(registry, parse_name("hostile:1"), hostile)
    assert registry.get(parse_name("hostile:1")) is None  # refused at parse time, never half-used
    registry.write_manifest(parse_name("victim:1"), manifest(other["digest"], config=config["digest"]))
    assert registry.delete(parse_name("victim:1"))
    assert registry.blob_path(keep["digest"]).is_file()
    assert registry.blob_path(config["digest"]).is_file()
    assert registry.get(parse_name("keeper:1")) is not None


def test_writing_a_manifest_normalises_it(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    blob = registry.write_blob(b"bytes")
    raw = manifest(blob["digest"])
    raw["layers"][0]["x-ollama-desk-path"] = "/etc/passwd"
    raw["annotations"] = {"a": "b"}
    entry = registry.write_manifest(parse_name("m:1"), raw)
    stored = json.loads(registry.manifest_path(parse_name("m:1")).read_text())  # type: ignore[union-attr]
    assert stored == entry.manifest and "x-ollama-desk-path" not in json.dumps(stored)


def test_references_are_only_those_the_engine_added(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "models")
    outside = tmp_path / "starter.gguf"
    outside.write_bytes(b"GGUF" + b"\0" * 100)
    digest = "sha256:" + hashlib.sha256(outside.read_bytes()).hexdigest()
    layer = {"mediaType": MODEL_MEDIA, "digest": digest, "size": outside.stat().st_size}
    assert registry.layer_path(layer) is None
    registry.add_reference(digest, outside)
    assert registry.layer_path(layer) == outside
    assert registry.layer_path({**layer, "size": 3}) is None  # the file changed: not trusted
    (registry.root / "references.json").write_text("[" * 100_000)
    assert registry.layer_path(layer) is None


# --- /api/create input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source", ["/etc/passwd", "/tmp/x.gguf", "~/model.gguf", "./m.gguf", "model.gguf", "C:\\m.gguf", "..\\x"]
)
def test_create_from_a_path_is_refused_without_touching_the_disk(source: str) -> None:
    with pytest.raises(RequestError) as err:
        source_of(source)
    assert err.value.status == 400 and err.value.message == PATH_REFUSED


def test_create_from_a_name_or_an_allowed_path() -> None:
    assert source_of("llama3.2:1b") == parse_name("llama3.2:1b")
    assert source_of("/abs/m.gguf", allow_local_path=True) == Path("/abs/m.gguf")
    with pytest.raises(RequestError):
        source_of("rel/m.gguf", allow_local_path=True)
    for bad in (None, 5, "", "a/b/c/d", ["x"]):
        with pytest.raises(RequestError):
            source_of(bad)


@given(source=st.text(max_size=60))
@settings(max_examples=500, deadline=None)
def test_generated_sources_are_names_or_400s(source: str) -> None:
    try:
        result = source_of(source)
    except RequestError as exc:
        assert exc.status == 400
        return
    assert isinstance(result, ModelName)


@pytest.mark.parametrize(
    "files",
    [
        {"m.gguf": "sha256:" + "g" * 64},
        {"m.gguf": "sha256:xyz"},
        {"m.gguf": 5},
        {"m.gguf": "sha256:../../etc/passwd"},
        {"m.gguf": "sha256:" + "a" * 64, "t.json": "nope"},
        {"../m.gguf": "sha256:" + "a" * 64},
        {"a.gguf": "sha256:" + "a" * 64, "b.gguf": "sha256:" + "b" * 64},
        [],
        "m.gguf",
    ],
)
def test_bad_create_files_are_400s(files: Any) -> None:
    with pytest.raises(RequestError) as err:
        model_file_of(files)
    assert err.value.status == 400


@given(files=st.dictionaries(st.text(max_size=12), _json | _digest, max_size=6))
@settings(max_examples=300, deadline=None)
def test_generated_create_files_give_a_digest_or_a_400(files: dict[str, Any]) -> None:
    try:
        name, digest = model_file_of(files)
    except RequestError as exc:
        assert exc.status == 400
        return
    assert name.lower().endswith(".gguf") and len(digest) == 71


# --- a hostile registry against the real engine ---------------------------------------------------


@pytest.fixture(scope="module")
def hostile_registry() -> Iterator[HFServer]:
    server = HFServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def engine(hostile_registry: HFServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EngineProcess]:
    process = start_engine(
        tmp_path_factory.mktemp("manifest-engine"), extra_env={"HF_ENDPOINT": hostile_registry.url}
    )
    try:
        yield process
    finally:
        process.stop()


def _gguf_variant(tmp_path: Path, tag: bytes) -> Path:
    source = starter_gguf()
    assert source is not None
    path = tmp_path / f"{tag.decode()}.gguf"
    shutil.copyfile(source, path)
    with path.open("ab") as handle:
        handle.write(tag.ljust(64, b"\0"))
    return path


def _pull(url: str, model: str) -> list[dict[str, Any]]:
    with httpx.stream("POST", url + "/api/pull", json={"model": model, "insecure": True}, timeout=120) as r:
        return [json.loads(line) for line in r.iter_lines() if line]


def _hosted_text(server: HFServer, tmp_path: Path, data: bytes) -> dict[str, Any]:
    path = tmp_path / hashlib.sha256(data).hexdigest()
    path.write_bytes(data)
    hosted = HostedFile(path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    server.blobs[f"sha256:{hosted.sha256}"] = hosted
    return {"mediaType": TEMPLATE_MEDIA, "digest": f"sha256:{hosted.sha256}", "size": hosted.size}


def test_a_hostile_registry_cannot_plant_digests_or_paths(
    engine: EngineProcess, hostile_registry: HFServer, tmp_path: Path
) -> None:
    host = hostile_registry.url.removeprefix("http://")
    gguf = _gguf_variant(tmp_path, b"hostile")
    hostile_registry.add_registry_model("library/upper", "1", gguf)
    layer = hostile_registry.manifests["library/upper:1"]["layers"][0]
    layer["digest"] = layer["digest"].upper().replace("SHA256", "sha256")
    assert _pull(engine.url, f"{host}/library/upper:1")[-1] == {"error": "invalid digest format"}

    secret = tmp_path / "secret.txt"
    secret.write_text("private notes outside the data folder")
    template = _hosted_text(hostile_registry, tmp_path, b"{{ .Prompt }}")
    published = hostile_registry.add_registry_model(
        "library/keyed", "1", gguf, extra_layers=[{**template, "x-ollama-desk-path": str(secret)}]
    )
    published["layers"][0]["x-ollama-desk-path"] = str(secret)
    published["x-ollama-desk-path"] = str(secret)
    name = f"{host}/library/keyed:1"
    assert _pull(engine.url, name)[-1] == {"status": "success"}
    show = httpx.post(engine.url + "/api/show", json={"model": name}).json()
    assert show["template"] == "{{ .Prompt }}"
    stored = next((engine.home / "engine" / "models" / "manifests").rglob("keyed/1"))
    assert "x-ollama-desk-path" not in stored.read_text()
    assert httpx.request("DELETE", engine.url + "/api/delete", json={"model": name}).status_code == 200


@pytest.mark.parametrize(
    "data", [b"[" * 100_000, b'{"a":' * 5000 + b"1" + b"}" * 5000, b'{"temperature": NaN}', b"\xff", b"[1]"]
)
def test_hostile_params_and_config_layers_read_as_empty(tmp_path: Path, data: bytes) -> None:
    from desktop.engine.manifest import PARAMS_MEDIA

    registry = Registry(tmp_path / "models")
    model = registry.write_blob(b"weights")
    config = registry.write_blob(data)
    params = registry.write_blob(data)
    raw = manifest(model["digest"], config=config["digest"], extra=[{"mediaType": PARAMS_MEDIA, **params}])
    raw["config"]["size"] = config["size"]
    entry = registry.write_manifest(parse_name("odd:1"), raw)
    assert registry.params(entry) == {} and registry.config(entry) == {}


def _mock_client(handler: Any) -> httpx.AsyncClient:
    # Edge cases only (sizes and loops a loopback server would take long to produce); the
    # real-server tests above cover the normal path.
    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


def test_registry_answers_that_are_huge_deep_or_not_manifests_are_pull_errors() -> None:
    from desktop.engine import ollama_registry
    from desktop.engine.hf import PullError

    name = parse_name("registry.example/library/m:1")
    for body in (b"{" + b" " * (2 << 20) + b"}", b"[" * 100_000, b"[]", b'{"layers": 5}', b"\xff"):

        async def fetch(body: bytes = body) -> str:
            async with _mock_client(lambda request: httpx.Response(200, content=body)) as http:
                try:
                    await ollama_registry.fetch_manifest(http, name, False)
                except PullError as exc:
                    return str(exc)
            return "accepted"

        assert asyncio.run(fetch()).startswith("pull model manifest:")


def test_hugging_face_listings_that_loop_or_lie_are_pull_errors() -> None:
    from desktop.engine import hf

    good = {"type": "file", "path": "m-Q4_K_M.gguf", "lfs": {"oid": "a" * 64, "size": 10}}
    cases: list[tuple[Any, dict[str, str]]] = [
        ([good], {"Link": '<http://hf.test/api/models/u/r/tree/main?p=2>; rel="next"'}),  # a circle
        ([{**good, "lfs": {"oid": "a" * 64, "size": "10"}}], {}),
        ([{**good, "lfs": {"oid": "A" * 64, "size": 10}}], {}),
        ([{**good, "path": "../../other/m-Q4_K_M.gguf"}], {}),
        ([{**good, "path": 5}], {}),
        ("[" * 100_000, {}),
    ]
    for page, headers in cases:

        def handler(
            request: httpx.Request, page: Any = page, headers: dict[str, str] = headers
        ) -> httpx.Response:
            content = page.encode() if isinstance(page, str) else json.dumps(page).encode()
            return httpx.Response(200, content=content, headers=headers)

        async def resolve() -> str:
            async with _mock_client(handler) as http:
                try:
                    await hf.resolve(http, "u", "r", "latest")
                except hf.PullError as exc:
                    return str(exc)
            return "accepted"

        assert asyncio.run(resolve()) != "accepted", page


def test_a_download_longer_than_announced_is_cut_and_removed(tmp_path: Path) -> None:
    from desktop.engine import hf

    def endless(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * (1 << 20))  # 1 MiB for a file of 1000 bytes

    partial = tmp_path / "blob-partial"

    async def pull() -> str:
        async with _mock_client(endless) as http:
            try:
                async for _ in hf.download(http, "http://hf.test/f", 1000, "a" * 64, partial):
                    pass
            except hf.PullError as exc:
                return str(exc)
        return "accepted"

    assert "more bytes than the file has" in asyncio.run(pull())
    assert not partial.exists()
