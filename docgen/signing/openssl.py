"""Running the ``openssl`` command with Debian's GOST engine (``libengine-gost-openssl``).

The engine is loaded through an ``OPENSSL_CONF`` written to a temporary file
for each run and passed only to that child process: the system's OpenSSL
configuration is never read or changed. RSA and ECDSA need no engine and
work the same way.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocgenError

TIMEOUT = 60.0
ENGINE_CONFIG = """openssl_conf = openssl_init
[openssl_init]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
dynamic_path = {path}
default_algorithms = ALL
"""
NO_ENGINE_CONFIG = "openssl_conf = openssl_init\n[openssl_init]\n"


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: bytes
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def openssl_binary() -> str:
    found = shutil.which("openssl")
    if not found:
        raise DocgenError("На сервере не установлена программа openssl (пакет openssl): подписи проверить нельзя.")
    return found


@functools.lru_cache(maxsize=1)
def engine_path() -> Path | None:
    """The GOST engine's shared object, or None when it is not installed."""
    probe = subprocess.run([openssl_binary(), "version", "-e"], capture_output=True, text=True, timeout=TIMEOUT)
    match = re.search(r'ENGINESDIR:\s*"([^"]+)"', probe.stdout)
    folders = [Path(match.group(1))] if match else []
    folders += [Path("/usr/lib/x86_64-linux-gnu/engines-3"), Path("/usr/lib/aarch64-linux-gnu/engines-3")]
    for folder in folders:
        if (folder / "gost.so").is_file():
            return folder / "gost.so"
    return None


def config_text() -> str:
    path = engine_path()
    return ENGINE_CONFIG.format(path=path) if path else NO_ENGINE_CONFIG


def run(args: list[str], stdin: bytes | None = None) -> Result:
    """``openssl ARGS`` with the GOST engine configured; never raises on a non-zero exit."""
    with tempfile.TemporaryDirectory(prefix="docgen-openssl-") as tmp:
        conf = Path(tmp) / "openssl.cnf"
        conf.write_text(config_text(), encoding="ascii")
        env = {**os.environ, "OPENSSL_CONF": str(conf)}
        done = subprocess.run([openssl_binary(), *args], input=stdin, capture_output=True, env=env, timeout=TIMEOUT)
    return Result(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


def gost_available() -> bool:
    return engine_path() is not None and run(["engine", "gost", "-t"]).ok
