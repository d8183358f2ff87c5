"""LoRA adapters of a simulated .rkllm model through the official clients: `extra_body={"lora": ...}` with
`openai`, `options={"lora": ...}` with `ollama`, and the adapters listed by /api/show."""
import json
import os
import subprocess
import tempfile
import urllib.error
import urllib.request

import ollama
import openai
import pytest

from conftest import ROOT, SIM_MODEL_FILE, running_server, write_simulated_model

STEM = SIM_MODEL_FILE.removesuffix(".rkllm")
MODEL = "qwen3-0.6b"


@pytest.fixture(scope="module")
def server():
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-lora-")
    write_simulated_model(os.path.join(models_dir, SIM_MODEL_FILE))
    script = os.path.join(ROOT, "scripts", "make-sim-lora.sh")
    subprocess.run([script, os.path.join(models_dir, f"{STEM}.lora.pirate.rkllm"), "pirate"], check=True)
    # A sidecar's adapter sits in a folder of its own: an .rkllm file at the top of the models directory that is
    # not named <stem>.lora.<name>.rkllm is a model.
    subprocess.run([script, os.path.join(models_dir, "adapters", "formal.rkllm"), "formal", "Dear sir, "], check=True)
    with open(os.path.join(models_dir, SIM_MODEL_FILE + ".json"), "w") as sidecar:
        json.dump({"lora": [{"name": "formal", "file": "adapters/formal.rkllm", "scale": 0.8}]}, sidecar)
    library = os.path.join(ROOT, ".build", "rkllm-sim", "1.3", "librkllmrt.so")
    settings = {"RKLLM_SIM_PREFILL_US_PER_TOKEN": "100", "RKLLM_SIM_DECODE_US_PER_TOKEN": "2000"}
    with running_server(models_dir, ["--rkllm-lib", library], settings) as running:
        yield running


def test_the_adapter_files_are_not_models_and_show_lists_the_adapters(server):
    client = ollama.Client(host=server.base_url)
    assert [model.model for model in client.list().models] == [f"{MODEL}:latest"]
    with urllib.request.urlopen(
        urllib.request.Request(server.base_url + "/api/show", data=json.dumps({"model": MODEL}).encode())
    ) as response:
        shown = json.load(response)
    assert shown["adapters"] == [{"name": "formal"}, {"name": "pirate"}]
    assert "ADAPTER formal\nADAPTER pirate\n" in shown["modelfile"]
    assert "ADAPTER pirate" in client.show(MODEL).modelfile


def test_openai_extra_body_lora_changes_the_answer(server):
    client = openai.OpenAI(base_url=server.base_url + "/v1", api_key="unused", max_retries=0, timeout=60)
    messages = [{"role": "user", "content": "[[echo]]Ahoy[[/echo]]"}]
    with_adapter = client.chat.completions.create(model=MODEL, messages=messages, extra_body={"lora": "pirate"})
    assert with_adapter.choices[0].message.content == "[lora:pirate] Ahoy"
    base = client.chat.completions.create(model=MODEL, messages=messages)
    assert base.choices[0].message.content == "Ahoy"
    stream = client.chat.completions.create(
        model=MODEL, messages=messages, stream=True, extra_body={"lora": "formal"}
    )
    assert "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices) == "Dear sir, Ahoy"


def test_an_unknown_adapter_is_a_400_that_lists_the_adapters(server):
    client = openai.OpenAI(base_url=server.base_url + "/v1", api_key="unused", max_retries=0, timeout=60)
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "hi"}], extra_body={"lora": "parrot"}
        )
    assert f"model '{MODEL}' has no LoRA adapter 'parrot' (adapters: formal, pirate)" in str(raised.value)


def test_ollama_options_lora_changes_the_answer(server):
    client = ollama.Client(host=server.base_url)
    messages = [{"role": "user", "content": "[[echo]]Ahoy[[/echo]]"}]
    assert client.chat(model=MODEL, messages=messages, options={"lora": "pirate"}).message.content == (
        "[lora:pirate] Ahoy"
    )
    assert client.chat(model=MODEL, messages=messages).message.content == "Ahoy"
    generated = client.generate(model=MODEL, prompt="[[echo]]Hello[[/echo]]", options={"lora": "formal"})
    assert generated.response == "Dear sir, Hello"
    with pytest.raises(ollama.ResponseError) as raised:
        client.chat(model=MODEL, messages=messages, options={"lora": "parrot"})
    assert raised.value.status_code == 400
