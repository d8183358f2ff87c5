"""The original design's named prompt cache (`POST/GET /v1/cache/{model}`, `DELETE /v1/cache/{model}/{name}`,
`use_cache`) against a live server on SmolLM2, with the official `openai` client and plain `urllib`."""
import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request

import openai
import pytest

from conftest import MODEL, Server, server_binary

SYSTEM = (
    "You are a careful assistant for a small team of developers. You answer in one or two sentences, you name "
    "the file and the function a change belongs in, and you never invent an API that you have not been shown."
)


def call(base_url, method, path, body=None):
    """(status, parsed JSON body) of one request, errors included."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base_url + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def openai_client(server):
    return openai.OpenAI(base_url=server.base_url + "/v1", api_key="not-needed", max_retries=0, timeout=120)


def test_a_named_cache_is_made_used_listed_and_deleted(server):
    status, created = call(server.base_url, "POST", f"/v1/cache/{MODEL}", {"cache_name": "coder", "prompt": SYSTEM})
    assert status == 201, created
    assert created["object"] == "prompt_cache" and created["cache_name"] == "coder" and created["model"] == MODEL
    assert created["tokens"] > 20 and created["bytes"] > 0

    status, listed = call(server.base_url, "GET", f"/v1/cache/{MODEL}")
    assert status == 200 and [entry["cache_name"] for entry in listed["data"]] == ["coder"]

    client = openai_client(server)
    # The original design's usage: only the user's turn; the cache's prompt becomes the system message.
    answer = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Where does a new route go?"}],
        max_tokens=8,
        temperature=0,
        extra_body={"use_cache": "coder"},
    )
    assert answer.usage.prompt_tokens_details.cached_tokens >= created["tokens"] - 1

    with pytest.raises(openai.BadRequestError, match="does not begin with the cached prompt"):
        client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "system", "content": "You are a pirate."}, {"role": "user", "content": "Hi"}],
            max_tokens=4,
            extra_body={"use_cache": "coder"},
        )
    with pytest.raises(openai.NotFoundError, match="no prompt cache named"):
        client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "Hi"}], max_tokens=4, extra_body={"use_cache": "none"}
        )

    status, _ = call(server.base_url, "DELETE", f"/v1/cache/{MODEL}/coder")
    assert status == 200
    status, _ = call(server.base_url, "DELETE", f"/v1/cache/{MODEL}/coder")
    assert status == 404


def test_a_bad_name_is_refused(server):
    status, body = call(server.base_url, "POST", f"/v1/cache/{MODEL}", {"cache_name": "../up", "prompt": SYSTEM})
    assert status == 400 and "cache_name" in body["error"]["message"]


def test_a_cache_survives_a_restart():
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-cache-")
    try:
        model = os.environ["ROCKCHIP_LLAMA_TEST_MODEL"]
        os.symlink(model, os.path.join(models_dir, os.path.basename(model)))
        first = Server(server_binary(), models_dir)
        try:
            status, _ = call(first.base_url, "POST", f"/v1/cache/{MODEL}", {"cache_name": "kept", "prompt": SYSTEM})
            assert status == 201
        finally:
            first.stop()
        second = Server(server_binary(), models_dir)
        try:
            status, listed = call(second.base_url, "GET", f"/v1/cache/{MODEL}")
            assert status == 200 and [entry["cache_name"] for entry in listed["data"]] == ["kept"]
            status, models = call(second.base_url, "GET", "/v1/models")
            assert [entry["id"] for entry in models["data"]] == [MODEL], "the cache folder is not a model"
            answer = openai_client(second).chat.completions.create(
                model=MODEL,
                messages=[{"role": "user", "content": "Hi"}],
                max_tokens=4,
                extra_body={"use_cache": "kept"},
            )
            assert answer.usage.prompt_tokens_details.cached_tokens > 0
        finally:
            second.stop()
    finally:
        shutil.rmtree(models_dir, ignore_errors=True)
