"""The official `openai` Python client against a live server: what a user of the client would notice."""
import json
import urllib.request

import openai
import pytest

from conftest import MODEL

# SmolLM2's own template puts in a default system prompt that leads the 135M model astray; this one does not.
QUESTION = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "What is the capital of France?"},
]


@pytest.fixture
def client(server):
    return openai.OpenAI(base_url=server.base_url + "/v1", api_key="not-needed", max_retries=0, timeout=60)


def test_lists_and_retrieves_models(client):
    models = client.models.list()
    assert [m.id for m in models.data] == [MODEL]
    assert client.models.retrieve(MODEL).id == MODEL


def test_chat_completion(client):
    completion = client.chat.completions.create(model=MODEL, messages=QUESTION, max_tokens=30, temperature=0)
    assert completion.object == "chat.completion"
    choice = completion.choices[0]
    assert choice.message.role == "assistant"
    assert "Paris" in choice.message.content
    assert choice.finish_reason == "stop"
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens


def test_streaming_with_usage_matches_the_whole_answer(client):
    whole = client.chat.completions.create(model=MODEL, messages=QUESTION, max_tokens=30, temperature=0)
    stream = client.chat.completions.create(
        model=MODEL, messages=QUESTION, max_tokens=30, temperature=0, stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    assert chunks[-1].choices == []
    assert chunks[-1].usage.completion_tokens == whole.usage.completion_tokens
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"


def test_legacy_completions_streamed_and_not(client):
    completion = client.completions.create(model=MODEL, prompt="1, 2, 3,", max_tokens=8, temperature=0)
    assert completion.choices[0].finish_reason == "length"
    assert completion.usage.completion_tokens == 8
    streamed = "".join(
        c.choices[0].text
        for c in client.completions.create(model=MODEL, prompt="1, 2, 3,", max_tokens=8, temperature=0, stream=True)
        if c.choices
    )
    assert streamed == completion.choices[0].text


def test_stop_string_is_not_returned(client):
    completion = client.completions.create(model=MODEL, prompt="1, 2, 3,", max_tokens=24, temperature=0, stop=[" 6,"])
    assert completion.choices[0].finish_reason == "stop"
    assert "5" in completion.choices[0].text and "6" not in completion.choices[0].text


def test_embeddings_in_the_clients_default_base64(client):
    texts = ["The cat is sleeping on the sofa.", "A cat naps on the couch.", "Tax returns are due in April."]
    raw = client.embeddings.with_raw_response.create(model=MODEL, input=texts)
    # The client asks for base64 unless told otherwise, and decodes it into floats itself.
    assert isinstance(json.loads(raw.text)["data"][0]["embedding"], str)
    response = raw.parse()
    assert [item.index for item in response.data] == [0, 1, 2]
    vectors = [item.embedding for item in response.data]
    assert all(len(vector) == 576 for vector in vectors)
    assert all(abs(sum(x * x for x in vector) - 1) < 1e-3 for vector in vectors)
    floats = client.embeddings.create(model=MODEL, input=texts[0], encoding_format="float")
    assert max(abs(a - b) for a, b in zip(floats.data[0].embedding, vectors[0])) < 1e-5
    assert response.usage.prompt_tokens == response.usage.total_tokens > 0
    with pytest.raises(openai.BadRequestError) as bad:
        client.embeddings.create(model=MODEL, input=texts, dimensions=64)
    assert bad.value.param == "dimensions"


def test_errors_are_the_clients_own_exceptions(client):
    with pytest.raises(openai.NotFoundError) as not_found:
        client.chat.completions.create(model="no-such-model", messages=QUESTION)
    assert not_found.value.code == "model_not_found"
    with pytest.raises(openai.BadRequestError) as bad:
        client.chat.completions.create(model=MODEL, messages=QUESTION, n=2)
    assert bad.value.param == "n"
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model=MODEL, messages=[])
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("missing/model:tag")


def test_a_client_that_disconnects_mid_stream_stops_the_generation(client, server):
    # Greedy counting runs for thousands of tokens unless the server stops it.
    stream = client.completions.create(
        model=MODEL, prompt="1, 2, 3, 4, 5, 6, 7, 8,", max_tokens=3000, temperature=0, stream=True
    )
    for index, _ in enumerate(stream):
        if index == 3:
            break
    stream.close()
    request = urllib.request.Request(
        server.base_url + "/v1/completions",
        data=json.dumps({"model": MODEL, "prompt": "Hello", "max_tokens": 2}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        body = json.load(response)
    # Had the abandoned generation gone on, this request would have queued behind ~3000 tokens.
    assert body["timings"]["queue_ms"] < 1000, body["timings"]
