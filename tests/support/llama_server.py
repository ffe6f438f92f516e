"""A real third-party OpenAI-compatible server for tests: llama.cpp's llama-server (the
xllamacpp wheel) on the starter GGUF, in its own process on 127.0.0.1, with an API key.

    server = start_llama_server(api_key="k")   # server.url = "http://127.0.0.1:<port>"
    server.stop()
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass

_CHILD = r"""
import json, sys
import xllamacpp
from desktop.engine.starter import starter_gguf
settings = json.loads(sys.argv[1])
p = xllamacpp.CommonParams()
p.model.path = str(starter_gguf())
p.n_ctx = 2048
p.n_parallel = 1
p.use_jinja = True
p.api_keys = [settings["key"]] if settings["key"] else []
p.hostnames = ["127.0.0.1"]
p.port = 0
p.endpoint_props = True
p.cpuparams.n_threads = 1
p.cpuparams_batch.n_threads = 1
p.verbosity = 1
if settings["embedding"]:
    p.embedding = True
    p.pooling_type = xllamacpp.llama_pooling_type.LLAMA_POOLING_TYPE_MEAN
    p.n_batch = p.n_ubatch = 2048
server = xllamacpp.Server(p)
print(json.dumps({"url": str(server.listening_address)}), flush=True)
while sys.stdin.readline():
    pass
"""


@dataclass
class LlamaServer:
    url: str
    api_key: str
    process: subprocess.Popen[str]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


def start_llama_server(*, api_key: str = "", embedding: bool = False, timeout: float = 60.0) -> LlamaServer:
    settings = json.dumps({"key": api_key, "embedding": embedding})
    env = dict(os.environ)
    env.pop("OLLAMA_HOST", None)
    process = subprocess.Popen(
        [sys.executable, "-c", _CHILD, settings],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = process.stdout.readline()  # the child prints one line once it listens
    if not line or time.monotonic() > deadline:
        process.kill()
        process.wait(10)
        raise RuntimeError("llama-server did not start")
    url = json.loads(line)["url"].rstrip("/")
    return LlamaServer(url=url, api_key=api_key, process=process)
