"""The official `ollama` Python client against live servers on both engines: what Home Assistant, Open WebUI
(through the same calls) and LangChain's ChatOllama rely on."""
import datetime
import json
import time
import urllib.request

import ollama
import pytest

from conftest import MODEL

SIM_MODEL = "qwen3-0.6b"
# SmolLM2's own template puts in a default system prompt that leads the 135M model astray; this one does not.
SYSTEM = "You are a helpful assistant."


@pytest.fixture(params=["llama", "rkllm"])
def target(request, server, simulated_server):
    """A client, the model to use, and a prompt whose answer the model gives deterministically."""
    if request.param == "llama":
        return ollama.Client(host=server.base_url), MODEL, "What is the capital of France?", "Paris"
    return ollama.Client(host=simulated_server.base_url), SIM_MODEL, "[[echo]]Bonjour à Paris ✓[[/echo]]", "Bonjour à Paris ✓"


def test_lists_models_as_clients_expect(target):
    client, model, _, _ = target
    listed = client.list()
    names = [m.model for m in listed.models]
    assert f"{model}:latest" in names
    entry = next(m for m in listed.models if m.model == f"{model}:latest")
    assert isinstance(entry.size, int) and entry.size > 0
    assert isinstance(entry.modified_at, datetime.datetime)
    assert entry.details.format in ("gguf", "rkllm")
    # LangChain's validate_model_on_init: the configured name or name + ":" prefix must match.
    assert any(m == model or m.startswith(model + ":") for m in names)


def test_show_has_model_info_with_the_context_length(target):
    client, model, _, _ = target
    shown = client.show(model)
    assert shown.modelinfo is not None
    assert any(key.endswith(".context_length") for key in shown.modelinfo)
    assert "completion" in (shown.capabilities or [])


def test_chat_streamed_and_not(target):
    client, model, prompt, expected = target
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}]
    chunks = list(client.chat(model=model, messages=messages, stream=True, options={"temperature": 0, "num_predict": 24}))
    assert all(chunk.message.role == "assistant" for chunk in chunks)
    final = chunks[-1]
    assert final.done and final.done_reason in ("stop", "length")
    assert final.eval_count > 0 and final.prompt_eval_count > 0 and final.eval_duration > 0
    text = "".join(chunk.message.content for chunk in chunks)
    assert expected in text
    whole = client.chat(model=model, messages=messages, stream=False, options={"temperature": 0, "num_predict": 24})
    assert whole.message.content == text
    # Nanoseconds: the client computes tokens/s as eval_count / eval_duration * 1e9.
    assert 1 < whole.eval_count / whole.eval_duration * 1e9 < 10_000


def test_generate_streamed_and_not(target):
    client, model, prompt, expected = target
    streamed = "".join(part.response for part in client.generate(model=model, prompt=prompt, system=SYSTEM, stream=True, options={"temperature": 0, "num_predict": 24}))
    whole = client.generate(model=model, prompt=prompt, system=SYSTEM, options={"temperature": 0, "num_predict": 24})
    assert whole.response == streamed and expected in streamed
    assert whole.total_duration >= whole.eval_duration > 0


def test_ps_and_keep_alive_unload(target):
    client, model, _, _ = target
    client.generate(model=model, prompt="", keep_alive="10m")
    running = client.ps()
    entry = next(m for m in running.models if m.model == f"{model}:latest")
    assert isinstance(entry.expires_at, datetime.datetime)
    unloaded = client.generate(model=model, prompt="", keep_alive=0)
    assert unloaded.done_reason == "unload"
    time.sleep(0.2)
    assert all(m.model != f"{model}:latest" for m in client.ps().models)


def test_copy_and_delete(target):
    client, model, _, _ = target
    client.copy(model, "compat-copy")
    assert "compat-copy:latest" in [m.model for m in client.list().models]
    client.delete("compat-copy")
    assert "compat-copy:latest" not in [m.model for m in client.list().models]


def test_errors_are_response_errors(target):
    client, model, _, _ = target
    with pytest.raises(ollama.ResponseError) as missing:
        client.chat(model="no-such-model", messages=[{"role": "user", "content": "hi"}])
    assert missing.value.status_code == 404
    with pytest.raises(ollama.ResponseError) as bad:
        client.generate(model=model, prompt="hi", options={"temperature": "hot"})
    assert bad.value.status_code == 400


def _call(base, method, path, body=None):
    request = urllib.request.Request(
        base + path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read().decode()


def test_open_webui_replay(server):
    """The calls Open WebUI makes when it connects to an Ollama server and chats, in its order and shapes."""
    base = server.base_url
    status, _, body = _call(base, "GET", "/api/version")
    version = json.loads(body)["version"]
    assert status == 200 and [int(part) for part in version.lstrip("v").split("-")[0].split(".")] >= [0, 6, 4]
    tags = json.loads(_call(base, "GET", "/api/tags")[2])["models"]
    by_model = {entry["model"]: entry for entry in tags}
    assert f"{MODEL}:latest" in by_model
    running = json.loads(_call(base, "GET", "/api/ps")[2])["models"]
    for entry in running:
        datetime.datetime.fromisoformat(entry["expires_at"])
    status, content_type, body = _call(base, "POST", "/api/chat", {
        "model": f"{MODEL}:latest",
        "messages": [{"role": "system", "content": "You are helpful."}, {"role": "user", "content": "Say hello."}],
        "options": {"temperature": 0.7, "num_ctx": 2048, "mirostat": 0, "num_predict": 16},
        "keep_alive": "5m",
        "stream": True,
    })
    assert status == 200 and content_type.startswith("application/x-ndjson")
    lines = [json.loads(line) for line in body.splitlines()]
    assert all("message" in line and "done" in line for line in lines)
    final = lines[-1]
    assert final["done"] and final["eval_count"] / final["eval_duration"] * 1e9 > 1
    # Title generation, non-streamed, then the unload Open WebUI sends.
    status, _, body = _call(base, "POST", "/api/chat", {
        "model": f"{MODEL}:latest", "messages": [{"role": "user", "content": "Title for: hello"}], "stream": False,
        "options": {"num_predict": 8},
    })
    assert status == 200 and json.loads(body)["message"]["role"] == "assistant"
    status, _, body = _call(base, "POST", "/api/generate", {"model": f"{MODEL}:latest", "keep_alive": 0, "prompt": ""})
    assert json.loads(body)["done_reason"] == "unload"


def test_embed_on_both_engines(target):
    client, model, _, _ = target
    if model == MODEL:
        vectors = client.embed(model=model, input=["a cat", "a dog"]).embeddings
        assert len(vectors) == 2 and len(vectors[0]) == 576
    else:
        with pytest.raises(ollama.ResponseError) as refused:
            client.embed(model=model, input="a cat")
        assert refused.value.status_code == 400 and "does not support embeddings" in str(refused.value)
