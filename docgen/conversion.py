"""DOCX → PDF with LibreOffice: a cold ``soffice --convert-to pdf`` with a timeout.

Each call runs its own LibreOffice profile under the workspace state folder, so
conversions never share or corrupt a user profile. A hang is killed after the
timeout; a missing LibreOffice gives a clear Russian message while the DOCX
is still delivered by the pipeline.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .errors import ConversionError
from .settings import ConversionOptions

INSTALL_HINT = (
    "LibreOffice не найден. Установите его: «sudo apt-get install libreoffice-writer-nogui fonts-liberation2» "
    "(или LibreOffice с сайта libreoffice.org на Windows). DOCX уже готов; PDF будет сделан при следующей обработке."
)


def find_soffice(configured: str = "") -> str | None:
    if configured:
        return configured if Path(configured).exists() or shutil.which(configured) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def run_soffice(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    """Run soffice in its own process group; kill the whole group on timeout."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ConversionError(f"LibreOffice не ответил за {timeout:g} с и был остановлен.") from None
    return subprocess.CompletedProcess(args, process.returncode, out, err)


def cold_convert(docx_paths: list[Path], outdir: Path, options: ConversionOptions, profile_root: Path) -> None:
    """Convert DOCX files to PDF into ``outdir`` with one soffice run."""
    soffice = find_soffice(options.soffice)
    if soffice is None:
        raise ConversionError(INSTALL_HINT)
    profile_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=profile_root, prefix="lo-") as profile:
        args = [
            soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
            "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export",
            "--outdir", str(outdir), *map(str, docx_paths),
        ]
        result = run_soffice(args, options.timeout * max(1, len(docx_paths)))
    missing = [p for p in docx_paths if not (outdir / (p.stem + ".pdf")).exists()]
    if result.returncode != 0 or missing:
        detail = result.stderr.decode("utf-8", "replace").strip()[-300:]
        raise ConversionError(f"LibreOffice не сделал PDF (код {result.returncode}). {detail}")


class Converter:
    """Turns DOCX files into PDF files; one instance per pipeline."""

    def __init__(self, options: ConversionOptions, state_dir: Path):
        self.options = options
        self.state_dir = state_dir

    def convert(self, docx: Path, pdf: Path) -> None:
        """Write ``pdf`` from ``docx``; raise ConversionError on failure."""
        with tempfile.TemporaryDirectory(dir=self.state_dir, prefix="pdf-") as tmp:
            cold_convert([docx], Path(tmp), self.options, self.state_dir / "profiles")
            shutil.move(str(Path(tmp) / (docx.stem + ".pdf")), pdf)

    def close(self) -> None:
        pass
