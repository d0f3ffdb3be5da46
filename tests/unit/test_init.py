"""`impact-review init` on small hand-written trackers: headers, grouping, the RAG key, the draft's
files, and what it refuses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from adoption_trackers import (
    NORTHSHIRE,
    RAG_KEY,
    eastmere_tracker,
    northshire_tracker,
    westvale_tracker,
)
from helpers import write_xlsx

from checks.suites import SuiteParameters, check_by_id
from impact_review.adopt.draft import DEFINITION_PLACEHOLDER, draft_configuration
from impact_review.adopt.headers import read_header
from impact_review.adopt.rag import RagKey, conventional_key, draft_statuses, read_key_sheet
from impact_review.adopt.values import group_values, place_words
from impact_review.cli import main
from impact_review.intake.taxonomy import default_taxonomy, load_taxonomy


def groups_of(values, places=frozenset()) -> dict[str, tuple[str, ...]]:
    return {g.name: g.spellings for g in group_values(values, places)}


class TestGroupValues:
    def test_an_abbreviation_joins_the_name_that_gives_it_in_brackets(self):
        groups = group_values(["NCC CS", "Northshire County Council Children's Services (NCC CS)"])
        (group,) = groups
        assert group.name == "Northshire County Council Children's Services"
        assert group.short == "NCC CS"

    def test_an_agency_without_the_place_name_is_the_same_agency(self):
        places = place_words(["Northshire Police", "Northshire Council", "Police"], None)
        assert places == {"northshire"}
        (group,) = group_values(["Police", "Northshire Police"], places)
        assert (group.name, group.short) == ("Northshire Police", "Police")

    def test_ampersand_and_and_are_one_spelling(self):
        assert groups_of(["A & B", "A and B"]) == {"A and B": ("A and B", "A & B")}

    def test_case_spacing_and_plurals(self):
        assert groups_of(["Rapid review", "rapid  Reviews", "Audit"]) == {
            "Audit": ("Audit",),
            "Rapid review": ("Rapid review", "rapid Reviews"),
        }

    def test_generic_abbreviations_are_read_as_their_words(self):
        places = frozenset({"eastmere"})
        (group,) = group_values(["Eastmere ICB", "Eastmere Integrated Care Board"], places)
        assert (group.name, group.short) == ("Eastmere Integrated Care Board", "ICB")

    def test_different_things_stay_apart(self):
        names = groups_of(["Police", "Probation", "Children's Social Care", "Adult Social Care"])
        assert len(names) == 4

    def test_order_does_not_depend_on_the_input_order(self):
        values = ["Police", "NCC CS", "A & B", "Northshire Police", "A and B"]
        assert group_values(values) == group_values(list(reversed(values)))


class TestHeaders:
    def test_schema_names_first_then_header_words(self):
        specs = default_taxonomy().columns
        columns = read_header(
            [
                "Rec No",
                "Partner organisations",
                "Main theme",
                "Timescale",
                "RAG",
                "Update",
                "Colour",
            ],
            specs,
        )
        assert [(c.header, c.field, c.inferred) for c in columns] == [
            ("Rec No", "rec_id", False),
            ("Partner organisations", "agency", True),
            ("Main theme", "themes", True),
            ("Timescale", "due_date", True),
            ("RAG", "status", False),
            ("Update", "progress_notes", False),
            ("Colour", None, False),
        ]

    def test_a_field_is_claimed_once(self):
        columns = read_header(["Agency", "Lead organisation"], default_taxonomy().columns)
        assert [c.field for c in columns] == ["agency", None]


class TestRag:
    def test_key_sheet_gives_colours_and_meanings(self):
        grids = [
            ("Tracker", [["Ref", "RAG"], ["1", "Red"]]),
            ("Key", [["RAG key"], ["Colour", "Meaning"], *map(list, RAG_KEY), [None, None]]),
        ]
        key = read_key_sheet(grids, skip={"Tracker"})
        assert key is not None and key.source == "the key on sheet 'Key'"
        assert list(key.meanings.items()) == list(RAG_KEY)

    def test_no_key_sheet_means_none(self):
        assert read_key_sheet([("Notes", [["Blue"], ["About this tracker"]])], skip=()) is None

    def test_meanings_become_statuses_with_flags(self):
        statuses = {e.name: e for e in draft_statuses(RagKey(dict(RAG_KEY), "test"), [])}
        assert list(statuses) == ["Not started", "In progress", "Completed"]
        assert statuses["Completed"].colours == ["Blue", "Green"]
        assert (statuses["Completed"].closed, statuses["Completed"].implemented) == (True, True)
        assert statuses["Not started"].colours == ["Red"] and not statuses["Not started"].closed

    def test_the_convention_and_free_text_statuses(self):
        cells = ["Complete - see evidence", "Awaiting sign-off: board in May", "Ongoing"]
        statuses = {e.name: e for e in draft_statuses(conventional_key(), cells)}
        assert statuses["Completed"].colours == ["Blue", "Green"]
        guessed = statuses["Awaiting sign-off"]
        assert guessed.guessed and not guessed.closed and guessed.aliases == ["awaiting sign off"]


@pytest.fixture(scope="module")
def northshire(tmp_path_factory) -> tuple[Path, Path, str]:
    """The Northshire tracker drafted once: (tracker, folder, what init printed)."""
    folder = tmp_path_factory.mktemp("northshire")
    tracker = northshire_tracker(folder / "tracker.xlsx")
    out = folder / "config"
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert (
            main(["init", "--tracker", str(tracker), "--name", NORTHSHIRE, "--out", str(out)]) == 0
        )
    return tracker, out, printed.getvalue()


class TestDraftFolder:
    def test_it_loads_and_maps_every_value(self, northshire):
        _, out, _ = northshire
        taxonomy = load_taxonomy(out)
        assert yaml.safe_load((out / "partnership.yaml").read_text())["name"] == NORTHSHIRE
        assert taxonomy.agencies.map("NCC CS") == "Northshire County Council Children's Services"
        assert taxonomy.agencies.map("Police") == "Northshire Police"
        assert taxonomy.short_name("NHS Northshire ICB") == "NHS ICB"
        assert taxonomy.source_types.map("Domestic Homicide Review (DHR)") == "DHR"
        assert taxonomy.source_types.map("Rapid Reviews") == "Rapid review"
        assert taxonomy.themes.names == (
            "Domestic abuse",
            "Multi-agency working",
            "Neglect",
            "Voice of the child",
        )
        assert taxonomy.statuses.map("Blue") == taxonomy.implemented_status == "Completed"
        assert taxonomy.closed_statuses == ("Completed",)
        assert "area_of_learning" not in taxonomy.mandatory_fields
        for entry in taxonomy.themes.entries:
            assert entry["definition"] == DEFINITION_PLACEHOLDER

    def test_headers_the_schema_knows_are_not_repeated_under_columns(self, northshire):
        """Northshire's headers (Lead organisation, Learning theme, Target, ...) are common
        synonyms every configuration knows; only the absent area is written down."""
        _, out, _ = northshire
        columns = yaml.safe_load((out / "taxonomy.yaml").read_text())["columns"]
        assert columns == {"area_of_learning": {"required": False}}

    def test_guesses_are_commented(self, northshire):
        text = (northshire[1] / "taxonomy.yaml").read_text()
        assert "# grouped: NCC CS; Northshire County Council Children's Services (NCC CS)" in text
        assert "# RAG Blue, Green" in text

    def test_no_east_sussex_vocabulary(self, northshire):
        text = (northshire[1] / "taxonomy.yaml").read_text().casefold()
        for word in ("sussex", "esht", "lscb", "cafcass", "spft"):
            assert word not in text

    def test_report_names_headers_groups_and_rag_source(self, northshire):
        _, out, printed = northshire
        report = (out / "INIT-REPORT.md").read_text()
        assert report in printed
        assert "| Lead organisation | agency | schema" in report
        assert "- **Agencies**: 7 distinct values as written, 4 entries." in report
        assert "grouped: Northshire Police | Police" in report
        assert "Meanings from the key on sheet 'RAG key'" in report
        assert "- Red: Not started / off track → Not started" in report
        assert "A colour is not a date" in report

    def test_report_never_quotes_free_text(self, northshire):
        report = (northshire[1] / "INIT-REPORT.md").read_text()
        assert "FREETEXT" not in report and "FREETEXT" not in northshire[2]

    def test_same_tracker_same_bytes(self, northshire, tmp_path):
        tracker, out, _ = northshire
        again = tmp_path / "again"
        assert (
            main(["init", "--tracker", str(tracker), "--name", NORTHSHIRE, "--out", str(again)])
            == 0
        )
        for name in ("partnership.yaml", "taxonomy.yaml", "INIT-REPORT.md"):
            assert (again / name).read_bytes() == (out / name).read_bytes()

    def test_an_optional_area_is_only_required_as_a_column(self, northshire):
        params = SuiteParameters(
            date(2020, 4, 1), date(2021, 3, 31), taxonomy=load_taxonomy(northshire[1])
        )
        built = check_by_id("clean.area_of_learning.recorded").built(params)
        assert [e.expectation_type for e in built] == ["expect_column_to_exist"]


class TestOtherShapes:
    def test_semicolon_csv_with_free_text_statuses(self, tmp_path):
        draft = draft_configuration(westvale_tracker(tmp_path / "w.csv"))
        assert draft.columns == {}  # every header is one the schema knows
        assert draft.header.fields["progress_notes"] == "Comments"
        assert [e.name for e in draft.statuses] == [
            "Not started",
            "In progress",
            "Completed",
            "Awaiting evidence",
        ]
        assert draft.rag.source.startswith("the common convention")
        assert not draft.named

    def test_sources_sheet_gives_the_types(self, tmp_path):
        draft = draft_configuration(eastmere_tracker(tmp_path / "e.xlsx"))
        assert draft.sources_sheet == "Reviews"
        assert [e["name"] for e in draft.vocabularies["source_types"].entries] == [
            "LCSPR",
            "Multi-agency audit",
            "SAR",
        ]
        assert draft.header.ignored == ()  # Priority is the priority, drafted as written
        assert draft.vocabularies["priorities"].entries == [{"name": "High", "aliases": []}]
        assert [e["name"] for e in draft.vocabularies["areas_of_learning"].entries] == [
            "Policy and procedure",
            "Record keeping",
            "Supervision",
        ]


class TestRefusals:
    def test_a_used_folder_is_not_overwritten(self, tmp_path, capsys):
        tracker = westvale_tracker(tmp_path / "w.csv")
        out = tmp_path / "config"
        out.mkdir()
        (out / "notes.txt").write_text("mine")
        assert main(["init", "--tracker", str(tracker), "--out", str(out)]) == 2
        assert "folder is not empty" in capsys.readouterr().err
        assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
        assert main(["init", "--tracker", str(tracker), "--out", str(out), "--force"]) == 0
        assert (out / "taxonomy.yaml").is_file()

    def test_an_unreadable_tracker_gets_the_readers_message(self, tmp_path, capsys):
        tracker = write_xlsx(tmp_path / "t.xlsx", {"Notes": [["Rec No", "Review", "Agreed"]]})
        assert main(["init", "--tracker", str(tracker), "--out", str(tmp_path / "c")]) == 2
        assert "file t.xlsx" in capsys.readouterr().err
        assert not (tmp_path / "c").exists()

    def test_a_missing_tracker(self, tmp_path, capsys):
        assert main(["init", "--tracker", str(tmp_path / "no.xlsx"), "--out", str(tmp_path)]) == 2
        assert "file not found" in capsys.readouterr().err
