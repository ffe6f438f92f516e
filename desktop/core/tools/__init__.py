"""Tools in chat: the loop, the built-in tools, approval, and MCP servers (no Qt)."""

from desktop.core.tools.approval import ApprovalPolicy, AskCallback, Decision
from desktop.core.tools.loop import MAX_ROUNDS, ToolLoop
from desktop.core.tools.spec import Tool, ToolError

__all__ = ["MAX_ROUNDS", "ApprovalPolicy", "AskCallback", "Decision", "Tool", "ToolError", "ToolLoop"]
