"""Ollama's current API (v0.30+) through the official `ollama` client on both engines: capabilities and
context lengths in the listings, `ps` as Home Assistant polls it, `think` levels, and `create` (derived models
and uploaded blobs) as `ollama create` and Open WebUI's model editor use it."""
import datetime
import hashlib
import json
import os
import tempfile
import urllib.error
import urllib.request

import ollama
import pytest

from conftest import MODEL, engine_server, write_simulated_model


@pytest.fixture(scope="module", params=["llama", "rkllm"])
def target(request):
    """A client on a fresh server of the engine, its model, and whether that model can think."""
    with engine_server(request.param) as server:
        model = MODEL if request.param == "llama" else "simmodel0"
        yield ollama.Client(host=server.base_url), server, model, request.param


def raw(server, method, path, body=None, data=None):
    """(status, parsed JSON body or None) of a request sent without the client's own checks."""
    payload = data if data is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(server.base_url + path, data=payload, method=method)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        text = error.read()
        status = error.code
    try:
        return status, json.loads(text) if text else None
    except json.JSONDecodeError:
        return status, text.decode()


def test_tags_carry_capabilities_and_context_length(target):
    client, server, model, _ = target
    assert any(m.model == f"{model}:latest" for m in client.list().models)
    status, tags = raw(server, "GET", "/api/tags")
    entry = next(m for m in tags["models"] if m["name"] == f"{model}:latest")
    assert "completion" in entry["capabilities"]
    assert isinstance(entry["details"]["context_length"], int) and entry["details"]["context_length"] > 0
    assert "remote_model" not in entry and "remote_host" not in entry


def test_show_has_capabilities_and_model_info(target):
    client, _, model, engine = target
    shown = client.show(model)
    assert "completion" in shown.capabilities
    info = shown.modelinfo
    architecture = info["general.architecture"]
    assert info[f"{architecture}.context_length"] > 0
    # SmolLM2's header says 135M; the simulated NPU model's name gives no size, so none is made up.
    if engine == "llama":
        assert info["general.parameter_count"] == 135_000_000
    else:
        assert info.get("general.parameter_count", 1) > 0
    assert isinstance(shown.modified_at, datetime.datetime)


def test_ps_reports_vram_and_the_loaded_context(target):
    client, _, model, engine = target
    client.generate(model=model, prompt="[[echo]]hi[[/echo]]", options={"num_predict": 2})
    running = next(m for m in client.ps().models if m.model == f"{model}:latest")
    assert running.context_length == 2048 if engine == "llama" else running.context_length > 0
    assert (running.size_vram == 0) if engine == "llama" else (running.size_vram > 0)
    assert isinstance(running.expires_at, datetime.datetime)


def test_think_on_a_model_that_cannot_think_is_a_400(target):
    # Neither SmolLM2 nor the simulated "simmodel0" can think; Ollama refuses the same way.
    client, _, model, _ = target
    with pytest.raises(ollama.ResponseError) as refused:
        client.chat(model=model, messages=[{"role": "user", "content": "hi"}], think="high")
    assert refused.value.status_code == 400 and "thinking" in refused.value.error


@pytest.mark.parametrize("level", ["low", "medium", "high", "max", True])
def test_think_levels_on_a_thinking_model(simulated_server, level):
    client = ollama.Client(host=simulated_server.base_url)
    messages = [{"role": "user", "content": "[[echo]]<think>hmm</think>Yes[[/echo]]"}]
    answer = client.chat(model="qwen3-0.6b", messages=messages, think=level)
    assert answer.message.content.strip() == "Yes" and answer.message.thinking.strip() == "hmm"


def test_create_from_a_model_then_chat_with_its_defaults(target):
    client, server, model, engine = target
    system = "[[echo]]Derived ✓[[/echo]]" if engine == "rkllm" else "You are a helpful assistant."
    limit = 3 if engine == "llama" else 64
    progress = client.create(
        model="derived-helper", from_=f"{model}:latest", system=system,
        parameters={"num_predict": limit, "temperature": 0}, stream=False)
    assert progress.status == "success"
    names = [m.model for m in client.list().models]
    assert "derived-helper:latest" in names and f"{model}:latest" in names
    shown = client.show("derived-helper")
    status, raw_show = raw(server, "POST", "/api/show", {"model": "derived-helper"})
    assert raw_show["system"] == system and "num_predict" in shown.parameters
    assert raw_show["details"]["parent_model"] == f"{model}:latest"

    answer = client.chat(model="derived-helper", messages=[{"role": "user", "content": "Tell me a long story."}])
    if engine == "rkllm":
        assert answer.message.content.strip() == "Derived ✓"
    assert answer.eval_count <= limit
    # The base's engine served it: one model in memory.
    assert [m.model for m in client.ps().models] in ([f"{model}:latest"], ["derived-helper:latest"])

    assert client.delete("derived-helper").status == "success"
    names = [m.model for m in client.list().models]
    assert "derived-helper:latest" not in names and f"{model}:latest" in names
    assert client.chat(model=model, messages=[{"role": "user", "content": "[[echo]]ok[[/echo]]"}],
                       options={"num_predict": 2}).done


def test_create_from_an_uploaded_blob(target):
    client, server, model, engine = target
    with tempfile.TemporaryDirectory() as scratch:
        if engine == "llama":
            path = os.environ["ROCKCHIP_LLAMA_TEST_MODEL"]
            file_name = "uploaded.gguf"
        else:
            path = os.path.join(scratch, "uploaded-w8a8-rk3588.rkllm")
            write_simulated_model(path)
            file_name = "uploaded.rkllm"
        digest = client.create_blob(path)
        assert raw(server, "HEAD", f"/api/blobs/{digest}")[0] == 200
        progress = client.create(model="uploaded", files={file_name: digest}, stream=False)
        assert progress.status == "success"
    assert "uploaded:latest" in [m.model for m in client.list().models]
    answer = client.generate(model="uploaded", prompt="[[echo]]from a blob[[/echo]]", options={"num_predict": 4})
    assert answer.done
    client.generate(model="uploaded", keep_alive=0)
    assert client.delete("uploaded").status == "success"


def test_malformed_inputs_are_4xx_in_ollamas_shape(target):
    _, server, model, _ = target
    chat = {"model": model, "messages": [{"role": "user", "content": "hi"}], "stream": False}
    digest = "sha256:" + "0" * 64
    cases = [
        ("POST", "/api/chat", {**chat, "think": "extreme"}, None, 400),
        ("POST", "/api/chat", {**chat, "options": {"num_ctx": 0}}, None, 400),
        ("POST", "/api/create", {"model": "x", "from": model, "quantize": "q4_K_M"}, None, 400),
        ("POST", "/api/create", {"model": "x", "from": model, "template": "{{ .Prompt }}"}, None, 400),
        ("POST", "/api/create", {"model": "x", "from": "no-such-model"}, None, 404),
        ("POST", "/api/create", {"model": "x", "files": {"x.gguf": digest}}, None, 400),
        ("POST", f"/api/blobs/{digest}", None, b"not the bytes of that digest", 400),
        ("POST", "/api/blobs/sha256:nothex", None, b"x", 400),
    ]
    for method, path, body, data, expected in cases:
        status, answer = raw(server, method, path, body, data)
        assert status == expected, (path, body, answer)
        assert isinstance(answer["error"], str) and answer["error"], (path, answer)
    assert raw(server, "HEAD", f"/api/blobs/{digest}")[0] == 404
    assert raw(server, "HEAD", "/api/blobs/sha256:nothex")[0] == 400
    assert raw(server, "GET", "/api/status") == (200, {"cloud": {"disabled": True, "source": "server"}})
    # A blob's bytes are checked against its digest: the right ones are kept.
    data = b"some bytes"
    good = "sha256:" + hashlib.sha256(data).hexdigest()
    assert raw(server, "POST", f"/api/blobs/{good}", data=data)[0] == 201
    assert raw(server, "HEAD", f"/api/blobs/{good}")[0] == 200
