"""The model-management family: version, tags, show, ps, delete, copy, load, unload."""

from __future__ import annotations

from typing import Any

from desktop.core.ollama.base import ClientBase
from desktop.core.ollama.types import ModelDetails, ModelInfo, RunningModel, ShowInfo
from desktop.core.ollama.wire import dict_or_none, list_of_dicts, strings, to_model_info, to_running_model


class ModelsAPI(ClientBase):
    async def version(self) -> str:
        obj = await self._json("GET", "/api/version")
        return str(obj.get("version", ""))

    async def is_alive(self) -> bool:
        """True if an Ollama(-compatible) server answers /api/version. Never raises."""
        try:
            await self._json("GET", "/api/version", budget=min(self.timeouts.request, 5.0))
        except Exception:
            return False
        return True

    async def tags(self) -> list[ModelInfo]:
        obj = await self._json("GET", "/api/tags")
        return [to_model_info(m) for m in list_of_dicts(obj.get("models"))]

    async def show(self, model: str) -> ShowInfo:
        obj = await self._json("POST", "/api/show", json={"model": model})
        license_ = obj.get("license") or ""
        if isinstance(license_, list):
            license_ = "\n".join(str(part) for part in license_)
        model_info = obj.get("model_info")
        return ShowInfo(
            modelfile=str(obj.get("modelfile") or ""),
            parameters=str(obj.get("parameters") or ""),
            template=str(obj.get("template") or ""),
            system=str(obj.get("system") or ""),
            license=str(license_),
            details=ModelDetails.from_wire(dict_or_none(obj.get("details"))),
            model_info=dict(model_info) if isinstance(model_info, dict) else {},
            capabilities=strings(obj.get("capabilities")),
            modified_at=str(obj.get("modified_at") or ""),
        )

    async def ps(self) -> list[RunningModel]:
        obj = await self._json("GET", "/api/ps")
        return [to_running_model(m) for m in list_of_dicts(obj.get("models"))]

    async def delete(self, model: str) -> None:
        await self._request("DELETE", "/api/delete", json={"model": model})

    async def copy(self, source: str, destination: str) -> None:
        await self._request("POST", "/api/copy", json={"source": source, "destination": destination})

    async def load(self, model: str, keep_alive: str | float | None = None) -> None:
        """Load ``model`` into memory now (generate with no prompt), so the first reply is quick."""
        payload: dict[str, Any] = {"model": model, "stream": False}
        if keep_alive is not None:
            payload["keep_alive"] = keep_alive
        await self._request("POST", "/api/generate", json=payload, budget=self.timeouts.first_token)

    async def unload(self, model: str) -> None:
        """Free the model's memory now: generate with an empty prompt and keep_alive 0."""
        payload = {"model": model, "prompt": "", "keep_alive": 0, "stream": False}
        await self._request("POST", "/api/generate", json=payload)
