"""Starts a real rockchip-llama server on a free loopback port for the compatibility tests."""
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
    binary = os.environ.get("ROCKCHIP_LLAMA_BINARY") or os.path.join(
        os.path.dirname(__file__), "..", "..", ".build", "debug", "rockchip-llama"
    )
    model = os.environ["ROCKCHIP_LLAMA_TEST_MODEL"]
    models_dir = tempfile.mkdtemp(prefix="rockchip-llama-compat-")
    os.symlink(model, os.path.join(models_dir, os.path.basename(model)))
    server = Server(binary, models_dir, ["--model", MODEL, "--context-length", "4096"])
    yield server
    server.stop()
    shutil.rmtree(models_dir, ignore_errors=True)
