"""Anthropic's Messages API through the official `anthropic` client, on llama.cpp (SmolLM2) and on the RKLLM
simulator, plus the raw bytes of one stream and malformed requests."""
import http.client
import json
import os

import anthropic
import pytest

from conftest import MODEL, engine_server, running_server, simulator_server

SIM_MODEL = "qwen3-0.6b"
TOOLS = [
    {
        "name": "get_weather",
        "description": "The weather of a city",
        "input_schema": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "unit": {"type": "string"}},
            "required": ["city"],
        },
    }
]
CALL = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo", "unit": "c"}}\n</tool_call>'
THINKING = "<think>It is winter in Oslo.</think>Wear a coat."
QUESTION = [{"role": "user", "content": "What is the capital of France?"}]
# The client (2.x) no longer has sampling parameters; Claude Code and older clients still send them.
GREEDY = {"temperature": 0}


@pytest.fixture(scope="module")
def llama():
    with engine_server("llama") as server:
        yield server


@pytest.fixture(scope="module")
def sim():
    with simulator_server("1.3") as (server, _):
        yield server


def client_for(server, key="unused"):
    return anthropic.Anthropic(base_url=server.base_url, api_key=key, max_retries=0, timeout=60)


def echo(text):
    return [{"role": "user", "content": f"[[echo]]{text}[[/echo]]"}]


def post(server, path, body, headers=None):
    """A raw POST; returns (status, headers, body bytes)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    connection.request("POST", path, body=data, headers={"content-type": "application/json", **(headers or {})})
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, response.headers, payload


# Plain answers, on both engines.


def test_create_on_llama(llama):
    message = client_for(llama).messages.create(
        model=MODEL, max_tokens=30, extra_body=GREEDY, system="You are a helpful assistant.", messages=QUESTION
    )
    assert message.id.startswith("msg_")
    assert message.role == "assistant" and message.model == MODEL
    assert message.content[0].type == "text" and "Paris" in message.content[0].text
    assert message.stop_reason in ("end_turn", "max_tokens")
    assert message.usage.input_tokens > 5 and message.usage.output_tokens > 0


def test_stream_on_llama_adds_up_to_the_same_answer(llama):
    client = client_for(llama)
    whole = client.messages.create(model=MODEL, max_tokens=30, extra_body=GREEDY, messages=QUESTION)
    with client.messages.stream(model=MODEL, max_tokens=30, extra_body=GREEDY, messages=QUESTION) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == whole.content[0].text
    assert final.content[0].text == text
    assert final.stop_reason == whole.stop_reason
    assert final.usage.output_tokens == whole.usage.output_tokens
    # The prompt's tokens come in message_delta: fresh ones plus those read from the cache.
    assert final.usage.input_tokens + final.usage.cache_read_input_tokens == (
        whole.usage.input_tokens + whole.usage.cache_read_input_tokens
    )


def test_a_repeated_system_prompt_is_read_from_the_cache(llama):
    client = client_for(llama)
    system = "You are a helpful assistant who answers in one short sentence. " * 8
    client.messages.create(model=MODEL, max_tokens=5, system=system, messages=QUESTION)
    again = client.messages.create(model=MODEL, max_tokens=5, system=system, messages=QUESTION)
    assert again.usage.cache_read_input_tokens > 0


def test_create_and_stream_on_the_simulator(sim):
    client = client_for(sim)
    message = client.messages.create(model=SIM_MODEL, max_tokens=100, messages=echo("Grüße aus München ✓"))
    assert message.content[0].text == "Grüße aus München ✓"
    assert message.stop_reason == "end_turn"
    with client.messages.stream(model=SIM_MODEL, max_tokens=100, messages=echo("one two three")) as stream:
        assert "".join(stream.text_stream) == "one two three"


def test_max_tokens_ends_with_max_tokens(sim):
    message = client_for(sim).messages.create(model=SIM_MODEL, max_tokens=4, messages=[{"role": "user", "content": "Hi"}])
    assert message.stop_reason == "max_tokens"
    assert message.usage.output_tokens == 4


# Stop sequences.


def test_stop_sequences_on_the_simulator(sim):
    message = client_for(sim).messages.create(
        model=SIM_MODEL, max_tokens=100, messages=echo("one two END three"), stop_sequences=["NEVER", "END"]
    )
    assert message.content[0].text == "one two "
    assert message.stop_reason == "stop_sequence"
    assert message.stop_sequence == "END"


def test_stop_sequences_on_llama(llama):
    client = client_for(llama)
    question = [{"role": "user", "content": "Write two sentences about the sea."}]
    whole = client.messages.create(model=MODEL, max_tokens=40, extra_body=GREEDY, messages=question).content[0].text
    words = whole.split()
    assert len(words) > 4, whole
    stop = words[3]
    with client.messages.stream(
        model=MODEL, max_tokens=40, extra_body=GREEDY, messages=question, stop_sequences=[stop]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert final.stop_reason == "stop_sequence" and final.stop_sequence == stop
    assert text == whole[: whole.index(stop)]


# Tools.


def test_tool_round_trip_on_the_simulator(sim):
    client = client_for(sim)
    first = client.messages.create(
        model=SIM_MODEL, max_tokens=200, tools=TOOLS, messages=[{"role": "user", "content": f"[[echo]]{CALL}[[/echo]]"}]
    )
    assert first.stop_reason == "tool_use"
    call = next(block for block in first.content if block.type == "tool_use")
    assert call.id.startswith("toolu_") and call.name == "get_weather"
    assert call.input == {"city": "Oslo", "unit": "c"}
    answer = client.messages.create(
        model=SIM_MODEL,
        max_tokens=200,
        tools=TOOLS,
        messages=[
            {"role": "user", "content": "Weather in Oslo?"},
            {"role": "assistant", "content": [block.model_dump(exclude_none=True) for block in first.content]},
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": call.id, "content": "[[echo]]3 degrees and snow.[[/echo]]"}
                ],
            },
        ],
    )
    assert answer.content[0].text == "3 degrees and snow."
    assert answer.stop_reason == "end_turn"


def test_a_streamed_tool_call_is_assembled_by_the_stream_helper(sim):
    with client_for(sim).messages.stream(
        model=SIM_MODEL, max_tokens=200, tools=TOOLS, messages=echo(CALL)
    ) as stream:
        final = stream.get_final_message()
    call = next(block for block in final.content if block.type == "tool_use")
    assert call.input == {"city": "Oslo", "unit": "c"}
    assert final.stop_reason == "tool_use"


def test_a_forced_tool_on_llama_is_called(llama):
    message = client_for(llama).messages.create(
        model=MODEL,
        max_tokens=100,
        extra_body=GREEDY,
        tools=TOOLS,
        tool_choice={"type": "tool", "name": "get_weather"},
        messages=[{"role": "user", "content": "What is the weather in Paris?"}],
    )
    calls = [block for block in message.content if block.type == "tool_use"]
    assert calls and calls[0].name == "get_weather" and isinstance(calls[0].input.get("city"), str)
    assert message.stop_reason == "tool_use"


# Thinking, on the simulator's qwen3.


def test_thinking_comes_as_a_thinking_block(sim):
    message = client_for(sim).messages.create(
        model=SIM_MODEL, max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 1024}, messages=echo(THINKING)
    )
    assert [block.type for block in message.content] == ["thinking", "text"]
    assert message.content[0].thinking == "It is winter in Oslo."
    assert message.content[0].signature
    assert message.content[1].text == "Wear a coat."


def test_streamed_thinking_is_assembled_by_the_stream_helper(sim):
    thinking = []
    with client_for(sim).messages.stream(
        model=SIM_MODEL, max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 1024}, messages=echo(THINKING)
    ) as stream:
        for event in stream:
            if event.type == "thinking":
                thinking.append(event.thinking)
        final = stream.get_final_message()
    assert "".join(thinking) == "It is winter in Oslo."
    assert final.content[0].thinking == "It is winter in Oslo." and final.content[0].signature
    assert final.content[1].text == "Wear a coat."


# count_tokens.


@pytest.mark.parametrize("engine", ["llama", "sim"])
def test_count_tokens(engine, request):
    server = request.getfixturevalue(engine)
    model = MODEL if engine == "llama" else SIM_MODEL
    client = client_for(server)
    plain = client.messages.count_tokens(model=model, system="Be brief.", messages=QUESTION).input_tokens
    longer = client.messages.count_tokens(
        model=model, system="Be brief. Answer in French, in one sentence.", messages=QUESTION
    ).input_tokens
    assert plain > 5 and longer > plain
    if engine == "llama":
        answer = client.messages.create(model=model, max_tokens=1, system="Be brief.", messages=QUESTION)
        assert plain == answer.usage.input_tokens + answer.usage.cache_read_input_tokens


# The raw stream.


def frames(payload):
    """(event name, data) of each SSE frame, checking the framing of each."""
    result = []
    for frame in payload.decode().split("\n\n"):
        if not frame:
            continue
        lines = frame.split("\n")
        assert len(lines) == 2 and lines[0].startswith("event: ") and lines[1].startswith("data: "), frame
        name, data = lines[0][len("event: ") :], json.loads(lines[1][len("data: ") :])
        assert data["type"] == name
        result.append((name, data))
    return result


def test_the_event_order_of_one_stream_at_the_byte_level(sim):
    status, headers, payload = post(
        sim,
        "/v1/messages",
        {
            "model": SIM_MODEL,
            "max_tokens": 2048,
            "stream": True,
            "thinking": {"type": "enabled", "budget_tokens": 1024},
            "tools": TOOLS,
            "messages": echo("<think>Look it up.</think>Checking." + CALL),
        },
        headers={"anthropic-version": "2023-06-01", "anthropic-beta": "interleaved-thinking-2025-05-14"},
    )
    assert status == 200 and headers["content-type"] == "text/event-stream"
    assert payload.endswith(b'event: message_stop\ndata: {"type":"message_stop"}\n\n')
    events = frames(payload)
    names = [name for name, _ in events]
    collapsed = [n for i, n in enumerate(names) if i == 0 or n != names[i - 1] or n != "content_block_delta"]
    assert collapsed == [
        "message_start", "ping",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop",
    ]  # fmt: skip
    by_block = {}
    for name, data in events:
        if name == "content_block_delta":
            by_block.setdefault(data["index"], []).append(data["delta"]["type"])
    assert set(by_block[0][:-1]) == {"thinking_delta"} and by_block[0][-1] == "signature_delta"
    assert set(by_block[1]) == {"text_delta"}
    assert by_block[2] == ["input_json_delta"]
    starts = [data for name, data in events if name == "content_block_start"]
    assert [s["index"] for s in starts] == [0, 1, 2]
    assert [s["content_block"]["type"] for s in starts] == ["thinking", "text", "tool_use"]
    assert starts[2]["content_block"]["input"] == {}
    message_start = events[0][1]["message"]
    assert message_start["content"] == [] and message_start["stop_reason"] is None
    delta = next(data for name, data in events if name == "message_delta")
    assert delta["delta"] == {"stop_reason": "tool_use", "stop_sequence": None}
    assert delta["usage"]["input_tokens"] > 0 and delta["usage"]["output_tokens"] > 0


# Malformed requests: each a 4xx in Anthropic's error shape.

BASE = {"model": SIM_MODEL, "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]}


@pytest.mark.parametrize(
    "body, status, fragment",
    [
        ({k: v for k, v in BASE.items() if k != "max_tokens"}, 400, "max_tokens"),
        (b'{"model": "qwen3-0.6b", "max_tokens": 5, "messages": [', 400, "not valid JSON"),
        (b"\xff\xfe", 400, "not UTF-8"),
        ({**BASE, "messages": []}, 400, "messages"),
        ({**BASE, "messages": [{"role": "tool", "content": "x"}]}, 400, "messages[0].role"),
        (
            {**BASE, "messages": [{"role": "user", "content": [{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AA=="}}]}]},
            400,
            "image",
        ),
        ({**BASE, "tools": [{"type": "web_search_20250305", "name": "web_search", "max_uses": 3}]}, 400, "web_search_20250305"),
        ({**BASE, "tools": [{"type": "text_editor_20250728", "name": "str_replace_based_edit_tool"}]}, 400, "text_editor_20250728"),
        ({**BASE, "tool_choice": {"type": "sometimes"}}, 400, "tool_choice.type"),
        ({**BASE, "thinking": {"type": "enabled", "budget_tokens": 20}}, 400, "budget_tokens"),
        ({**BASE, "temperature": 3}, 400, "temperature"),
        ({**BASE, "model": "claude-sonnet-4-5"}, 404, "claude-sonnet-4-5"),
    ],
)
def test_malformed_requests_are_4xx_in_anthropic_shape(sim, body, status, fragment):
    got, headers, payload = post(sim, "/v1/messages", body)
    assert got == status, payload
    error = json.loads(payload)
    assert error["type"] == "error"
    assert error["error"]["type"] == ("not_found_error" if status == 404 else "invalid_request_error")
    assert fragment in error["error"]["message"]


def test_the_client_raises_the_typed_errors(sim):
    client = client_for(sim)
    with pytest.raises(anthropic.NotFoundError) as raised:
        client.messages.create(model="claude-opus-4-1", max_tokens=5, messages=QUESTION)
    assert SIM_MODEL in raised.value.body["error"]["message"]
    with pytest.raises(anthropic.BadRequestError):
        client.messages.create(model=SIM_MODEL, max_tokens=5, messages=[{"role": "user", "content": []}], tools=[{"name": ""}])


def test_routing_errors_under_v1_messages_are_in_anthropic_shape(sim):
    connection = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=30)
    connection.request("GET", "/v1/messages")
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    assert response.status == 405 and "POST" in response.headers["allow"]
    assert body["type"] == "error" and body["error"]["type"] == "invalid_request_error"
    status, _, payload = post(sim, "/v1/messages/nothing", BASE)
    assert status == 404 and json.loads(payload)["error"]["type"] == "not_found_error"


def test_limits_and_keys_answer_in_anthropic_shape():
    import tempfile

    from conftest import SIM_MODEL_FILE, write_simulated_model

    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-messages-")
    write_simulated_model(os.path.join(models_dir, SIM_MODEL_FILE))
    library = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), ".build", "rkllm-sim", "1.3", "librkllmrt.so")
    args = ["--rkllm-lib", library, "--max-body-bytes", "2000", "--api-key", "sk-test"]
    with running_server(models_dir, args, {}) as server:
        status, headers, payload = post(server, "/v1/messages", BASE)
        assert status == 401 and json.loads(payload)["error"]["type"] == "authentication_error"
        with pytest.raises(anthropic.AuthenticationError):
            client_for(server, key="sk-wrong").messages.create(**BASE)
        answer = client_for(server, key="sk-test").messages.create(**{**BASE, "messages": echo("ok")})
        assert answer.content[0].text == "ok"
        big = {**BASE, "system": "x" * 5000}
        status, _, payload = post(server, "/v1/messages", big, headers={"x-api-key": "sk-test"})
        assert status == 413 and json.loads(payload)["error"]["type"] == "request_too_large"
