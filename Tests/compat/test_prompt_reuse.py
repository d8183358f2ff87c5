"""The cases of issue 12's table, on `usage.prompt_tokens_details.cached_tokens` through the `openai` client: a
long system prompt is evaluated once, and a new question on it reuses it, also after another conversation came in
between and after a client pressed Stop on a stream. On SmolLM2 with one slot (so the other conversation really
takes the slot and the host-memory cache must give the prefix back) and with four, and on the RKLLM simulator
(prompt-cache files)."""
import contextlib

import openai
import pytest

from conftest import engine_server, model_names, simulator_server

# About 1300 characters, as the original design's coding-assistant system prompt.
SYSTEM = "You are a careful coding assistant for a small team. " + (
    "Answer with short, correct code, name the file a change belongs in, and explain each change in one sentence. "
    * 11
)
OTHER = "You are a poet who writes about the sea. " + "Always answer in rhyme, in four short lines. " * 12

SETUPS = [
    pytest.param("llama", ["--parallel", "1"], id="llama-one-slot"),
    pytest.param("llama", ["--parallel", "4"], id="llama-four-slots"),
    pytest.param("rkllm", [], id="rkllm-simulator"),
]


def ask(client, model, system, question, **extra):
    return client.chat.completions.create(
        model=model,
        messages=[{"role": "system", "content": system}, {"role": "user", "content": question}],
        max_tokens=4,
        temperature=0,
        **extra,
    )


def cached(answer):
    return answer.usage.prompt_tokens_details.cached_tokens


@contextlib.contextmanager
def serving(engine, args):
    """(server, model name): SmolLM2, or the simulator's Qwen3-0.6B (a family whose chat format the engine knows)."""
    if engine == "llama":
        with engine_server(engine, extra_args=args) as server:
            yield server, model_names(engine)[0]
    else:
        with simulator_server(extra_args=args) as (server, _):
            yield server, "qwen3-0.6b"


@pytest.mark.parametrize("engine,args", SETUPS)
def test_a_system_prompt_stays_cached_across_other_conversations_and_a_stop(engine, args):
    with serving(engine, args) as (server, model):
        client = openai.OpenAI(base_url=server.base_url + "/v1", api_key="x", max_retries=0, timeout=120)
        cold = ask(client, model, SYSTEM, "What is a tuple?")
        warm = ask(client, model, SYSTEM, "And what is a list?")
        # The system prompt is about 300 tokens; all of it comes from the cache.
        assert cached(warm) >= 250, warm.usage
        assert cached(warm) > cached(cold)

        ask(client, model, OTHER, "Tell me about waves.")
        after_other = ask(client, model, SYSTEM, "And what is a set?")
        assert cached(after_other) >= 250, after_other.usage

        stream = client.chat.completions.create(
            model=model,
            messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": "Count to two hundred."}],
            max_tokens=300,
            temperature=0,
            stream=True,
        )
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                break
        stream.close()  # the client presses Stop
        after_stop = ask(client, model, SYSTEM, "And what is a map?")
        assert cached(after_stop) >= 250, after_stop.usage
