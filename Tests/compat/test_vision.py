"""Images through the four dialects, sent by the official openai, ollama and anthropic clients (and a raw Responses
call) to the simulated vision pair: the RKLLM simulator reports what reached the runtime ([[vision]])."""
import base64
import http.server
import os
import re
import struct
import subprocess
import tempfile
import threading
import zlib

import anthropic
import httpx
import ollama
import openai
import pytest

from conftest import MODEL, ROOT, running_server

VISION_FILE = "Qwen2-VL-2B-Instruct-w8a8-rk3588.rkllm"
PROMPT = "[[vision]] What is in the picture?"


def png(width, height, rgb):
    """A PNG file of one colour."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


RED = base64.b64encode(png(64, 64, (255, 0, 0))).decode()  # square: a padded image is not all red
BLUE = base64.b64encode(png(32, 32, (0, 0, 255))).decode()
CORRUPT = base64.b64encode(b"\x89PNG\r\n\x1a\nthis is not the rest of a PNG file").decode()


def vision_report(text):
    match = re.search(r"vision images=(\d+) image_tokens=(\d+) start=(\S+) end=(\S+) colours=(\S+)", text)
    assert match, text
    return {
        "images": int(match[1]),
        "image_tokens": int(match[2]),
        "start": match[3],
        "end": match[4],
        "colours": match[5].split(","),
    }


def assert_red(text, images=1, colours=("#ff0000",)):
    report = vision_report(text)
    assert report["images"] == images
    assert report["image_tokens"] == 196  # per image
    assert report["start"] == "<|vision_start|>"
    assert report["end"] == "<|vision_end|>"
    assert report["colours"] == list(colours)


@pytest.fixture(scope="module")
def vision_server():
    """A server on the RKLLM and RKNN simulators serving the simulated Qwen2-VL pair, fetching image URLs."""
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-vision-")
    subprocess.run([os.path.join(ROOT, "scripts", "make-sim-vision-model.sh"), models_dir], check=True)
    args = [
        "--rkllm-lib", os.path.join(ROOT, ".build", "rkllm-sim", "1.3", "librkllmrt.so"),
        "--rknn-lib", os.path.join(ROOT, ".build", "rknn-sim", "librknnrt.so"),
        "--allow-image-urls",
    ]
    settings = {"RKLLM_SIM_PREFILL_US_PER_TOKEN": "10", "RKLLM_SIM_DECODE_US_PER_TOKEN": "100"}
    with running_server(models_dir, args, settings) as server:
        yield server


@pytest.fixture(scope="module")
def vision_model(vision_server):
    names = [model["id"] for model in httpx.get(vision_server.base_url + "/v1/models").json()["data"]]
    return next(name for name in names if "vl" in name.lower())


def openai_client(server):
    return openai.OpenAI(base_url=server.base_url + "/v1", api_key="none", max_retries=0, timeout=60)


def data_url(image):
    return "data:image/png;base64," + image


def test_openai_chat_sends_a_red_image(vision_server, vision_model):
    answer = openai_client(vision_server).chat.completions.create(
        model=vision_model,
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": data_url(RED), "detail": "low"}},
                    {"type": "text", "text": PROMPT},
                ],
            }
        ],
    )
    assert_red(answer.choices[0].message.content)


def test_openai_chat_sends_two_images_in_order(vision_server, vision_model):
    answer = openai_client(vision_server).chat.completions.create(
        model=vision_model,
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": data_url(RED)}},
                    {"type": "image_url", "image_url": {"url": data_url(BLUE)}},
                    {"type": "text", "text": PROMPT},
                ],
            }
        ],
    )
    assert_red(answer.choices[0].message.content, images=2, colours=("#ff0000", "#0000ff"))


def test_openai_responses_sends_a_red_image(vision_server, vision_model):
    response = httpx.post(
        vision_server.base_url + "/v1/responses",
        json={
            "model": vision_model,
            "input": [
                {
                    "role": "user",
                    "content": [
                        {"type": "input_text", "text": PROMPT},
                        {"type": "input_image", "image_url": data_url(RED)},
                    ],
                }
            ],
        },
        timeout=60,
    )
    assert response.status_code == 200, response.text
    texts = [part["text"] for item in response.json()["output"] if item["type"] == "message" for part in item["content"]]
    assert_red("".join(texts))


def test_ollama_chat_and_generate_send_a_red_image(vision_server, vision_model):
    client = ollama.Client(host=vision_server.base_url)
    chat = client.chat(model=vision_model, messages=[{"role": "user", "content": PROMPT, "images": [RED]}])
    assert_red(chat.message.content)
    generated = client.generate(model=vision_model, prompt=PROMPT, images=[RED])
    assert_red(generated.response)


def test_anthropic_messages_send_a_red_image(vision_server, vision_model):
    client = anthropic.Anthropic(base_url=vision_server.base_url, api_key="none", max_retries=0, timeout=60)
    message = client.messages.create(
        model=vision_model,
        max_tokens=200,
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": RED}},
                    {"type": "text", "text": PROMPT},
                ],
            }
        ],
    )
    assert_red("".join(block.text for block in message.content if block.type == "text"))


def test_an_image_url_is_fetched_when_the_server_allows_it(vision_server, vision_model):
    body = base64.b64decode(RED)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/red.png":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    files = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=files.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{files.server_address[1]}"
        client = openai_client(vision_server)
        answer = client.chat.completions.create(
            model=vision_model,
            messages=[
                {"role": "user", "content": [{"type": "image_url", "image_url": {"url": base + "/red.png"}}, PROMPT_PART]}
            ],
        )
        assert_red(answer.choices[0].message.content)
        with pytest.raises(openai.BadRequestError) as missing:
            client.chat.completions.create(
                model=vision_model,
                messages=[
                    {"role": "user", "content": [{"type": "image_url", "image_url": {"url": base + "/gone.png"}}, PROMPT_PART]}
                ],
            )
        assert "127.0.0.1" in str(missing.value) and "404" in str(missing.value)
    finally:
        files.shutdown()


PROMPT_PART = {"type": "text", "text": PROMPT}


def test_a_corrupt_image_is_a_400_in_every_dialect(vision_server, vision_model):
    with pytest.raises(openai.BadRequestError) as chat:
        openai_client(vision_server).chat.completions.create(
            model=vision_model,
            messages=[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": data_url(CORRUPT)}}, PROMPT_PART]}],
        )
    assert "image 1 cannot be read" in str(chat.value)
    with pytest.raises(ollama.ResponseError) as ollama_chat:
        ollama.Client(host=vision_server.base_url).chat(
            model=vision_model, messages=[{"role": "user", "content": PROMPT, "images": [CORRUPT]}]
        )
    assert ollama_chat.value.status_code == 400
    client = anthropic.Anthropic(base_url=vision_server.base_url, api_key="none", max_retries=0, timeout=60)
    with pytest.raises(anthropic.BadRequestError):
        client.messages.create(
            model=vision_model,
            max_tokens=20,
            messages=[
                {
                    "role": "user",
                    "content": [{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": CORRUPT}}],
                }
            ],
        )


def test_the_vision_model_lists_the_vision_capability(vision_server, vision_model):
    shown = httpx.post(vision_server.base_url + "/api/show", json={"model": vision_model}).json()
    assert "vision" in shown["capabilities"]
    tags = httpx.get(vision_server.base_url + "/api/tags").json()["models"]
    assert "vision" in next(model for model in tags if model["name"].startswith(vision_model))["capabilities"]


def test_an_image_url_is_a_400_when_the_server_does_not_fetch(server):
    with pytest.raises(openai.BadRequestError) as refused:
        openai_client(server).chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "http://127.0.0.1:9/x.png"}}]}],
        )
    assert "--allow-image-urls" in str(refused.value)


def test_an_image_to_the_text_model_is_a_400_naming_it(server):
    with pytest.raises(openai.BadRequestError) as refused:
        openai_client(server).chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": data_url(RED)}}, PROMPT_PART]}],
        )
    assert f"model '{MODEL}' does not support images" in str(refused.value)
    with pytest.raises(ollama.ResponseError) as ollama_refused:
        ollama.Client(host=server.base_url).chat(model=MODEL, messages=[{"role": "user", "content": "Hi", "images": [RED]}])
    assert ollama_refused.value.status_code == 400 and MODEL in str(ollama_refused.value)
    shown = httpx.post(server.base_url + "/api/show", json={"model": MODEL}).json()
    assert "vision" not in shown["capabilities"]
