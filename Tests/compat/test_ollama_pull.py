"""Pulling models with the official `ollama` client and `rockchip-llama pull`, from a file server on 127.0.0.1,
which the servers here allow explicitly (loopback addresses are refused by default)."""
import hashlib
import os
import shutil
import subprocess
import tempfile

import ollama
import pytest

from conftest import MODEL, running_server, server_binary, simulator_server, write_simulated_model
from file_server import FileServer

ALLOW_LOOPBACK = ["--allow-pull-from", "127.0.0.1"]
GGUF_HEADER = b"GGUF\x03\x00\x00\x00"


@pytest.fixture(scope="module")
def server():
    """A llama.cpp server that may pull from 127.0.0.1."""
    model = os.environ["ROCKCHIP_LLAMA_TEST_MODEL"]
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-pull-")
    os.symlink(model, os.path.join(models_dir, os.path.basename(model)))
    with running_server(models_dir, ["--model", MODEL, "--context-length", "4096", *ALLOW_LOOPBACK], {}) as server:
        yield server


@pytest.fixture(scope="module")
def simulated_server():
    """An RKLLM-simulator server that may pull from 127.0.0.1."""
    with simulator_server(extra_args=ALLOW_LOOPBACK) as (server, _):
        yield server


@pytest.fixture
def files():
    directory = tempfile.mkdtemp(prefix="rockchip-llama-files-")
    server = FileServer(directory)
    yield server
    server.stop()
    shutil.rmtree(directory, ignore_errors=True)


def _names(client):
    return [m.model for m in client.list().models]


def test_pulls_a_model_that_then_answers(server, files):
    shutil.copy(os.environ["ROCKCHIP_LLAMA_TEST_MODEL"], os.path.join(files.directory, "pulled-model.gguf"))
    client = ollama.Client(host=server.base_url)
    updates = list(client.pull(f"{files.base_url}/pulled-model.gguf", stream=True))
    statuses = [u.status for u in updates]
    assert statuses[0] == "pulling manifest" and statuses[-1] == "success"
    progress = [u for u in updates if u.completed is not None]
    assert progress and progress[-1].completed == progress[-1].total == os.path.getsize(os.environ["ROCKCHIP_LLAMA_TEST_MODEL"])
    assert all(a.completed <= b.completed for a, b in zip(progress, progress[1:]))
    assert "pulled-model:latest" in _names(client)
    answer = client.generate(model="pulled-model", prompt="Hi", options={"num_predict": 2})
    assert answer.done
    client.delete("pulled-model")
    assert "pulled-model:latest" not in _names(client)


def test_an_interrupted_pull_resumes(server, files):
    data = GGUF_HEADER + os.urandom(3 << 20)
    with open(os.path.join(files.directory, "resumable.gguf"), "wb") as file:
        file.write(data)
    digest = hashlib.sha256(data).hexdigest()
    files.cut_after["resumable.gguf"] = 1 << 20
    client = ollama.Client(host=server.base_url)
    with pytest.raises(ollama.ResponseError):
        for _ in client.pull(f"{files.base_url}/resumable.gguf#sha256={digest}", stream=True):
            pass
    assert "resumable:latest" not in _names(client)
    result = client.pull(f"{files.base_url}/resumable.gguf#sha256={digest}", stream=False)
    assert result.status == "success"
    ranges = [header for name, header in files.requests if name == "resumable.gguf"]
    assert ranges[0] is None and ranges[-1] is not None and ranges[-1].startswith("bytes=")
    assert int(ranges[-1][6:].rstrip("-")) > 0
    assert "resumable:latest" in _names(client)
    client.delete("resumable")


def test_a_wrong_checksum_is_refused(server, files):
    with open(os.path.join(files.directory, "tampered.gguf"), "wb") as file:
        file.write(GGUF_HEADER + os.urandom(1 << 20))
    client = ollama.Client(host=server.base_url)
    with pytest.raises(ollama.ResponseError) as refused:
        client.pull(f"{files.base_url}/tampered.gguf#sha256={'0' * 64}", stream=False)
    assert "sha256" in str(refused.value).lower()
    assert "tampered:latest" not in _names(client)


def test_a_missing_file_and_a_bad_reference_are_errors(server, files):
    client = ollama.Client(host=server.base_url)
    with pytest.raises(ollama.ResponseError) as missing:
        client.pull(f"{files.base_url}/absent.gguf", stream=False)
    assert missing.value.status_code == 404
    with pytest.raises(ollama.ResponseError) as bad:
        client.pull("llama3:8b", stream=False)
    assert bad.value.status_code == 400


def test_embed_with_the_ollama_client(server):
    client = ollama.Client(host=server.base_url)
    result = client.embed(model="smollm2-135m-instruct", input=["a cat", "a dog"])
    assert len(result.embeddings) == 2 and len(result.embeddings[0]) == 576
    with pytest.raises(ollama.ResponseError) as refused:
        ollama.Client(host=server.base_url).embed(model="smollm2-135m-instruct", input="")
    assert refused.value.status_code == 400


def test_pulls_an_rkllm_model_that_the_npu_engine_serves(simulated_server, files):
    name = "Qwen_Qwen3-1.7B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm"
    write_simulated_model(os.path.join(files.directory, name))
    client = ollama.Client(host=simulated_server.base_url)
    assert client.pull(f"{files.base_url}/{name}", stream=False).status == "success"
    assert "qwen3-1.7b:latest" in _names(client)
    answer = client.chat(model="qwen3-1.7b", messages=[{"role": "user", "content": "[[echo]]pulled[[/echo]]"}])
    assert answer.message.content == "pulled"
    client.delete("qwen3-1.7b")


def test_a_redirect_to_the_metadata_address_is_refused(server, files):
    files.redirects["metadata.gguf"] = "http://169.254.169.254/latest/meta-data/metadata.gguf"
    client = ollama.Client(host=server.base_url)
    with pytest.raises(ollama.ResponseError) as refused:
        client.pull(f"{files.base_url}/metadata.gguf", stream=False)
    assert refused.value.status_code == 403
    assert "169.254.169.254" in str(refused.value) and "--allow-pull-from" in str(refused.value)
    assert "metadata:latest" not in _names(client)


def test_a_json_answer_is_not_kept_as_a_model(server, files):
    with open(os.path.join(files.directory, "tags.gguf"), "w") as file:
        file.write('{"models": []}')
    client = ollama.Client(host=server.base_url)
    with pytest.raises(ollama.ResponseError) as refused:
        client.pull(f"{files.base_url}/tags.gguf", stream=False)
    assert refused.value.status_code == 400 and "sent JSON, not a GGUF model file" in str(refused.value)
    assert "tags:latest" not in _names(client)


def test_a_server_refuses_pulls_from_loopback_unless_allowed(files):
    with open(os.path.join(files.directory, "local.gguf"), "wb") as file:
        file.write(GGUF_HEADER + os.urandom(1 << 10))
    with running_server(tempfile.mkdtemp(prefix="rockchip-llama-pull-"), [], {}) as server:
        with pytest.raises(ollama.ResponseError) as refused:
            ollama.Client(host=server.base_url).pull(f"{files.base_url}/local.gguf", stream=False)
    assert refused.value.status_code == 403 and "--allow-pull-from 127.0.0.1" in str(refused.value)
    assert files.requests == []


def _pull_cli(reference, models_dir, *args, environment=None):
    env = {key: value for key, value in os.environ.items() if not key.startswith("ROCKCHIP_LLAMA_")}
    env.update(environment or {})
    return subprocess.run(
        [server_binary(), "pull", reference, "--models-dir", models_dir, *args],
        capture_output=True, text=True, timeout=60, env=env)


def test_the_pull_command_respects_the_same_limits(files):
    data = GGUF_HEADER + os.urandom(1 << 16)
    with open(os.path.join(files.directory, "cli.gguf"), "wb") as file:
        file.write(data)
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-cli-")
    try:
        url = f"{files.base_url}/cli.gguf"
        refused = _pull_cli(url, models_dir)
        assert refused.returncode != 0 and "--allow-pull-from 127.0.0.1" in refused.stderr
        too_large = _pull_cli(url, models_dir, "--max-pull-bytes", "1000",
                              environment={"ROCKCHIP_LLAMA_ALLOW_PULL_FROM": "example.com,127.0.0.1"})
        assert too_large.returncode != 0 and "over the pull limit of 1000 bytes" in too_large.stderr
        assert os.listdir(models_dir) == []
        bad_entry = _pull_cli(url, models_dir, "--allow-pull-from", "http://127.0.0.1")
        assert bad_entry.returncode != 0 and "cannot allow pulls from 'http://127.0.0.1'" in bad_entry.stderr
        pulled = _pull_cli(url, models_dir, *ALLOW_LOOPBACK)
        assert pulled.returncode == 0, pulled.stderr
        with open(os.path.join(models_dir, "cli.gguf"), "rb") as file:
            assert file.read() == data
    finally:
        shutil.rmtree(models_dir, ignore_errors=True)
