from pathlib import Path

import pytest
import yaml

from impact_review.intake.taxonomy import (
    build_vocabulary,
    default_taxonomy,
    edit_distance,
    load_taxonomy,
    normalise_key,
)


class TestNormaliseKey:
    def test_case_space_and_punctuation(self):
        assert normalise_key("  East  Sussex\u00a0LSCB ") == "east sussex lscb"
        assert normalise_key("Children’s Services – Education") == "childrens services education"
        assert normalise_key("Policy & procedure") == "policy procedure"


class TestAliases:
    @pytest.mark.parametrize(
        ("typed", "canonical"),
        [
            ("ESHT", "East Sussex Healthcare NHS Trust"),
            ("east sussex healthcare nhs trust\u00a0", "East Sussex Healthcare NHS Trust"),
            (" CSC", "Children's Social Care"),
            ("Education", "East Sussex Children's Services – Education"),
            ("ESCC Education", "East Sussex Children's Services – Education"),
            ("Children's Services - Education", "East Sussex Children's Services – Education"),
            ("East Sussex LSCB", "LSCB"),
            ("SPFT", "Sussex Partnership NHS FT"),
        ],
    )
    def test_agency_spellings_map_to_one_name(self, typed, canonical):
        assert default_taxonomy().agencies.map(typed) == canonical

    def test_unknown_value_maps_to_nothing(self):
        assert default_taxonomy().agencies.map("ESHT Trsut") is None
        assert default_taxonomy().agencies.map("Other") is None

    def test_required_vocabulary_is_present(self):
        taxonomy = default_taxonomy()
        assert {"SCR", "IMR", "QA audit", "LCSPR", "Rapid review", "National review"} <= set(
            taxonomy.source_types.names
        )
        assert {
            "Policy and procedure",
            "Training and skills",
            "Assessment",
            "Information sharing",
            "Multi-agency working",
            "Supervision and management oversight",
            "Voice of the child",
            "Record keeping",
            "Escalation",
        } <= set(taxonomy.areas.names)
        assert {
            "Child's lived experience",
            "Domestic abuse",
            "Hidden children",
            "Safeguarding practice in schools",
            "Working with large families",
        } <= set(taxonomy.themes.names)
        for entry in taxonomy.themes.entries:
            assert entry["definition"]
        assert len(taxonomy.agencies.names) >= 15

    def test_an_alias_claimed_twice_is_an_error(self, tmp_path: Path):
        data = yaml.safe_load(default_taxonomy().source_file.read_text(encoding="utf-8"))
        data["agencies"][1]["aliases"].append("csc")
        broken = tmp_path / "taxonomy.yaml"
        broken.write_text(yaml.safe_dump(data), encoding="utf-8")
        with pytest.raises(ValueError, match="maps to both"):
            load_taxonomy(broken)


class TestDomainRules:
    """Rules the code once hard-coded, now read from the taxonomy file."""

    def test_schema_is_derived_from_the_columns(self):
        taxonomy = default_taxonomy()
        assert taxonomy.date_fields == ("date_agreed", "due_date", "date_completed")
        assert set(taxonomy.free_text_fields) == {
            "recommendation",
            "action",
            "lead",
            "evidence_of_completion",
            "evidence_of_impact",
            "progress_notes",
            "desired_outcome",
        }
        assert taxonomy.mandatory_fields == (
            "rec_id",
            "source_name",
            "agency",
            "area_of_learning",
            "recommendation",
            "date_agreed",
        )
        assert taxonomy.sheet_given_fields == frozenset({"source_type"})
        assert taxonomy.fields[0] == "rec_id" and len(taxonomy.fields) == 18

    def test_statuses_say_which_are_closed_and_which_implemented(self):
        taxonomy = default_taxonomy()
        assert taxonomy.closed_statuses == ("Completed", "Closed – not implemented", "Superseded")
        assert taxonomy.implemented_status == "Completed"

    def test_source_types_say_how_they_are_written(self):
        taxonomy = default_taxonomy()
        scr = taxonomy.source_type_wording("SCR")
        assert (scr.singular, scr.plural, scr.name_suffix) == ("SCR", "SCRs", "SCR")
        rapid = taxonomy.source_type_wording("Rapid review")
        assert (rapid.singular, rapid.plural, rapid.name_suffix) == (
            "rapid review",
            "rapid reviews",
            None,
        )
        assert taxonomy.list_separator == "; "

    def test_every_source_type_has_its_wording(self):
        taxonomy = default_taxonomy()
        for name in taxonomy.source_types.names:
            assert taxonomy.source_type_wording(name).plural


class TestEditDistance:
    @pytest.mark.parametrize(
        ("a", "b", "distance"),
        [
            ("police", "police", 0),
            ("polce", "police", 1),  # a letter left out
            ("trsut", "trust", 1),  # two neighbours swapped
            ("csc", "asc", 1),
            ("northshire", "southshire", 2),
            ("", "abc", 3),
        ],
    )
    def test_counts_slips(self, a, b, distance):
        assert edit_distance(a, b) == distance == edit_distance(b, a)


def vocabulary(*names: str):
    """Agencies with the given names, suggested under the schema's rule."""
    rule = default_taxonomy().agencies.suggestions
    return build_vocabulary("agencies", [{"name": name} for name in names], rule)


class TestSuggest:
    """'Did you mean' only for a close spelling of the same organisation."""

    @pytest.mark.parametrize(
        ("typed", "offered"),
        [
            ("Northshire Polise", "Northshire Police"),
            ("northshire  police.", "Northshire Police"),
            ("Northshre Police", "Northshire Police"),
            ("Northshire ICB", "NHS Northshire ICB"),
            ("Northshire Polices", "Northshire Police"),
        ],
    )
    def test_a_close_spelling_of_the_same_organisation_is_offered(self, typed, offered):
        agencies = vocabulary("Northshire Police", "NHS Northshire ICB", "Northshire Council")
        assert agencies.suggest(typed) == offered

    @pytest.mark.parametrize(
        ("typed", "known"),
        [
            ("Northshire Police", "NHS Northshire ICB"),
            ("NHS Northshire ICB", "Northshire Police"),
            ("Northshire Council", "Northshire Police"),
            ("Northshire County Police", "Northshire County Council"),
            ("Northshire County Council", "Northshire County Police"),
            ("Southshire Council", "Northshire Council"),
            ("Adult social care", "Children's social care"),
            ("Children's social care", "Adult social care"),
            ("ASC", "CSC"),
            ("Northshire Police Cadets", "Northshire Police"),
        ],
    )
    def test_a_different_organisation_is_never_offered(self, typed, known):
        assert vocabulary(known).suggest(typed) is None

    def test_a_distant_spelling_gets_nothing(self):
        assert default_taxonomy().agencies.suggest("ESHT Trsut") is None
        assert default_taxonomy().agencies.suggest("Sussex Polce") == "Sussex Police"
