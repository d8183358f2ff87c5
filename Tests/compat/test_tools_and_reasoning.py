"""Tool calls, reasoning and structured output through the official `openai` and `ollama` clients."""
import json

import jsonschema
import ollama
import openai
import pytest

from conftest import MODEL, simulator_server

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "The weather of a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "unit": {"type": "string"}},
                "required": ["city"],
            },
        },
    }
]
CALL = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo", "unit": "c"}}\n</tool_call>'
THINKING = "<think>It is winter in Oslo.</think>Wear a coat."


@pytest.fixture(scope="module")
def simulated():
    with simulator_server("1.3") as (server, _):
        yield server


def openai_client(server):
    return openai.OpenAI(base_url=server.base_url + "/v1", api_key="unused", max_retries=0, timeout=60)


def echo(text):
    return [{"role": "user", "content": f"[[echo]]{text}[[/echo]]"}]


def test_openai_parses_the_tool_call(simulated):
    answer = openai_client(simulated).chat.completions.create(model="qwen3-0.6b", messages=echo(CALL), tools=TOOLS)
    choice = answer.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    call = choice.message.tool_calls[0]
    assert call.type == "function"
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "Oslo", "unit": "c"}


def test_openai_stream_helpers_assemble_the_streamed_call(simulated):
    client = openai_client(simulated)
    with client.chat.completions.stream(model="qwen3-0.6b", messages=echo(CALL), tools=TOOLS) as stream:
        for _ in stream:
            pass
        final = stream.get_final_completion()
    call = final.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "Oslo", "unit": "c"}
    assert final.choices[0].finish_reason == "tool_calls"


def test_openai_tool_results_go_back_to_the_model(simulated):
    client = openai_client(simulated)
    first = client.chat.completions.create(model="qwen3-0.6b", messages=echo(CALL), tools=TOOLS)
    call = first.choices[0].message.tool_calls[0]
    answer = client.chat.completions.create(
        model="qwen3-0.6b",
        tools=TOOLS,
        messages=[
            {"role": "user", "content": "Weather in Oslo?"},
            first.choices[0].message.model_dump(exclude_none=True),
            {"role": "tool", "tool_call_id": call.id, "content": "[[echo]]3 degrees and snow.[[/echo]]"},
        ],
    )
    assert answer.choices[0].message.content == "3 degrees and snow."


def test_openai_sees_the_reasoning(simulated):
    answer = openai_client(simulated).chat.completions.create(model="qwen3-0.6b", messages=echo(THINKING))
    message = answer.choices[0].message
    assert message.content == "Wear a coat."
    assert message.model_extra["reasoning_content"] == "It is winter in Oslo."
    assert answer.usage.completion_tokens_details.reasoning_tokens > 0


def test_openai_streams_the_reasoning(simulated):
    stream = openai_client(simulated).chat.completions.create(
        model="qwen3-0.6b", messages=echo(THINKING), stream=True
    )
    reasoning, content = "", ""
    for chunk in stream:
        if chunk.choices:
            delta = chunk.choices[0].delta
            reasoning += (delta.model_extra or {}).get("reasoning_content") or ""
            content += delta.content or ""
    assert reasoning == "It is winter in Oslo."
    assert content == "Wear a coat."


def test_ollama_parses_the_tool_call_and_thinking(simulated):
    client = ollama.Client(host=simulated.base_url)
    answer = client.chat(model="qwen3-0.6b", messages=echo("<think>Look it up.</think>" + CALL), tools=TOOLS)
    assert answer.message.thinking == "Look it up."
    call = answer.message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert call.function.arguments == {"city": "Oslo", "unit": "c"}


def test_ollama_streams_the_tool_call(simulated):
    client = ollama.Client(host=simulated.base_url)
    calls = []
    for part in client.chat(model="qwen3-0.6b", messages=echo(CALL), tools=TOOLS, stream=True):
        calls += part.message.tool_calls or []
    assert [call.function.name for call in calls] == ["get_weather"]


def test_structured_output_is_refused_on_the_npu(simulated):
    with pytest.raises(openai.BadRequestError):
        openai_client(simulated).chat.completions.create(
            model="qwen3-0.6b", messages=echo("{}"), response_format={"type": "json_object"}
        )


def test_smollm2_answers_in_the_schema_asked_for(server):
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
        "required": ["name", "age"],
        "additionalProperties": False,
    }
    client = openai.OpenAI(base_url=server.base_url + "/v1", api_key="unused", max_retries=0, timeout=120)
    answer = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Invent a person. Answer in JSON."}],
        response_format={"type": "json_schema", "json_schema": {"name": "person", "schema": schema, "strict": True}},
        max_tokens=64,
        temperature=0,
    )
    jsonschema.validate(json.loads(answer.choices[0].message.content), schema)
