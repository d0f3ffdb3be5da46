from pathlib import Path

import pytest
import yaml

from impact_review.intake.taxonomy import default_taxonomy, load_taxonomy, normalise_key


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
            assert entry["definition"] and entry["keywords"]
        assert len(taxonomy.agencies.names) >= 15

    def test_an_alias_claimed_twice_is_an_error(self, tmp_path: Path):
        data = yaml.safe_load(default_taxonomy().source_file.read_text(encoding="utf-8"))
        data["agencies"][1]["aliases"].append("csc")
        broken = tmp_path / "taxonomy.yaml"
        broken.write_text(yaml.safe_dump(data), encoding="utf-8")
        with pytest.raises(ValueError, match="maps to both"):
            load_taxonomy(broken)
