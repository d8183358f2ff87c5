"""OpenAI's Responses API (`/v1/responses`) through the official `openai` client, on SmolLM2 (llama.cpp) and on
the RKLLM simulator, plus the raw event stream and malformed requests."""
import json

import httpx
import jsonschema
import openai
import pytest

from conftest import MODEL

SIM_MODEL = "qwen3-0.6b"
TOOLS = [
    {
        "type": "function",
        "name": "get_weather",
        "description": "The weather of a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "maxLength": 30}},
            "required": ["city"],
        },
    }
]
CALL = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>'


@pytest.fixture(params=["llama", "rkllm"])
def engine(request):
    """(client, model, how to make the model say a text) for each engine."""
    if request.param == "llama":
        server = request.getfixturevalue("server")
        return client_for(server), MODEL, None
    server = request.getfixturevalue("simulated_server")
    return client_for(server), SIM_MODEL, lambda text: f"[[echo]]{text}[[/echo]]"


def client_for(server):
    return openai.OpenAI(base_url=server.base_url + "/v1", api_key="unused", max_retries=0, timeout=120)


def ask(echo, text, fallback):
    return echo(text) if echo else fallback


def test_create_answers_with_output_text(engine):
    client, model, echo = engine
    response = client.responses.create(
        model=model,
        instructions="You are a helpful assistant.",
        input=ask(echo, "Paris is the capital.", "What is the capital of France?"),
        max_output_tokens=30,
        temperature=0,
    )
    assert response.object == "response"
    assert response.status == "completed"
    assert response.id.startswith("resp_")
    assert "Paris" in response.output_text
    assert response.output[-1].type == "message"
    assert response.usage.input_tokens > 0 and response.usage.output_tokens > 0
    assert response.usage.total_tokens == response.usage.input_tokens + response.usage.output_tokens


def test_stream_helpers_assemble_the_final_response(engine):
    client, model, echo = engine
    prompt = ask(echo, "Hello there, friend.", "Say hello.")
    arguments = dict(model=model, input=prompt, max_output_tokens=120, temperature=0)
    whole = client.responses.create(**arguments)
    deltas = []
    with client.responses.stream(**arguments) as stream:
        for event in stream:
            if event.type == "response.output_text.delta":
                deltas.append(event.delta)
        final = stream.get_final_response()
    assert "".join(deltas) == final.output_text == whole.output_text
    assert final.status == "completed"
    assert final.usage.output_tokens == whole.usage.output_tokens


def test_a_function_call_round_trip(engine):
    client, model, echo = engine
    first = client.responses.create(
        model=model,
        input=ask(echo, CALL, "What is the weather in Oslo?"),
        tools=TOOLS,
        tool_choice="auto" if echo else "required",
        max_output_tokens=60,
        temperature=0,
    )
    calls = [item for item in first.output if item.type == "function_call"]
    assert len(calls) == 1
    call = calls[0]
    assert call.name == "get_weather"
    assert call.call_id and call.id.startswith("fc_")
    assert isinstance(json.loads(call.arguments)["city"], str)
    history = [
        {"role": "user", "content": ask(echo, CALL, "What is the weather in Oslo?")},
        call.model_dump(exclude_none=True),
        {"type": "function_call_output", "call_id": call.call_id, "output": ask(echo, "3 degrees and snow.", "3 °C")},
    ]
    second = client.responses.create(model=model, input=history, tools=TOOLS, max_output_tokens=30, temperature=0)
    assert second.status in ("completed", "incomplete")
    assert second.usage.input_tokens > first.usage.input_tokens
    if echo:
        assert second.output_text == "3 degrees and snow."


def test_previous_response_id_continues_the_conversation(engine):
    client, model, echo = engine
    first = client.responses.create(
        model=model, input=ask(echo, "Noted, Ada.", "Hi, I am Ada."), max_output_tokens=12, temperature=0
    )
    follow_up = dict(model=model, previous_response_id=first.id, input=ask(echo, "You are Ada.", "Who am I?"))
    second = client.responses.create(**follow_up, max_output_tokens=12, temperature=0)
    assert second.previous_response_id == first.id
    counted = client.responses.input_tokens.count(**follow_up)
    assert counted.object == "response.input_tokens"
    if not echo:  # llama.cpp counts with the model's tokenizer, exactly as the response's prompt
        assert counted.input_tokens == second.usage.input_tokens
    assert second.usage.input_tokens > first.usage.input_tokens + first.usage.output_tokens
    assert client.responses.retrieve(first.id).output_text == first.output_text
    if echo:
        assert second.output_text == "You are Ada."
    client.responses.delete(first.id)
    with pytest.raises(openai.BadRequestError) as error:
        client.responses.create(**follow_up)
    assert error.value.code == "previous_response_not_found"


def test_input_tokens_counts_what_a_response_sees(engine):
    client, model, echo = engine
    arguments = dict(model=model, instructions="Be brief.", input=ask(echo, "Sure.", "Tell me a joke."))
    counted = client.responses.input_tokens.count(**arguments)
    answered = client.responses.create(**arguments, max_output_tokens=1)
    assert counted.object == "response.input_tokens" and counted.input_tokens > 0
    if not echo:  # llama.cpp counts with the model's tokenizer, exactly as the response's prompt
        assert counted.input_tokens == answered.usage.input_tokens


def test_text_format_json_schema_holds_smollm2_to_the_schema(server):
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "maxLength": 20}, "age": {"type": "integer", "minimum": 0}},
        "required": ["name", "age"],
        "additionalProperties": False,
    }
    response = client_for(server).responses.create(
        model=MODEL,
        input="Invent a person. Answer in JSON.",
        text={"format": {"type": "json_schema", "name": "person", "schema": schema, "strict": True}},
        max_output_tokens=64,
        temperature=0,
    )
    jsonschema.validate(json.loads(response.output_text), schema)


def test_the_reasoning_is_a_reasoning_item(simulated_server):
    response = client_for(simulated_server).responses.create(
        model=SIM_MODEL, input="[[echo]]<think>It is winter in Oslo.</think>Wear a coat.[[/echo]]"
    )
    assert [item.type for item in response.output] == ["reasoning", "message"]
    assert response.output[0].summary[0].text == "It is winter in Oslo."
    assert response.output_text == "Wear a coat."
    assert response.usage.output_tokens_details.reasoning_tokens > 0


def test_the_raw_event_stream_in_order(simulated_server):
    body = {
        "model": SIM_MODEL,
        "input": f"[[echo]]<think>Look it up.</think>Checking.{CALL}[[/echo]]",
        "tools": TOOLS,
        "stream": True,
    }
    with httpx.stream("POST", simulated_server.base_url + "/v1/responses", json=body, timeout=60) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream"
        raw = b"".join(response.iter_bytes())
    frames = raw.split(b"\n\n")
    assert frames[-1] == b""
    events = []
    for frame in frames[:-1]:
        name, data = frame.split(b"\n")
        assert name.startswith(b"event: ") and data.startswith(b"data: ")
        payload = json.loads(data[len(b"data: "):])
        assert payload["type"] == name[len(b"event: "):].decode()
        events.append(payload)
    assert [event["sequence_number"] for event in events] == list(range(len(events)))
    kinds = [event["type"] for event in events]
    # Runs of deltas are one step each.
    steps = [kind for index, kind in enumerate(kinds) if not (kind.endswith(".delta") and kind == kinds[index - 1])]
    assert steps == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.reasoning_summary_part.added",
        "response.reasoning_summary_text.delta",
        "response.reasoning_summary_text.done",
        "response.reasoning_summary_part.done",
        "response.output_item.done",
        "response.output_item.added",
        "response.content_part.added",
        "response.output_text.delta",
        "response.output_text.done",
        "response.content_part.done",
        "response.output_item.done",
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert b"[DONE]" not in raw
    completed = events[-1]["response"]
    assert [item["type"] for item in completed["output"]] == ["reasoning", "message", "function_call"]


@pytest.mark.parametrize(
    "body, status, param",
    [
        ({"model": SIM_MODEL, "input": "x", "tools": [{"type": "web_search"}]}, 400, "tools[0].type"),
        (
            {"model": SIM_MODEL, "input": [{"role": "user", "content": [{"type": "input_image", "image_url": "file:///x.png"}]}]},
            400,
            "input[0].content[0].image_url",
        ),
        ({"model": SIM_MODEL, "input": [{"type": "computer_call_output", "call_id": "c"}]}, 400, "input[0].type"),
        ({"model": SIM_MODEL, "input": "x", "previous_response_id": "resp_missing"}, 400, "previous_response_id"),
        ({"model": SIM_MODEL, "input": "x", "reasoning": {"effort": "enormous"}}, 400, "reasoning.effort"),
        ({"model": SIM_MODEL, "input": "x", "max_output_tokens": -1}, 400, "max_output_tokens"),
        # The NPU runtime cannot constrain decoding to a schema.
        ({"model": SIM_MODEL, "input": "x", "text": {"format": {"type": "json_object"}}}, 400, None),
        ({"model": "no-such-model", "input": "x"}, 404, "model"),
        ({"model": SIM_MODEL}, 400, "input"),
        ({"input": "x"}, 400, "model"),
    ],
)
def test_malformed_requests_are_4xx_in_openais_shape(simulated_server, body, status, param):
    response = httpx.post(simulated_server.base_url + "/v1/responses", json=body, timeout=30)
    assert response.status_code == status
    error = response.json()["error"]
    assert isinstance(error["message"], str) and error["message"]
    assert {"type", "param", "code"} <= error.keys()
    if param:
        assert error["param"] == param


def test_a_body_that_is_not_json_is_a_400(simulated_server):
    response = httpx.post(
        simulated_server.base_url + "/v1/responses", content=b'{"model": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"
