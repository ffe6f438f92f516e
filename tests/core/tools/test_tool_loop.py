"""The tool loop over real HTTP (the loopback fault server replays Ollama's own stream
shapes): native calls, several per turn and split across chunks, calls written as JSON
text, the prompted protocol for a server that refuses tools, approval, the round limit,
Stop during a running tool, and a reply whose calls and results are saved as parts."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

from desktop.core.chat import ChatService
from desktop.core.messages import Role, ToolCallPart, ToolResultPart
from desktop.core.ollama import ChatChunk, ChatMessage, OllamaClient, Timeouts
from desktop.core.store import Store
from desktop.core.tools import ApprovalPolicy, Decision, Tool, ToolLoop
from desktop.core.tools.builtins import builtin_tools, calculator_tool, time_tool
from desktop.core.tools.spec import object_schema
from tests.support.fault_server import FaultServer

T = TypeVar("T")
AT = "2025-10-26T17:15:24.097767Z"
MODEL = "qwen3:latest"


def line(content: str = "", calls: list[dict[str, Any]] | None = None, done: bool = False) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if calls:
        message["tool_calls"] = calls
    out: dict[str, Any] = {"model": MODEL, "created_at": AT, "message": message, "done": done}
    if done:
        out |= {"done_reason": "stop", "eval_count": 5, "eval_duration": 100_000_000}
    return out


def call(name: str, arguments: dict[str, Any], index: int = 0, call_id: str = "") -> dict[str, Any]:
    wire: dict[str, Any] = {"function": {"index": index, "name": name, "arguments": arguments}}
    if call_id:
        wire["id"] = call_id
    return wire


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


async def collect(url: str, loop_of: Any, history: list[ChatMessage]) -> tuple[list[ChatChunk], ToolLoop]:
    async with OllamaClient(url, timeouts=Timeouts(first_token=10, idle=10)) as client:
        loop: ToolLoop = loop_of(client)
        chunks = [chunk async for chunk in loop.stream(MODEL, history)]
    return chunks, loop


def text_of(chunks: list[ChatChunk]) -> str:
    return "".join(c.content for c in chunks)


QUESTION = [ChatMessage("user", "What is 23*19, and what time is it in Tokyo?")]


def test_several_native_calls_in_one_turn_split_across_chunks_run_and_go_back(
    fault_server: FaultServer,
) -> None:
    # Ollama sends each call complete, but a turn's calls may come in separate chunks.
    fault_server.route(
        "POST",
        "/api/chat",
        once=True,
        lines=[
            line(calls=[call("calculator", {"expression": "23*19"}, 0, "call_a1b2c3d4")]),
            line(calls=[call("current_time", {"timezone": "Asia/Tokyo"}, 1, "call_e5f6a7b8")]),
            line(done=True),
        ],
    )
    fault_server.route(
        "POST", "/api/chat", once=True, lines=[line("23*19 is "), line("437."), line(done=True)]
    )
    chunks, loop = run(
        collect(fault_server.url, lambda c: ToolLoop(c, [calculator_tool(), time_tool()]), QUESTION)
    )
    assert text_of(chunks) == "23*19 is 437."
    assert [c.done for c in chunks] == [False, False, True]
    assert chunks[-1].metrics is not None and chunks[-1].metrics.eval_count == 5
    first = fault_server.requests[0].json()
    assert [t["function"]["name"] for t in first["tools"]] == ["calculator", "current_time"]
    second = fault_server.requests[1].json()["messages"]
    assert second[1]["role"] == "assistant"
    assert [c["function"]["name"] for c in second[1]["tool_calls"]] == ["calculator", "current_time"]
    assert second[2] == {"role": "tool", "content": "437", "tool_name": "calculator"}
    assert second[3]["role"] == "tool" and second[3]["tool_name"] == "current_time"
    assert "UTC+0900" in second[3]["content"]
    kinds = [(type(p).__name__, p.name) for p in loop.parts]  # type: ignore[union-attr]
    assert kinds == [
        ("ToolCallPart", "calculator"),
        ("ToolCallPart", "current_time"),
        ("ToolResultPart", "calculator"),
        ("ToolResultPart", "current_time"),
    ]
    assert loop.parts[0] == ToolCallPart("call_a1b2c3d4", "calculator", {"expression": "23*19"})


def test_independent_calls_run_in_parallel(fault_server: FaultServer) -> None:
    async def slow(args: dict[str, Any]) -> str:
        await asyncio.sleep(0.5)
        return f"done {args.get('n')}"

    tool = Tool("slow", "waits", object_schema({"n": {"type": "integer"}}), slow)
    calls = [call("slow", {"n": i}, i) for i in range(4)]
    fault_server.route("POST", "/api/chat", once=True, lines=[line(calls=calls), line(done=True)])
    fault_server.route("POST", "/api/chat", once=True, lines=[line("ok"), line(done=True)])
    start = time.monotonic()
    _, loop = run(collect(fault_server.url, lambda c: ToolLoop(c, [tool]), QUESTION))
    assert time.monotonic() - start < 1.5  # four half-second tools, together
    results = [p for p in loop.parts if isinstance(p, ToolResultPart)]
    assert [r.content for r in results] == ["done 0", "done 1", "done 2", "done 3"]
    assert all(r.duration_ms >= 450 for r in results)


def test_a_greeting_with_tools_on_runs_no_tool(fault_server: FaultServer) -> None:
    fault_server.route("POST", "/api/chat", lines=[line("Hello! "), line("How can I help?"), line(done=True)])
    chunks, loop = run(
        collect(fault_server.url, lambda c: ToolLoop(c, [calculator_tool()]), [ChatMessage("user", "hi")])
    )
    assert text_of(chunks) == "Hello! How can I help?"
    assert loop.parts == [] and len(fault_server.requests) == 1


def test_a_call_written_as_json_text_is_run_not_shown(fault_server: FaultServer) -> None:
    # Small models often write the call as text (ollama#13519): it is read back, not shown.
    written = '```json\n{"name": "calculator", "arguments": {"expression": "2**10"}}\n```'
    fault_server.route(
        "POST", "/api/chat", once=True, lines=[line(written[:9]), line(written[9:]), line(done=True)]
    )
    fault_server.route("POST", "/api/chat", once=True, lines=[line("1024"), line(done=True)])
    chunks, loop = run(collect(fault_server.url, lambda c: ToolLoop(c, [calculator_tool()]), QUESTION))
    assert text_of(chunks) == "1024"
    assert isinstance(loop.parts[1], ToolResultPart) and loop.parts[1].content == "1024"


def test_json_that_is_not_a_call_of_an_offered_tool_is_shown_as_text(fault_server: FaultServer) -> None:
    answer = '{"name": "rm_rf", "arguments": {}}'
    fault_server.route("POST", "/api/chat", lines=[line(answer), line(done=True)])
    chunks, loop = run(collect(fault_server.url, lambda c: ToolLoop(c, [calculator_tool()]), QUESTION))
    assert text_of(chunks) == answer and loop.parts == []


def test_a_server_without_tools_gets_the_prompted_protocol_with_format(fault_server: FaultServer) -> None:
    fault_server.route(
        "POST",
        "/api/chat",
        once=True,
        status=400,
        body={"error": "registry.ollama.ai/library/gemma:2b does not support tools"},
    )
    reply = json.dumps({"tool": "calculator", "arguments": {"expression": "6*7"}})
    fault_server.route("POST", "/api/chat", once=True, lines=[line(reply), line(done=True)])
    fault_server.route(
        "POST", "/api/chat", once=True, lines=[line('{"answer": "It is 42."}'), line(done=True)]
    )
    chunks, loop = run(collect(fault_server.url, lambda c: ToolLoop(c, [calculator_tool()]), QUESTION))
    assert text_of(chunks) == "It is 42."
    assert not loop.native
    second = fault_server.requests[1].json()
    assert "tools" not in second
    assert second["format"]["anyOf"][0]["properties"]["tool"] == {"const": "calculator"}
    assert second["messages"][0]["role"] == "system" and "calculator" in second["messages"][0]["content"]
    third = fault_server.requests[2].json()["messages"]
    assert third[-1] == {"role": "user", "content": "The tool calculator returned: 42"}


def test_unknown_tool_and_bad_arguments_become_error_results(fault_server: FaultServer) -> None:
    calls = [call("nope", {}, 0), call("calculator", {"expression": "().__class__"}, 1)]
    fault_server.route("POST", "/api/chat", once=True, lines=[line(calls=calls), line(done=True)])
    fault_server.route("POST", "/api/chat", once=True, lines=[line("Sorry."), line(done=True)])
    _, loop = run(collect(fault_server.url, lambda c: ToolLoop(c, [calculator_tool()]), QUESTION))
    results = [p for p in loop.parts if isinstance(p, ToolResultPart)]
    assert all(r.is_error for r in results)
    assert "no tool 'nope'" in results[0].content
    assert "not allowed" in results[1].content


def asking_tool(ran: list[dict[str, Any]]) -> Tool:
    async def write(args: dict[str, Any]) -> str:
        ran.append(args)
        return "written"

    return Tool("write_note", "writes", object_schema({"text": {"type": "string"}}), write, read_only=False)


def test_a_denied_tool_does_not_run_and_the_model_is_told(fault_server: FaultServer) -> None:
    ran: list[dict[str, Any]] = []
    asked: list[tuple[str, dict[str, Any]]] = []

    async def ask(tool: Tool, args: dict[str, Any]) -> Decision:
        asked.append((tool.name, args))
        return Decision.DENY

    fault_server.route(
        "POST",
        "/api/chat",
        once=True,
        lines=[line(calls=[call("write_note", {"text": "x"})]), line(done=True)],
    )
    fault_server.route("POST", "/api/chat", once=True, lines=[line("OK, I won't."), line(done=True)])
    _, loop = run(
        collect(fault_server.url, lambda c: ToolLoop(c, [asking_tool(ran)], ApprovalPolicy(ask)), QUESTION)
    )
    assert ran == [] and asked == [("write_note", {"text": "x"})]
    sent = fault_server.requests[1].json()["messages"][-1]
    assert sent["role"] == "tool" and "denied" in sent["content"]


def test_always_in_this_conversation_asks_once(fault_server: FaultServer) -> None:
    ran: list[dict[str, Any]] = []
    asked: list[str] = []

    async def ask(tool: Tool, args: dict[str, Any]) -> Decision:
        asked.append(tool.name)
        return Decision.ALWAYS

    calls = [call("write_note", {"text": "a"}, 0), call("write_note", {"text": "b"}, 1)]
    fault_server.route("POST", "/api/chat", once=True, lines=[line(calls=calls), line(done=True)])
    fault_server.route("POST", "/api/chat", once=True, lines=[line("done"), line(done=True)])
    policy = ApprovalPolicy(ask)
    run(collect(fault_server.url, lambda c: ToolLoop(c, [asking_tool(ran)], policy), QUESTION))
    assert asked == ["write_note"] and ran == [{"text": "a"}, {"text": "b"}]
    assert "write_note" in policy.always


def test_nobody_to_ask_means_a_tool_that_asks_never_runs(fault_server: FaultServer) -> None:
    ran: list[dict[str, Any]] = []
    fault_server.route(
        "POST",
        "/api/chat",
        once=True,
        lines=[line(calls=[call("write_note", {"text": "x"})]), line(done=True)],
    )
    fault_server.route("POST", "/api/chat", once=True, lines=[line("no"), line(done=True)])
    run(collect(fault_server.url, lambda c: ToolLoop(c, [asking_tool(ran)]), QUESTION))
    assert ran == []


def test_the_round_limit_ends_with_an_answer_without_tools(fault_server: FaultServer) -> None:
    fault_server.route(
        "POST", "/api/chat", lines=[line(calls=[call("calculator", {"expression": "1+1"})]), line(done=True)]
    )
    for expression in ("1+1", "2+2"):  # different calls each round: only the limit ends it
        fault_server.route(
            "POST",
            "/api/chat",
            once=True,
            lines=[line(calls=[call("calculator", {"expression": expression})]), line(done=True)],
        )
    fault_server.route("POST", "/api/chat", once=True, lines=[line("2"), line(done=True)])
    chunks, loop = run(
        collect(fault_server.url, lambda c: ToolLoop(c, [calculator_tool()], max_rounds=2), QUESTION)
    )
    assert text_of(chunks) == "2" and chunks[-1].done
    assert len(fault_server.requests) == 3
    last = fault_server.requests[-1].json()
    assert "tools" not in last and "round limit" in last["messages"][-1]["content"]


def test_a_hanging_tool_times_out_with_a_plain_message(fault_server: FaultServer) -> None:
    async def hang(args: dict[str, Any]) -> str:
        await asyncio.sleep(60)
        return ""

    tool = Tool("hang", "hangs", object_schema({}), hang, timeout=0.3)
    fault_server.route(
        "POST", "/api/chat", once=True, lines=[line(calls=[call("hang", {})]), line(done=True)]
    )
    fault_server.route("POST", "/api/chat", once=True, lines=[line("it hung"), line(done=True)])
    _, loop = run(collect(fault_server.url, lambda c: ToolLoop(c, [tool]), QUESTION))
    result = loop.parts[-1]
    assert isinstance(result, ToolResultPart) and result.is_error
    assert result.content == "The tool hang did not answer within 0.3 seconds."


def test_stop_cancels_a_running_tool_and_keeps_the_call_as_a_part(
    fault_server: FaultServer, tmp_path: Any
) -> None:
    cancelled = asyncio.Event()
    started: list[bool] = []

    async def long(args: dict[str, Any]) -> str:
        started.append(True)
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return ""

    tool = Tool("long", "runs long", object_schema({}), long)
    fault_server.route(
        "POST", "/api/chat", lines=[line("Working on it. "), line(calls=[call("long", {})]), line(done=True)]
    )
    store = Store(tmp_path / "s.db")
    conversation = store.create_conversation("t", model=MODEL)
    store.add_message(conversation.id, Role.USER, "go")

    async def main() -> None:
        async with OllamaClient(fault_server.url, timeouts=Timeouts(first_token=10, idle=10)) as client:
            service = ChatService(client, store, tools=lambda conv: ToolLoop(client, [tool]))
            task = asyncio.create_task(service.reply(conversation.id, on_delta=lambda d: None))
            while not started:
                await asyncio.sleep(0.01)
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
            assert cancelled.is_set()

    run(main())
    reply = store.messages(conversation.id)[-1]
    assert reply.status == "stopped" and reply.content == "Working on it. "
    assert [p.kind for p in reply.parts] == ["tool_call"]


def test_a_reply_with_tools_is_stored_with_its_parts_exported_and_searchable(
    fault_server: FaultServer, tmp_path: Any
) -> None:
    fault_server.route(
        "POST",
        "/api/chat",
        once=True,
        lines=[line(calls=[call("calculator", {"expression": "1234*5678"})]), line(done=True)],
    )
    fault_server.route(
        "POST", "/api/chat", once=True, lines=[line("The product is 7006652."), line(done=True)]
    )
    store = Store(tmp_path / "s.db")
    conversation = store.create_conversation("maths", model=MODEL)
    store.add_message(conversation.id, Role.USER, "1234 times 5678?")
    tools = builtin_tools(store)

    async def main() -> None:
        async with OllamaClient(fault_server.url, timeouts=Timeouts(first_token=10, idle=10)) as client:
            service = ChatService(client, store, tools=lambda conv: ToolLoop(client, [tools["calculator"]]))
            outcome = await service.reply(conversation.id, on_delta=lambda d: None)
            assert outcome.status == "complete"

    run(main())
    reply = store.messages(conversation.id)[-1]
    assert reply.content == "The product is 7006652."
    assert reply.parts[0] == ToolCallPart(reply.parts[0].call_id, "calculator", {"expression": "1234*5678"})  # type: ignore[union-attr]
    result = reply.parts[1]
    assert isinstance(result, ToolResultPart) and result.content == "7006652" and not result.is_error
    assert any(hit.message_id == reply.id for hit in store.search("1234*5678"))
    assert any(hit.message_id == reply.id for hit in store.search("7006652"))
    from desktop.core.export import conversation_markdown, export_data

    exported = json.dumps(export_data(store), ensure_ascii=False)
    assert '"kind": "tool_result"' in exported and "7006652" in exported and '"duration_ms"' in exported
    markdown = conversation_markdown(store.conversation(conversation.id), store.messages(conversation.id))
    assert "calculator" in markdown and "7006652" in markdown


def test_thinking_in_each_round_passes_through(fault_server: FaultServer) -> None:
    thought = line(calls=[call("calculator", {"expression": "2+2"})])
    thought["message"]["thinking"] = "I should use the calculator."
    fault_server.route("POST", "/api/chat", once=True, lines=[thought, line(done=True)])
    answer = line("4")
    answer["message"]["thinking"] = "It returned 4."
    fault_server.route("POST", "/api/chat", once=True, lines=[answer, line(done=True)])
    chunks, _ = run(collect(fault_server.url, lambda c: ToolLoop(c, [calculator_tool()]), QUESTION))
    assert [c.thinking for c in chunks if c.thinking] == ["I should use the calculator.", "It returned 4."]
    assert text_of(chunks) == "4"


def test_recovering_calls_written_as_text() -> None:
    from desktop.core.tools.protocol import recover_calls

    names = {"calculator", "get_weather"}
    assert recover_calls(
        '<tool_call>\n{"name": "get_weather", "arguments": {"city": "北京"}}\n</tool_call>', names
    )[0].arguments == {"city": "北京"}
    assert (
        recover_calls('{"tool": "calculator", "arguments": {"expression": "1+1"}}', names)[0].name
        == "calculator"
    )
    assert recover_calls('Tool call: {"tool": "calculator", "arguments": {}}', names)[0].name == "calculator"
    weather = {"name": "get_weather", "arguments": json.dumps({"city": "Paris"})}  # arguments as a string
    two = json.dumps([{"name": "calculator", "arguments": {}}, weather])
    assert [c.arguments for c in recover_calls(two, names)] == [{}, {"city": "Paris"}]
    for text in (
        'The answer is {"tool": "calculator"}',  # a call inside prose is not a call
        '{"name": "shell", "arguments": {}}',  # not offered
        '{"name": "calculator", "arguments": [1]}',
        "{broken",
        "",
    ):
        assert recover_calls(text, names) == []


def test_a_llama_server_without_jinja_gets_the_prompted_protocol(fault_server: FaultServer) -> None:
    fault_server.route(
        "POST", "/api/chat", once=True, status=500, body={"error": "tools param requires --jinja flag"}
    )
    fault_server.route("POST", "/api/chat", once=True, lines=[line('{"answer": "Hi!"}'), line(done=True)])
    chunks, loop = run(
        collect(fault_server.url, lambda c: ToolLoop(c, [calculator_tool()]), [ChatMessage("user", "hi")])
    )
    assert text_of(chunks) == "Hi!" and not loop.native and loop.parts == []


def test_the_same_call_again_is_not_run_and_the_model_answers_without_tools(
    fault_server: FaultServer,
) -> None:
    # What the starter model does after each result: the very same call (measured: all 6 rounds).
    same = [line(calls=[call("calculator", {"expression": "23*19"})]), line(done=True)]
    fault_server.route("POST", "/api/chat", once=True, lines=same)
    fault_server.route("POST", "/api/chat", once=True, lines=same)
    fault_server.route("POST", "/api/chat", once=True, lines=[line("It is 437."), line(done=True)])
    chunks, loop = run(collect(fault_server.url, lambda c: ToolLoop(c, [calculator_tool()]), QUESTION))
    assert text_of(chunks) == "It is 437." and chunks[-1].done
    assert [p.kind for p in loop.parts] == ["tool_call", "tool_result"]  # run once
    bodies = [r.json() for r in fault_server.requests]
    assert len(bodies) == 3 and "tools" in bodies[1] and "tools" not in bodies[2]
    assert bodies[2]["messages"][-1] == {"role": "tool", "content": "437", "tool_name": "calculator"}


def test_the_prompted_protocol_calls_again_after_a_result_then_answers(fault_server: FaultServer) -> None:
    # A server without tools: each prompted round may call again (up to the round limit); the
    # answer round keeps the protocol with an answer-only format (tool turns as text, never
    # `role: tool`), so the model cannot write one more call as its answer.
    fault_server.route("POST", "/api/chat", once=True, status=400, body={"error": "does not support tools"})
    for expression in ("23*19", "437+1", "437+1"):
        reply = json.dumps({"tool": "calculator", "arguments": {"expression": expression}})
        fault_server.route("POST", "/api/chat", once=True, lines=[line(reply), line(done=True)])
    answer = json.dumps({"answer": "438."})
    fault_server.route("POST", "/api/chat", once=True, lines=[line(answer), line(done=True)])
    chunks, loop = run(collect(fault_server.url, lambda c: ToolLoop(c, [calculator_tool()]), QUESTION))
    assert text_of(chunks) == "438."
    results = [p.content for p in loop.parts if isinstance(p, ToolResultPart)]
    assert results == ["437", "438"]
    assert len(fault_server.requests) == 5  # refused, 3 prompted rounds (the last a repeat), answer
    last = fault_server.requests[-1].json()
    assert "tools" not in last
    assert [variant["required"] for variant in last["format"]["anyOf"]] == [["answer"]]
    assert all(m["role"] in ("system", "user", "assistant") for m in last["messages"])
    assert last["messages"][-1] == {"role": "user", "content": "The tool calculator returned: 438"}
