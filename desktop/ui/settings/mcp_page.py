"""Settings > MCP servers: import an `mcpServers` file (Claude Desktop, LM Studio, Jan), connect
each server, see its tools or why it failed, switch single tools off, remove a server.
Secrets in the file go to the keyring (desktop.core.tools.mcp_config); this page never shows them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.tools.mcp_client import McpError
from desktop.core.tools.mcp_config import McpServerConfig, forget_secrets, import_mcp_servers
from desktop.core.tools.service import ToolsService
from desktop.ui.tasks import TaskRunner

MAX_FILE = 1024 * 1024


class McpServersPage(QWidget):
    def __init__(self, service: ToolsService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mcpServersPage")
        self._service = service
        self._tasks = TaskRunner(self)
        intro = QLabel(
            self.tr(
                "MCP servers give the model more tools. Import the mcpServers file of Claude Desktop, "
                "LM Studio or Jan; keys and tokens in it are kept in the system keyring."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.servers = QListWidget(self)
        self.servers.setAccessibleName(self.tr("MCP servers"))
        self.servers.currentRowChanged.connect(self._show_tools)
        self.tools = QListWidget(self)
        self.tools.setAccessibleName(self.tr("Tools of the chosen server"))
        self.tools.itemChanged.connect(self._on_tool_switched)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.import_button = QPushButton(self.tr("Import mcpServers file…"), self)
        self.import_button.clicked.connect(self._import)
        self.connect_button = QPushButton(self.tr("Connect"), self)
        self.connect_button.clicked.connect(self._connect_chosen)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.clicked.connect(self._remove_chosen)
        row = QHBoxLayout()
        for button in (self.import_button, self.connect_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.servers, 1)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("Tools (untick one to keep it from the model):"), self))
        layout.addWidget(self.tools, 1)
        layout.addWidget(self.status)
        self.refresh()

    def _configs(self) -> list[McpServerConfig]:
        return self._service.mcp_configs()

    def _chosen(self) -> McpServerConfig | None:
        row = self.servers.currentRow()
        configs = self._configs()
        return configs[row] if 0 <= row < len(configs) else None

    def state_of(self, config: McpServerConfig) -> str:
        connection = self._service.connections.get(config.name)
        if connection is not None and connection.alive:
            return self.tr("connected, {count} tools").format(count=len(connection.tools))
        error = self._service.mcp_errors.get(config.name)
        return error or self.tr("not connected")

    def refresh(self) -> None:
        row = max(self.servers.currentRow(), 0)
        self.servers.clear()
        for config in self._configs():
            where = config.url or " ".join((config.command, *config.args))
            self.servers.addItem(f"{config.name} — {where} ({self.state_of(config)})")
        if self.servers.count():
            self.servers.setCurrentRow(min(row, self.servers.count() - 1))
        self._show_tools()
        has = self.servers.count() > 0
        self.connect_button.setEnabled(has)
        self.remove_button.setEnabled(has)

    def _show_tools(self, *_args: object) -> None:
        self.tools.blockSignals(True)
        self.tools.clear()
        config = self._chosen()
        connection = self._service.connections.get(config.name) if config else None
        if config is not None and connection is not None:
            for tool in connection.tools:
                item = QListWidgetItem(f"{tool.name} — {tool.description[:120]}")
                item.setData(Qt.ItemDataRole.UserRole, tool.name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                off = tool.name in config.disabled_tools
                item.setCheckState(Qt.CheckState.Unchecked if off else Qt.CheckState.Checked)
                self.tools.addItem(item)
        self.tools.blockSignals(False)

    def _on_tool_switched(self, item: QListWidgetItem) -> None:
        config = self._chosen()
        if config is None:
            return
        name = str(item.data(Qt.ItemDataRole.UserRole))
        off = set(config.disabled_tools)
        if item.checkState() == Qt.CheckState.Checked:
            off.discard(name)
        else:
            off.add(name)
        self._replace(dataclasses.replace(config, disabled_tools=tuple(sorted(off))))
        connection = self._service.connections.get(config.name)
        if connection is not None:
            connection.config = dataclasses.replace(connection.config, disabled_tools=tuple(sorted(off)))

    def _replace(self, new: McpServerConfig) -> None:
        configs = [new if c.name == new.name else c for c in self._configs()]
        self._service.save_mcp_configs(configs)

    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import MCP servers"), "", self.tr("JSON (*.json)")
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        try:
            if path.stat().st_size > MAX_FILE:
                raise ValueError(self.tr("The file is too large to be an MCP servers file."))
            text = path.read_text(encoding="utf-8")
            secrets = self._service.secrets
            if secrets is None:
                raise ValueError(self.tr("No place for secrets was found; the file was not imported."))
            imported = import_mcp_servers(text, secrets)
        except (OSError, UnicodeDecodeError, ValueError) as err:
            self.status.setText(self.tr("Could not import {file}: {error}").format(file=path.name, error=err))
            return
        names = {c.name for c in imported}
        kept = [c for c in self._configs() if c.name not in names]
        self._service.save_mcp_configs([*kept, *imported])
        self.status.setText(self.tr("Imported {count} MCP servers.").format(count=len(imported)))
        self.refresh()

    def _connect_chosen(self) -> None:
        config = self._chosen()
        if config is not None:
            self.connect_server(config)

    def connect_server(self, config: McpServerConfig) -> None:
        self.status.setText(self.tr("Connecting to {server}…").format(server=config.name))
        self.connect_button.setEnabled(False)

        def done(_tools: object) -> None:
            self.status.setText(self.tr("{server} is connected.").format(server=config.name))
            self.refresh()

        def failed(err: BaseException) -> None:
            text = str(err) if isinstance(err, McpError) else type(err).__name__
            self.status.setText(text)
            self.refresh()

        self._tasks.start(self._service.connect(config), on_result=done, on_error=failed)

    def _remove_chosen(self) -> None:
        config = self._chosen()
        if config is None:
            return
        self._service.save_mcp_configs([c for c in self._configs() if c.name != config.name])
        secrets = self._service.secrets
        if secrets is not None:  # its keys leave the keyring with it (keyring calls may block)
            self._tasks.run_blocking(lambda: forget_secrets(config, secrets))
        self._tasks.start(self._service.disconnect(config.name), on_result=lambda _r: self.refresh())
        self.refresh()
