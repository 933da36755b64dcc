"""The README's examples run as written (on copies of the samples)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from _shared import RAW, REPO
from planextract import api

README = (REPO / "README.md").read_text(encoding="utf-8")


def _block(lang: str, after: str) -> str:
    m = re.search(rf"{re.escape(after)}.*?```{lang}\n(.*?)```", README, re.S)
    assert m, f"no {lang} block after {after!r}"
    return m.group(1)


def test_the_python_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "policy-docs"
    shutil.copytree(RAW, docs)
    shutil.copy(docs / "qingchuan_industry_plan.docx", docs / "plan.docx")
    monkeypatch.chdir(tmp_path)
    exec(compile(_block("python", "### From Python"), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "亿元" in out  # targets were printed
    assert (tmp_path / "targets.parquet").is_file() and (tmp_path / "policy-out" / "planextract.duckdb").is_file()


def test_the_api_docstring_names_functions_that_exist() -> None:
    named = re.findall(r"(\w+)\(\)", api.__doc__ or "")
    assert named and all(callable(getattr(api, n, None)) for n in named), named
    assert set(named) <= set(api.__all__)


def test_the_readme_names_files_that_exist() -> None:
    for path in re.findall(r"\]\(([\w/.]+\.md)\)", README) + re.findall(r"`(src/planextract/[\w/.]+)`", README):
        assert (REPO / path).exists(), path
    assert os.path.isfile(REPO / "CONTRIBUTING.md")
