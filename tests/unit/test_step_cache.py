"""The step cache: what a key depends on, and that a reuse restores verified bytes only."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from impact_review.intake.cleaning import clean_tracker
from impact_review.intake.processed import write_processed
from impact_review.intake.tracker import read_tracker
from impact_review.layout import STEP_CACHE_ENTRY, ProcessedFiles
from impact_review.paths import SAMPLE_TRACKER
from impact_review.period import Period
from impact_review.step_cache import (
    StepCache,
    code_fingerprint,
    content_digest,
    snapshot,
    step_key,
    written_since,
)


def key(tmp_path: Path, **changes) -> str:
    """A step key, with any of its parts changed."""
    tracker = tmp_path / "tracker.csv"
    if not tracker.exists():
        tracker.write_text("a,b\n1,2\n")
    parts = {
        "step": "clean",
        "code": "code-1",
        "parameters": {"processed_dir": str(tmp_path / "stage-1" / "processed"), "label": "L"},
        "staging_root": tmp_path / "stage-1",
        "inputs": (tracker,),
        "previous": None,
    } | changes
    return step_key(**parts)


def test_the_key_ignores_the_staging_folder_of_the_run(tmp_path):
    moved = {
        "staging_root": tmp_path / "stage-2",
        "parameters": {"processed_dir": str(tmp_path / "stage-2" / "processed"), "label": "L"},
    }
    assert key(tmp_path) == key(tmp_path, **moved)


@pytest.mark.parametrize(
    "change",
    [
        {"step": "validate"},
        {"code": "code-2"},
        {"parameters": {"processed_dir": "elsewhere", "label": "L"}},
        {"parameters": {"processed_dir": "x", "label": "M"}},
        {"previous": "a previous step's key"},
    ],
    ids=["step", "code", "a path parameter", "a parameter", "the step before"],
)
def test_the_key_changes_with_everything_that_can_change_the_outputs(tmp_path, change):
    assert key(tmp_path) != key(tmp_path, **change)


def test_the_key_follows_the_bytes_of_the_inputs_not_their_dates(tmp_path):
    first = key(tmp_path)
    tracker = tmp_path / "tracker.csv"
    tracker.write_text("a,b\n1,2\n")
    assert key(tmp_path) == first
    tracker.write_text("a,b\n1,3\n")
    assert key(tmp_path) != first


def test_a_folder_input_counts_every_file_in_it_and_an_absent_one_counts_as_absent(tmp_path):
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "taxonomy.yaml").write_text("version: 1\n")
    first = content_digest([folder])
    (folder / "extra.yaml").write_text("x: 1\n")
    second = content_digest([folder])
    (folder / "extra.yaml").rename(folder / "other.yaml")

    assert len({first, second, content_digest([folder])}) == 3
    assert content_digest([tmp_path / "missing.md"]) != content_digest([folder])


def test_the_code_fingerprint_follows_an_uncommitted_edit(tmp_path):
    for part in ("src", "notebooks", "config"):
        (tmp_path / part).mkdir()
    module = tmp_path / "src" / "module.py"
    module.write_text("A = 1\n")
    first = code_fingerprint(tmp_path)
    (tmp_path / "src" / "__pycache__").mkdir()
    (tmp_path / "src" / "__pycache__" / "module.pyc").write_bytes(b"compiled")
    assert code_fingerprint(tmp_path) == first
    module.write_text("A = 2\n")
    assert code_fingerprint(tmp_path) != first


def stage_with(root: Path, files: dict[str, str]) -> list[str]:
    before = snapshot(root)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return written_since(root, before)


def test_written_since_lists_new_and_changed_files_only(tmp_path):
    stage_with(tmp_path, {"processed/a.csv": "1", "processed/b.csv": "2"})
    written = stage_with(tmp_path, {"processed/b.csv": "22", "reports/audit/c.json": "{}"})
    assert written == ["processed/b.csv", "reports/audit/c.json"]


def test_a_stored_step_is_restored_byte_for_byte_into_a_new_staging_folder(tmp_path):
    cache = StepCache(tmp_path / "cache")
    first, second = tmp_path / "stage-1", tmp_path / "stage-2"
    written = stage_with(first, {"processed/a.parquet": "rows", "reports/audit/log.txt": "ran"})
    cache.store("clean", "k1", first, written)

    assert not cache.restore("clean", "k2", second)
    assert cache.restore("clean", "k1", second)
    assert (second / "processed/a.parquet").read_text() == "rows"
    assert (second / "reports/audit/log.txt").read_text() == "ran"


def test_an_entry_whose_bytes_changed_is_not_reused_and_is_deleted(tmp_path):
    cache = StepCache(tmp_path / "cache")
    stage = tmp_path / "stage"
    cache.store("clean", "k1", stage, stage_with(stage, {"processed/a.csv": "1"}))
    entry = cache.entry("clean", "k1")
    stored = next(path for path in entry.rglob("a.csv"))
    stored.write_text("tampered")

    assert not cache.restore("clean", "k1", tmp_path / "again")
    assert not entry.exists()
    assert not (tmp_path / "again" / "processed" / "a.csv").exists()


def test_an_entry_records_the_hash_of_every_file(tmp_path):
    cache = StepCache(tmp_path / "cache")
    stage = tmp_path / "stage"
    cache.store("validate", "k", stage, stage_with(stage, {"x/y.json": "{}"}))
    hashes = json.loads((cache.entry("validate", "k") / STEP_CACHE_ENTRY).read_text())
    assert hashes == {
        "x/y.json": "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    }


def test_only_the_entries_of_the_last_run_are_kept(tmp_path):
    cache = StepCache(tmp_path / "cache")
    stage = tmp_path / "stage"
    for name in ("k1", "k2", "k3"):
        cache.store("clean", name, stage, stage_with(stage, {f"{name}.csv": name}))
    cache.keep_only([cache.entry("clean", "k2")])
    assert sorted(path.name for path in cache.folder.iterdir()) == ["clean-k2"]


def test_cleaned_tables_are_the_same_bytes_when_written_again(tmp_path):
    """What a recompute of the clean step writes is exact, so a reuse and a recompute agree."""
    period = Period(date(2015, 4, 1), date(2018, 3, 31), "2015-18")
    read = read_tracker(SAMPLE_TRACKER)
    result = clean_tracker(read, period)
    outputs = []
    for name in ("one", "two"):
        files = ProcessedFiles(tmp_path / name)
        written = write_processed(read, result, period, files)
        outputs.append({path.name: path.read_bytes() for path in written})

    assert len(outputs[0]) >= 4
    assert outputs[0] == outputs[1]
