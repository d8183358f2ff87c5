"""Names and context as real clients use them: Open WebUI's Ollama connection sends `/api/tags`'s names
(`smollm2-135m-instruct:latest`) to `/v1`; `num_ctx` grows the loaded context (Home Assistant's long Assist
prompt); `/api/show` lists what each model really does."""
import ollama
import openai
import pytest

from conftest import MODEL, engine_server, simulator_server

SIM_MODEL = "qwen3-0.6b"
# About 2600 tokens of SmolLM2's vocabulary: past the 2048 engine_server loads it with.
LONG_PROMPT = "Remember these words. " + " ".join(["apple"] * 2600) + " How many words?"


@pytest.fixture(scope="module")
def llama_server():
    with engine_server("llama") as server:
        yield server


def test_v1_accepts_the_names_api_tags_lists(llama_server):
    listed = [m.model for m in ollama.Client(host=llama_server.base_url).list().models]
    assert f"{MODEL}:latest" in listed
    client = openai.OpenAI(base_url=llama_server.base_url + "/v1", api_key="none")
    for name in [f"{MODEL}:latest", MODEL.upper(), "SmolLM2-135M-Instruct"]:
        reply = client.chat.completions.create(
            model=name, max_tokens=2, messages=[{"role": "user", "content": "Hi"}])
        assert reply.choices[0].message.content is not None


def test_num_ctx_grows_the_context_and_ps_shows_it(llama_server):
    client = openai.OpenAI(base_url=llama_server.base_url + "/v1", api_key="none")
    messages = [{"role": "user", "content": LONG_PROMPT}]
    with pytest.raises(openai.BadRequestError) as refused:
        client.chat.completions.create(model=MODEL, max_tokens=1, messages=messages)
    assert "2048" in str(refused.value)
    reply = client.chat.completions.create(
        model=f"{MODEL}:latest", max_tokens=1, messages=messages, extra_body={"num_ctx": 4096})
    assert reply.usage.prompt_tokens > 2048
    running = ollama.Client(host=llama_server.base_url).ps().models
    assert [m.context_length for m in running] == [4096]
    # A smaller num_ctx (or none) keeps the larger context: no reload.
    client.chat.completions.create(model=MODEL, max_tokens=1, messages=messages, extra_body={"num_ctx": 2048})
    client.completions.create(model=MODEL, max_tokens=1, prompt="Hello")
    assert [m.context_length for m in ollama.Client(host=llama_server.base_url).ps().models] == [4096]


def test_show_lists_honest_capabilities(llama_server):
    shown = ollama.Client(host=llama_server.base_url).show(f"{MODEL}:latest")
    assert list(shown.capabilities) == ["completion", "tools"]


def test_show_says_the_simulated_qwen3_thinks():
    with simulator_server() as (server, _):
        shown = ollama.Client(host=server.base_url).show(SIM_MODEL)
        assert list(shown.capabilities) == ["completion", "tools", "thinking"]
