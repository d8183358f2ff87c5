"""Embeddings and rerank on the RKLLM simulator's embedding model and reranker, through the official clients
(`openai.embeddings.create`, `ollama.embed`) and raw HTTP for rerank (no official client has it)."""
import json
import math
import os
import tempfile
import urllib.error
import urllib.request

import ollama
import openai
import pytest

from conftest import ROOT, running_server, write_simulated_model

EMBEDDER = "qwen3-embedding-0.6b"
RERANKER = "qwen3-reranker-0.6b"


@pytest.fixture(scope="module", params=["1.2", "1.3"])
def server(request):
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-rerank-")
    write_simulated_model(os.path.join(models_dir, "Qwen3-Embedding-0.6B-w8a8-rk3588.rkllm"))
    write_simulated_model(os.path.join(models_dir, "Qwen3-Reranker-0.6B-w8a8-rk3588.rkllm"))
    library = os.path.join(ROOT, ".build", "rkllm-sim", request.param, "librkllmrt.so")
    with running_server(models_dir, ["--rkllm-lib", library], {"RKLLM_SIM_PREFILL_US_PER_TOKEN": "100"}) as running:
        yield running


def post(server, path, body):
    request = urllib.request.Request(
        server.base_url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_openai_embeddings_are_unit_length_and_deterministic(server):
    client = openai.OpenAI(base_url=server.base_url + "/v1", api_key="unused", max_retries=0, timeout=60)
    # The client asks for base64 by default and decodes it.
    first = client.embeddings.create(model=EMBEDDER, input=["a cat sat", "a dog ran"])
    again = client.embeddings.create(model=EMBEDDER, input="a cat sat", encoding_format="float")
    vectors = [item.embedding for item in first.data]
    assert len(vectors) == 2 and len(vectors[0]) == 1536
    assert all(abs(math.sqrt(sum(x * x for x in vector)) - 1) < 1e-3 for vector in vectors)
    assert vectors[0] != vectors[1]
    assert all(abs(a - b) < 1e-6 for a, b in zip(vectors[0], again.data[0].embedding))
    assert first.usage.prompt_tokens > 0


def test_ollama_embed(server):
    client = ollama.Client(host=server.base_url, timeout=60)
    response = client.embed(model=EMBEDDER, input=["a cat sat"])
    assert len(response.embeddings) == 1
    assert abs(math.sqrt(sum(x * x for x in response.embeddings[0])) - 1) < 1e-3


@pytest.mark.parametrize("path", ["/v1/rerank", "/rerank"])
def test_rerank_orders_by_the_scripted_scores(server, path):
    documents = ["low [[score=0.2]]", {"text": "high [[score=0.9]]"}, "mid [[score=0.6]]"]
    status, body = post(
        server, path, {"model": RERANKER, "query": "q", "documents": documents, "top_n": 2, "return_documents": True})
    assert status == 200, body
    assert [result["index"] for result in body["results"]] == [1, 2]
    assert abs(body["results"][0]["relevance_score"] - 0.9) < 1e-3
    assert body["results"][0]["document"] == {"text": "high [[score=0.9]]"}
    assert body["usage"]["prompt_tokens"] > 0


def test_a_model_that_cannot_rerank_is_a_400(server):
    status, body = post(server, "/v1/rerank", {"model": EMBEDDER, "query": "q", "documents": ["d"]})
    assert status == 400
    assert EMBEDDER in body["error"]["message"]
