"""Starts a real rockchip-llama server on a free loopback port for the compatibility tests."""
import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request

import pytest

MODEL = "smollm2-135m-instruct"


class Server:
    def __init__(self, binary: str, models_dir: str, extra_args=()):
        self.log_lines: list[str] = []
        self.process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--models-dir", models_dir, *extra_args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.port = None
        ready = threading.Event()

        def read_log():
            for line in self.process.stderr:
                self.log_lines.append(line)
                match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
                if match:
                    self.port = int(match.group(1))
                    ready.set()

        threading.Thread(target=read_log, daemon=True).start()
        if not ready.wait(30):
            self.stop()
            raise RuntimeError("server did not start:\n" + "".join(self.log_lines))
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.wait_healthy()

    def wait_healthy(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base_url + "/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("server never became healthy:\n" + "".join(self.log_lines))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def server():
    model = os.environ["ROCKCHIP_LLAMA_TEST_MODEL"]
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-compat-")
    os.symlink(model, os.path.join(models_dir, os.path.basename(model)))
    with running_server(models_dir, ["--model", MODEL, "--context-length", "4096"], {}) as server:
        yield server


SIM_MODEL_FILE = "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def server_binary():
    """The rockchip-llama binary the tests drive."""
    return os.environ.get("ROCKCHIP_LLAMA_BINARY") or os.path.join(ROOT, ".build", "debug", "rockchip-llama")


def write_simulated_model(path):
    """A model file for the RKLLM simulator (rk3588, 4096-token context)."""
    import json

    with open(path, "wb") as file:
        spec = {"target_platform": "rk3588", "max_context_limit": 4096, "model_dtype": "w8a8"}
        file.write(b"RKLLMSIM1" + json.dumps(spec).encode())


@contextlib.contextmanager
def running_server(models_dir, args, settings):
    """A server on `models_dir` with the environment variables `settings` set while it runs; afterwards the
    server is stopped, the environment restored and the directory removed."""
    saved = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)
    try:
        server = Server(server_binary(), models_dir, args)
        try:
            yield server
        finally:
            server.stop()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(models_dir, ignore_errors=True)


@contextlib.contextmanager
def simulator_server(layout="1.3", extra_args=(), environment=None):
    """A server on the RKLLM simulator of `layout` serving a simulated qwen3-0.6b; yields (server, event log)."""
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-sim-")
    write_simulated_model(os.path.join(models_dir, SIM_MODEL_FILE))
    event_log = os.path.join(models_dir, "events.log")
    settings = {
        "RKLLM_SIM_EVENT_LOG": event_log,
        "RKLLM_SIM_PREFILL_US_PER_TOKEN": "100",
        "RKLLM_SIM_DECODE_US_PER_TOKEN": "2000",
        **(environment or {}),
    }
    library = os.path.join(ROOT, ".build", "rkllm-sim", layout, "librkllmrt.so")
    with running_server(models_dir, ["--rkllm-lib", library, *extra_args], settings) as server:
        yield server, event_log


@pytest.fixture(scope="session")
def simulated_server():
    """A server on the RKLLM simulator (1.3 layout) serving a simulated qwen3-0.6b."""
    with simulator_server() as (server, _):
        yield server


@contextlib.contextmanager
def engine_server(engine, extra_args=(), environment=None, copies=1):
    """A server on `engine` ("llama": SmolLM2, "rkllm": the simulator) serving `copies` models, named
    model_names(engine, copies); yields the server."""
    models_dir = tempfile.mkdtemp(prefix=f"rockchip-llama-{engine}-")
    settings = dict(environment or {})
    args = list(extra_args)
    if engine == "llama":
        model = os.environ["ROCKCHIP_LLAMA_TEST_MODEL"]
        for index in range(copies):
            name = os.path.basename(model) if index == 0 else f"smollm2-copy{index}.gguf"
            os.symlink(model, os.path.join(models_dir, name))
        args += ["--context-length", "2048"]
    else:
        for name in model_names(engine, copies):
            write_simulated_model(os.path.join(models_dir, f"{name}-w8a8-rk3588.rkllm"))
        settings.setdefault("RKLLM_SIM_PREFILL_US_PER_TOKEN", "100")
        settings.setdefault("RKLLM_SIM_DECODE_US_PER_TOKEN", "5000")
        args += ["--rkllm-lib", os.path.join(ROOT, ".build", "rkllm-sim", "1.3", "librkllmrt.so")]
    with running_server(models_dir, args, settings) as server:
        yield server


def model_names(engine, copies=1):
    """The names engine_server's models are served under."""
    if engine == "llama":
        return [MODEL] + [f"smollm2-copy{index}" for index in range(1, copies)]
    return [f"simmodel{index}" for index in range(copies)]


def wait_until(condition, timeout=10.0, interval=0.05):
    """Whether `condition()` holds within `timeout` seconds, checking every `interval`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
