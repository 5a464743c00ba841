"""The QR code at the bottom right of the first page: read back from the rendered page with zxing-cpp."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from helpers import load_example
from docgen.signing.qr import check_link, qr_enabled, qr_text

pytestmark = pytest.mark.libreoffice


def enable_qr(workspace, setting: str, check_url: str = "") -> None:
    extra = f"\n[signing]\nqr = {setting}\n" + (f'check_url = "{check_url}"\n' if check_url else "")
    workspace.config.write_text(workspace.config.read_text(encoding="utf-8") + extra, encoding="utf-8")


def first_page_png(pdf: Path, folder: Path) -> Path:
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(pdf), str(folder / "page")], check=True)
    return next(folder.glob("page*.png"))


def read_codes(png: Path):
    image = Image.open(png)
    return image, zxingcpp.read_barcodes(image)


def test_an_order_carries_a_qr_code_with_its_number_at_the_bottom_right_of_page_one(
        docgen_workspace, docgen_hooks, tmp_path):
    from docgen.pipeline import Pipeline

    enable_qr(docgen_workspace, "true", "https://school7.example.ru/docgen/check")
    pipeline = Pipeline(docgen_workspace, hooks=docgen_hooks)
    try:
        outcome = pipeline.process(_drop(docgen_workspace))
    finally:
        pipeline.close()
    assert outcome.ok, outcome.message
    pdf = Path(outcome.documents[0]["pdf"])
    image, codes = read_codes(first_page_png(pdf, tmp_path))
    [code] = codes
    lines = code.text.split("\n")
    assert lines[0] == "МБОУ «СОШ № 7 им. А.С. Пушкина»"
    assert lines[1] == "Приказ № 1-од от 31.08.2023"
    assert lines[2] == "О закреплении наставнических пар (групп)"
    assert lines[3] == "https://school7.example.ru/docgen/check?number=1-%D0%BE%D0%B4&date=2023-08-31"
    centre_x = sum(p.x for p in (code.position.top_left, code.position.bottom_right)) / 2
    centre_y = sum(p.y for p in (code.position.top_left, code.position.bottom_right)) / 2
    assert centre_x > image.width * 0.75 and centre_y > image.height * 0.75  # bottom right
    assert len(PdfReader(str(pdf)).pages) == 3  # the order keeps its pages


def _drop(workspace):
    from helpers import drop

    return drop(workspace, "pair_order.json", load_example("pair_order.json"))


def test_a_type_left_out_of_the_qr_list_has_no_code(docgen_workspace, docgen_hooks, tmp_path):
    from docgen.pipeline import Pipeline

    enable_qr(docgen_workspace, '["thank_you_letter"]')
    pipeline = Pipeline(docgen_workspace, hooks=docgen_hooks)
    try:
        outcome = pipeline.process(_drop(docgen_workspace))
    finally:
        pipeline.close()
    assert outcome.ok
    _, codes = read_codes(first_page_png(Path(outcome.documents[0]["pdf"]), tmp_path))
    assert codes == []


def test_qr_settings_and_text():
    assert qr_enabled({"signing": {"qr": ["pair_order"]}}, "pair_order")
    assert not qr_enabled({"signing": {"qr": ["pair_order"]}}, "consent")
    assert not qr_enabled({}, "pair_order")
    from datetime import date

    text = qr_text({"name": "Школа", "short_name": ""}, "Письмо", "01-12/5", date(2024, 5, 31), "О пустом", "")
    assert text == "Школа\nПисьмо № 01-12/5 от 31.05.2024\nО пустом"
    assert check_link("https://x.ru/c?a=1", "5-од", date(2024, 1, 2)) == "https://x.ru/c?a=1&number=5-%D0%BE%D0%B4&date=2024-01-02"
