"""Access control on the real binary with the official clients: API keys as the openai and ollama clients send
them, browser protection against cross-origin simple requests and DNS rebinding, CORS preflights, and the
start-up warning of a server open to the network."""
import http.client
import json
import os
import re
import subprocess
import tempfile
import threading
import time

import ollama
import openai
import pytest

from conftest import MODEL, running_server, server_binary

KEY = "sk-compat-access-7d1e0c"


@pytest.fixture(scope="module")
def guarded():
    """A server that asks for KEY (or a second key from the environment) and allows one extra origin."""
    model = os.environ["ROCKCHIP_LLAMA_TEST_MODEL"]
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-access-")
    os.symlink(model, os.path.join(models_dir, os.path.basename(model)))
    args = ["--api-key", KEY, "--allowed-origin", "https://chat.example.org", "--context-length", "2048"]
    with running_server(models_dir, args, {}) as server:
        yield server


@pytest.fixture(scope="module")
def open_server():
    """A server with no key: browser protection alone."""
    model = os.environ["ROCKCHIP_LLAMA_TEST_MODEL"]
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-open-")
    os.symlink(model, os.path.join(models_dir, os.path.basename(model)))
    with running_server(models_dir, ["--context-length", "2048"], {}) as server:
        yield server


def request(server, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, payload


def test_the_openai_client_works_with_the_key_and_fails_with_a_wrong_one(guarded):
    client = openai.OpenAI(base_url=guarded.base_url + "/v1", api_key=KEY, max_retries=0, timeout=60)
    assert [m.id for m in client.models.list().data] == [MODEL]
    completion = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Say hi."}], max_tokens=4, temperature=0)
    assert completion.choices[0].message.content is not None

    wrong = openai.OpenAI(base_url=guarded.base_url + "/v1", api_key="sk-wrong", max_retries=0, timeout=60)
    with pytest.raises(openai.AuthenticationError) as raised:
        wrong.models.list()
    assert raised.value.status_code == 401
    assert raised.value.code == "invalid_api_key"


def test_the_ollama_client_works_with_a_bearer_header(guarded):
    client = ollama.Client(host=guarded.base_url, headers={"Authorization": f"Bearer {KEY}"})
    assert f"{MODEL}:latest" in [m.model for m in client.list().models]
    reply = client.generate(model=MODEL, prompt="Say hi.", options={"num_predict": 4, "temperature": 0})
    assert reply.done

    with pytest.raises(ollama.ResponseError) as raised:
        ollama.Client(host=guarded.base_url).list()
    assert raised.value.status_code == 401


def test_only_the_probes_are_open(guarded):
    for path in ["/", "/health", "/v1/health"]:
        assert request(guarded, "GET", path)[0] == 200, path
    status, headers, body = request(guarded, "POST", "/api/pull", json.dumps({"model": "x"}))
    assert status == 401 and headers["www-authenticate"] == "Bearer"
    assert "error" in json.loads(body)
    status, _, _ = request(guarded, "GET", "/api/tags", headers={"x-api-key": KEY})
    assert status == 200


def test_a_cross_origin_text_plain_post_changes_nothing(open_server):
    loaded = request(open_server, "POST", "/v1/models/load", json.dumps({"model": MODEL}),
                     {"Content-Type": "application/json"})
    assert loaded[0] == 200
    page = {"Origin": "https://evil.example", "Content-Type": "text/plain"}
    body = json.dumps({"model": MODEL})
    assert request(open_server, "POST", "/v1/models/unload", body, page)[0] == 403
    assert request(open_server, "DELETE", "/api/delete", body, page)[0] == 403
    copy = json.dumps({"source": MODEL, "destination": "stolen"})
    assert request(open_server, "POST", "/api/copy", copy, page)[0] == 403

    still_loaded = json.loads(request(open_server, "GET", "/v1/models/loaded")[2])
    assert [m["id"] for m in still_loaded["data"]] == [MODEL]
    listed = json.loads(request(open_server, "GET", "/api/tags")[2])
    assert [m["name"] for m in listed["models"]] == [f"{MODEL}:latest"]


def test_a_rebinding_host_is_refused(open_server):
    status, _, body = request(open_server, "GET", "/api/tags", headers={"Host": "evil.example"})
    assert status == 403 and "evil.example" in json.loads(body)["error"]
    assert request(open_server, "GET", "/api/tags", headers={"Host": f"localhost:{open_server.port}"})[0] == 200


def test_local_and_allowed_origins_pass_with_cors_headers(guarded):
    for origin in ["http://localhost:3000", "http://127.0.0.1:5173", "https://chat.example.org"]:
        status, headers, _ = request(guarded, "GET", "/v1/models",
                                     headers={"Origin": origin, "Authorization": f"Bearer {KEY}"})
        assert status == 200, origin
        assert headers["access-control-allow-origin"] == origin
        assert "Origin" in headers["vary"]
    assert request(guarded, "GET", "/v1/models",
                   headers={"Origin": "https://other.example.org", "Authorization": f"Bearer {KEY}"})[0] == 403


def test_preflights_are_answered_without_a_key(guarded):
    status, headers, _ = request(guarded, "OPTIONS", "/v1/chat/completions", headers={
        "Origin": "https://chat.example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type,x-stainless-os,openai-beta"})
    assert status == 204
    assert headers["access-control-allow-origin"] == "https://chat.example.org"
    assert "POST" in headers["access-control-allow-methods"]
    allowed = headers["access-control-allow-headers"].lower()
    for header in ["authorization", "content-type", "x-stainless-os", "openai-beta", "x-api-key", "anthropic-version"]:
        assert header in allowed
    assert int(headers["access-control-max-age"]) > 0


def test_listening_on_all_interfaces_without_a_key_warns():
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-exposed-")
    process = subprocess.Popen(
        [server_binary(), "serve", "--host", "0.0.0.0", "--port", "0", "--models-dir", models_dir],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = []
    listening = threading.Event()

    def read():
        for line in process.stderr:
            lines.append(line)
            if re.search(r"listening on http://0\.0\.0\.0:\d+", line):
                listening.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert listening.wait(30), "".join(lines)
        # The warning is logged right after the listening line.
        for _ in range(100):
            if any("without an API key" in line for line in lines):
                break
            time.sleep(0.05)
    finally:
        process.terminate()
        process.wait(10)
        os.rmdir(models_dir)
    warning = next(line for line in lines if "without an API key" in line)
    assert "warning" in warning and "/api/pull" in warning and "/api/delete" in warning
