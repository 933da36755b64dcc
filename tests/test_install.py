"""The package as a user installs it: a wheel in a fresh environment, run from an unrelated folder.

The wheel is built from a copy of the sources (the repo is left as it was)
without build isolation, so nothing is downloaded; the fresh environment
takes planextract from the wheel and only its dependencies from this one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import duckdb
import pytest

from _shared import CORPUS, REPO, need

pytestmark = pytest.mark.slow


def _run(cmd: list[str | Path], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PLANEXTRACT_RULES")}
    result = subprocess.run([str(c) for c in cmd], cwd=cwd, env={**clean, **env}, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("install")
    src = base / "source"
    shutil.copytree(REPO / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", base / "dist", src],
         cwd=base)
    (wheel,) = (base / "dist").glob("planextract-*.whl")
    env = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", env], cwd=base)
    python = env / "bin" / "python"
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=base).stdout.strip())
    # A .pth line puts this environment's packages on the path without running its own .pth files,
    # so the editable install of the repo stays out of the fresh environment.
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel], cwd=base)
    return env


def _build(planextract: list[str | Path], out: Path, cwd: Path) -> dict:
    result = _run([*planextract, "build", need(CORPUS), "--out", out, "--json", "--quiet"], cwd=cwd)
    return json.loads(result.stdout)


def _documents(out: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(out / "planextract.duckdb"), read_only=True)
    try:
        return con.execute("SELECT path, title, region, doc_type, plan_end FROM documents ORDER BY path").fetchall()
    finally:
        con.close()


def test_the_installed_package_reads_its_own_files(venv: Path, tmp_path: Path) -> None:
    probe = "import planextract, planextract.rules as r; print(planextract.__file__); print(r.path('units.toml'))"
    module, rules_file = _run([venv / "bin" / "python", "-c", probe], cwd=tmp_path).stdout.split()
    assert Path(module).is_relative_to(venv) and Path(rules_file).is_relative_to(venv)
    version = _run([venv / "bin" / "planextract", "--version"], cwd=tmp_path).stdout.strip()
    assert version == f"planextract {_run([sys.executable, '-c', 'import planextract; print(planextract.__version__)'], cwd=REPO).stdout.strip()}"


def test_a_wheel_builds_the_corpus_as_the_repo_does(venv: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    installed = _build([venv / "bin" / "planextract"], tmp_path / "wheel-out", cwd=elsewhere)
    repo = _build([sys.executable, "-m", "planextract.cli"], tmp_path / "repo-out", cwd=REPO)
    assert installed["rows"] == repo["rows"]
    assert installed["rows"]["targets"] > 300 and installed["errors"] == 0
    docs = _documents(tmp_path / "wheel-out")
    assert docs == _documents(tmp_path / "repo-out")
    assert all(region and doc_type for _, _, region, doc_type, _ in docs)


def test_a_missing_rules_folder_stops_the_installed_command(venv: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(venv / "bin" / "planextract"), "build", str(need(CORPUS)), "--out", str(tmp_path / "out"), "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PLANEXTRACT_RULES": str(tmp_path / "my-rulez")},
    )
    assert result.returncode == 2
    assert "PLANEXTRACT_RULES=" in result.stderr and "no such folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "planextract.duckdb").exists()
