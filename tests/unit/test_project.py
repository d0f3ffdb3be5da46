"""The project's own promises: environment files in step, notebooks clean, sample reproducible."""

import importlib.util
import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from impact_review.paths import NOTEBOOKS_DIR, ROOT, SAMPLE_TRACKER


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


class TestEnvironmentFiles:
    def test_environment_yml_installs_exactly_the_lock(self):
        """conda brings Python and a pinned Quarto; every Python package comes from the lock,
        so a conda install has the versions `make install` has."""
        env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
        conda = [d for d in env["dependencies"] if isinstance(d, str)]
        pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
        assert env["channels"] == ["conda-forge"]
        assert conda[0] == "python=3.11" and conda[2:] == ["pip"]
        assert re.fullmatch(r"quarto=\d+\.\d+\.\d+", conda[1])
        assert pip == ["-r requirements.lock", "-e ."]

    def test_lock_pins_every_dependency(self):
        lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
        pinned = {
            _name(line) for line in lock.splitlines() if "==" in line and not line.startswith("#")
        }
        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
            assert _name(requirement) in pinned, requirement


NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
class TestNotebooks:
    def test_committed_without_outputs(self, path: Path):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None

    def test_one_parameters_cell_of_literals_with_comments(self, path: Path):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        tagged = [c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", [])]
        assert len(tagged) == 1
        for line in "".join(tagged[0]["source"]).splitlines():
            assert re.fullmatch(r'\w+: \w+ = ("[^"]*"|[\d.]+|True|False)  # .+', line), line

    def test_defines_no_functions_or_classes(self, path: Path):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        code = "\n".join(
            "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"
        )
        assert not re.search(r"^\s*(def|class) ", code, re.MULTILINE)


def test_notebooks_are_numbered_steps():
    assert [p.name for p in NOTEBOOKS][:1] == ["01-clean.ipynb"]


def test_sample_tracker_regenerates_byte_for_byte(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_sample", ROOT / "scripts" / "make_sample_tracker.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.write_sample(tmp_path / "sample.xlsx")
    assert out.read_bytes() == SAMPLE_TRACKER.read_bytes()


def test_readme_quick_start_commands_are_make_targets():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^make (\w+)$", readme, re.MULTILINE):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "make test" in readme


def test_code_is_ruff_clean():
    import subprocess
    import sys

    ruff = Path(sys.executable).parent / "ruff"
    check = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run([ruff, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert fmt.returncode == 0, fmt.stdout


def output_names() -> set[str]:
    """The file names of every file a run writes, as the layout names them."""
    from impact_review.layout import RunLayout

    layout = RunLayout.published(Path("w"), "label")
    audit, bundle, quality = layout.audit, layout.bundle, layout.audit.data_quality
    paths = [
        *layout.processed.files(),
        layout.processed.duplicate_recommendations,
        *layout.reports.published,
        audit.manifest,
        audit.pii_scan,
        audit.lineage,
        bundle.variables,
        quality.summary,
        quality.checks_page,
        quality.trail,
        audit.problems,
        audit.problems_page,
    ]
    return {path.name for path in paths}


def test_output_file_names_are_written_only_in_the_layout():
    """A file a run writes is named in layout.py and taken from there, never retyped."""
    names = output_names()
    assert {"recommendations.parquet", "clean-summary.json", "manifest.json"} <= names
    offenders = []
    sources = [*(ROOT / "src").rglob("*.py"), *(ROOT / "notebooks").glob("*.ipynb")]
    for path in sources:
        if path.name == "layout.py":
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join("".join(cell["source"]) for cell in json.loads(text)["cells"])
        offenders += [
            f"{path.name}: {name}" for name in names if f'"{name}"' in text or f"'{name}'" in text
        ]
    assert offenders == []
