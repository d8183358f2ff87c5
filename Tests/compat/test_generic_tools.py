"""Tools on SmolLM2, whose chat template has no tools: the core's generic tool prompt, through the official
`openai` and `ollama` clients. The answer is a parsed call or plain text, never the call's raw JSON."""
import json

import ollama
import openai

from conftest import MODEL

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather of a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string", "maxLength": 30}},
                "required": ["city"],
            },
        },
    }
]
QUESTION = [{"role": "user", "content": "What is the weather in Paris right now?"}]


def openai_client(server):
    return openai.OpenAI(base_url=server.base_url + "/v1", api_key="unused", max_retries=0, timeout=120)


def test_openai_required_call_parses(server):
    response = openai_client(server).chat.completions.create(
        model=MODEL, messages=QUESTION, tools=TOOLS, tool_choice="required", temperature=0, max_tokens=60
    )
    choice = response.choices[0]
    assert choice.finish_reason == "tool_calls"
    call = choice.message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert isinstance(json.loads(call.function.arguments)["city"], str)


def test_openai_streamed_named_call_assembles(server):
    with openai_client(server).chat.completions.stream(
        model=MODEL,
        messages=QUESTION,
        tools=TOOLS,
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
        temperature=0,
        max_tokens=60,
    ) as stream:
        final = stream.get_final_completion()
    call = final.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert "city" in json.loads(call.function.arguments)


def test_openai_tool_result_round_trip(server):
    client = openai_client(server)
    first = client.chat.completions.create(
        model=MODEL, messages=QUESTION, tools=TOOLS, tool_choice="required", temperature=0, max_tokens=60
    )
    call = first.choices[0].message.tool_calls[0]
    messages = QUESTION + [
        first.choices[0].message.model_dump(exclude_none=True),
        {"role": "tool", "tool_call_id": call.id, "content": "Sunny, 24 C"},
    ]
    second = client.chat.completions.create(
        model=MODEL, messages=messages, tools=TOOLS, temperature=0, max_tokens=40
    )
    message = second.choices[0].message
    assert message.tool_calls or message.content
    assert not (message.content or "").lstrip().startswith("{")


def test_ollama_answers_with_a_call_or_plain_text(server):
    client = ollama.Client(host=server.base_url)
    for messages in (QUESTION, [{"role": "user", "content": "Say hello to me."}]):
        response = client.chat(model=MODEL, messages=messages, tools=TOOLS, options={"temperature": 0, "num_predict": 60})
        content = response.message.content or ""
        assert '"tool_call' not in content
        assert not content.lstrip().startswith("{")
        for call in response.message.tool_calls or []:
            assert call.function.name == "get_weather"
            assert isinstance(call.function.arguments, dict)
        assert response.message.tool_calls or content


def test_ollama_streams_a_call_or_plain_text(server):
    client = ollama.Client(host=server.base_url)
    calls, content = [], ""
    for chunk in client.chat(
        model=MODEL, messages=QUESTION, tools=TOOLS, stream=True, options={"temperature": 0, "num_predict": 60}
    ):
        content += chunk.message.content or ""
        calls += chunk.message.tool_calls or []
    assert '"tool_call' not in content
    assert calls or content
