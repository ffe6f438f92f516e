"""Tools in the app: one ToolsService for the chat controller, approvals as dialogs over the
main window, and each reply's tool cards updated as its calls run and finish."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop.core.messages import Part
from desktop.core.tools.service import ToolsService
from desktop.ui.tasks import TaskRunner
from desktop.ui.widgets.approval_dialog import ApprovalAsker
from desktop.ui.widgets.tools_section import ToolsSection

if TYPE_CHECKING:
    from desktop.core.store import Store
    from desktop.ui.controllers.chat_controller import ChatController
    from desktop.ui.widgets.chat_page import ChatPage


def install_tools(
    store: Store, chat: ChatController, page: ChatPage, backend_for: Callable[[Any], Any], window: Any = None
) -> ToolsService:
    try:
        from desktop.core.secrets import Secrets

        secrets: Any = Secrets(service="ollama-desk-mcp")
    except ImportError:  # pragma: no cover - the secrets module ships with the app
        secrets = None
    service = ToolsService(store, lambda conversation: backend_for(conversation.server), secrets=secrets)
    service.ask = ApprovalAsker(window)

    def show(_conversation_id: int, parts: tuple[Part, ...]) -> None:
        view = page.streaming_view()
        if view is not None and hasattr(view, "show_tool_parts"):
            view.show_tool_parts(parts)

    service.part_listeners.append(show)
    chat.tools = service
    if any(config.enabled for config in service.mcp_configs()):
        # The saved MCP servers start in the background; one that fails says why in Settings.
        runner = TaskRunner(page)
        runner.start(service.connect_all(), on_error=lambda _err: None)
    return service


def tools_section(service: ToolsService, conversation: Any) -> ToolsSection | None:
    """The Tools part of a conversation's options dialog (None before a conversation exists)."""
    if conversation is None:
        return None
    return ToolsSection(service.choice(conversation.id), sorted(service.connections))
