"""Tools in the app: the model's calls (a replay of Ollama's native tool_calls) run, the one
that reaches the network asks first in a dialog, each call is a folded card in the reply
that opens to its arguments and result, and the cards come back when the chat is reopened.
With the real engine and the starter model, the calculator question through the whole app."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
import shiboken6

from desktop.core.tools.choices import ToolChoice
from desktop.ui.widgets.tool_card import ToolCards
from tests.support.fault_server import FaultServer
from tests.ui.desk_support import running_desk
from tests.ui.test_chat_window import FINAL, MODEL, chunk, desk, last_message, reply_is, send  # noqa: F401, F811

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def calls_line(*calls: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    wire = [{"function": {"index": i, "name": n, "arguments": a}} for i, (n, a) in enumerate(calls)]
    return {
        "model": MODEL,
        "created_at": "2026-11-22T00:00:00Z",
        "message": {"role": "assistant", "content": "", "tool_calls": wire},
        "done": False,
    }


def open_with_tools(
    desk: Any,  # noqa: F811
    enabled: set[str],
) -> int:
    conversation = desk.store.create_conversation("Tools", model=MODEL)
    desk.chat.open(conversation.id)
    desk.tools.set_choice(conversation.id, ToolChoice(on=True, enabled=frozenset(enabled)))
    return int(conversation.id)


def shoot(widget: Any, name: str) -> None:
    if os.environ.get("OLLAMA_DESK_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert widget.grab().save(str(SHOTS / name))


def test_calls_run_the_network_one_asks_and_the_cards_show_what_happened(
    qtbot: Any,
    desk: Any,  # noqa: F811 - the fixture imported above
    fault_server: FaultServer,
) -> None:
    page_url = fault_server.url + "/weather"
    fault_server.route(
        "GET", "/weather", body="<html><body><h1>Beijing</h1><p>Sunny, 21 °C</p></body></html>"
    )
    fault_server.route(
        "POST",
        "/api/chat",
        once=True,
        lines=[
            calls_line(("calculator", {"expression": "23*19"}), ("fetch_web_page", {"url": page_url})),
            FINAL,
        ],
    )
    answer = ["23 × 19 = 437. ", "In Beijing it is sunny, 21 °C."]
    fault_server.route("POST", "/api/chat", once=True, lines=[*map(chunk, answer), FINAL], delay=0.02)
    conversation_id = open_with_tools(desk, {"calculator", "fetch_web_page"})
    send(desk, "What is 23*19, and what is the weather in Beijing? (see the page)")

    qtbot.waitUntil(lambda: desk.tools.ask.current is not None, timeout=10000)
    dialog = desk.tools.ask.current
    assert dialog.isVisible()
    assert "fetch_web_page" in dialog.question.text() and "network" in dialog.question.text()
    assert page_url in dialog.arguments.toPlainText()
    assert [b.text() for b in (dialog.allow_button, dialog.always_button, dialog.deny_button)] == [
        "Allow once",
        "Always in this conversation",
        "Deny",
    ]
    assert not any(
        r.route_path == "/weather" for r in fault_server.requests
    )  # nothing fetched before the answer
    # The streaming reply already shows the calls, still running, while the dialog waits.
    streaming = desk.page.streaming_view()
    qtbot.waitUntil(lambda: len(streaming.tools.cards) == 2, timeout=5000)
    assert streaming.tools.cards[1].title() == "Running fetch_web_page…"
    dialog.resize(460, 300)
    shoot(dialog, "tool-approval.png")
    dialog.allow_button.click()

    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    assert any(r.route_path == "/weather" for r in fault_server.requests)
    reply = last_message(desk)
    assert reply.content == "".join(answer)
    assert [p.kind for p in reply.parts] == ["tool_call", "tool_call", "tool_result", "tool_result"]
    sent = [r.json() for r in fault_server.requests if r.route_path == "/api/chat"]
    assert [t["function"]["name"] for t in sent[0]["tools"]] == ["calculator", "fetch_web_page"]
    tool_turns = [m for m in sent[1]["messages"] if m["role"] == "tool"]
    assert tool_turns[0]["content"] == "437" and "Sunny, 21 °C" in tool_turns[1]["content"]

    view = desk.page.view_for(reply.id)
    qtbot.waitUntil(lambda: view.tools.isVisible() and len(view.tools.cards) == 2, timeout=5000)
    first, second = view.tools.cards
    assert first.title().startswith("Used calculator (") and second.title().startswith(
        "Used fetch_web_page ("
    )
    assert not first.details.isVisible()  # folded until clicked
    first.toggle.click()
    second.toggle.click()
    qtbot.waitUntil(lambda: first.details.isVisible(), timeout=3000)
    assert '"expression": "23*19"' in first.details.text() and "Result:\n437" in first.details.text()
    assert "Sunny, 21 °C" in second.details.text()
    assert first.details.height() > 20
    image = first.grab().toImage()  # the opened card is drawn, not blank
    colours = {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert len(colours) > 3
    qtbot.wait(100)
    shoot(view, "tool-cards.png")

    # Reopened, the reply shows the same cards from the store.
    desk.chat.open(conversation_id)
    qtbot.waitUntil(lambda: desk.page.view_for(reply.id) is not None, timeout=5000)
    reopened = desk.page.view_for(reply.id)
    qtbot.waitUntil(lambda: len(reopened.tools.cards) == 2, timeout=5000)
    assert reopened.tools.cards[0].title().startswith("Used calculator")


def test_deny_runs_nothing_and_the_model_is_told(
    qtbot: Any,
    desk: Any,  # noqa: F811
    fault_server: FaultServer,
) -> None:
    page_url = fault_server.url + "/private"
    fault_server.route("GET", "/private", body="secret")
    fault_server.route(
        "POST", "/api/chat", once=True, lines=[calls_line(("fetch_web_page", {"url": page_url})), FINAL]
    )
    fault_server.route("POST", "/api/chat", once=True, lines=[chunk("I was not allowed to fetch it."), FINAL])
    open_with_tools(desk, {"fetch_web_page"})
    send(desk, "Fetch that page")
    qtbot.waitUntil(lambda: desk.tools.ask.current is not None, timeout=10000)
    desk.tools.ask.current.deny_button.click()
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    assert not any(r.route_path == "/private" for r in fault_server.requests)
    sent = [r.json() for r in fault_server.requests if r.route_path == "/api/chat"][-1]
    assert "denied" in sent["messages"][-1]["content"]
    view = desk.page.view_for(last_message(desk).id)
    qtbot.waitUntil(lambda: len(view.tools.cards) == 1, timeout=5000)
    assert view.tools.cards[0].title().startswith("fetch_web_page failed")


def test_stop_while_the_dialog_asks_closes_it_and_runs_nothing(
    qtbot: Any,
    desk: Any,  # noqa: F811
    fault_server: FaultServer,
) -> None:
    fault_server.route("GET", "/x", body="x")
    fault_server.route(
        "POST", "/api/chat", lines=[calls_line(("fetch_web_page", {"url": fault_server.url + "/x"})), FINAL]
    )
    open_with_tools(desk, {"fetch_web_page"})
    send(desk, "Fetch it")
    qtbot.waitUntil(lambda: desk.tools.ask.current is not None, timeout=10000)
    dialog = desk.tools.ask.current
    desk.chat.stop()
    qtbot.waitUntil(lambda: not desk.chat.generating, timeout=10000)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=3000)
    assert desk.tools.ask.current is None
    assert not any(r.route_path == "/x" for r in fault_server.requests)


def test_a_follow_up_in_the_app_sends_the_earlier_call_and_result(
    qtbot: Any,
    desk: Any,  # noqa: F811
    fault_server: FaultServer,
) -> None:
    fault_server.route(
        "POST", "/api/chat", once=True, lines=[calls_line(("calculator", {"expression": "23*19"})), FINAL]
    )
    fault_server.route("POST", "/api/chat", once=True, lines=[chunk("It is 437."), FINAL])
    fault_server.route("POST", "/api/chat", once=True, lines=[chunk("874."), FINAL])
    open_with_tools(desk, {"calculator"})
    send(desk, "What is 23*19?")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    send(desk, "And twice that?")
    qtbot.waitUntil(
        lambda: reply_is(desk, "complete") and last_message(desk).content == "874.", timeout=10000
    )
    sent = [r.json() for r in fault_server.requests if r.route_path == "/api/chat"][-1]["messages"]
    turns = [(m["role"], m["content"], m.get("tool_name", "")) for m in sent]
    assert turns == [
        ("user", "What is 23*19?", ""),
        ("assistant", "", ""),
        ("tool", "437", "calculator"),
        ("assistant", "It is 437.", ""),
        ("user", "And twice that?", ""),
    ]
    assert sent[1]["tool_calls"][0]["function"]["arguments"] == {"expression": "23*19"}
    # The first reply still shows its card; the follow-up, which ran no tool, shows none.
    view = desk.page.view_for(last_message(desk).id)
    assert isinstance(view.tools, ToolCards) and not view.tools.isVisible()


def test_a_conversation_without_tools_sends_none(
    qtbot: Any,
    desk: Any,  # noqa: F811
    fault_server: FaultServer,
) -> None:
    send(desk, "Say hello")
    qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=10000)
    sent = [r.json() for r in fault_server.requests if r.route_path == "/api/chat"][-1]
    assert "tools" not in sent
    view = desk.page.view_for(last_message(desk).id)
    assert isinstance(view.tools, ToolCards) and not view.tools.isVisible()


@pytest.mark.engine
def test_the_calculator_through_the_app_with_the_real_engine(
    qtbot: Any, qloop: asyncio.AbstractEventLoop, engine_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_desk(
        qtbot, qloop, monkeypatch, engine_url, model="smollm2:135m", timeout=60000, no_binaries=False
    ) as desk:  # noqa: F811 - this test's own app, on the real engine
        conversation = desk.store.create_conversation("Maths", model="smollm2:135m")
        desk.chat.open(conversation.id)
        desk.chat.set_options("", {"num_predict": 48, "seed": 42, "temperature": 0})
        desk.tools.set_choice(conversation.id, ToolChoice(on=True, enabled=frozenset({"calculator"})))
        send(desk, "Use the calculator: what is 23*19?")
        qtbot.waitUntil(lambda: reply_is(desk, "complete"), timeout=300000)
        reply = last_message(desk)
        assert [p.kind for p in reply.parts][:2] == ["tool_call", "tool_result"]
        assert reply.parts[1].content == "437" and reply.content.strip()
        view = desk.page.view_for(reply.id)
        qtbot.waitUntil(lambda: len(view.tools.cards) >= 1 and view.tools.isVisible(), timeout=5000)
        assert view.tools.cards[0].title().startswith("Used calculator (")
        qtbot.waitUntil(lambda: view.shown_text().strip() != "", timeout=5000)
        # A follow-up: the model is sent the earlier call and its result, so it can say it.
        send(desk, "What number did the calculator give? Answer: the number.")
        qtbot.waitUntil(
            lambda: last_message(desk).id != reply.id and reply_is(desk, "complete"), timeout=300000
        )
        follow_up = desk.page.view_for(last_message(desk).id)
        qtbot.waitUntil(lambda: "437" in follow_up.shown_text(), timeout=5000)
