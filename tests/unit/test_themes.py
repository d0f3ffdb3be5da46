"""Themes by precedence (override, then the tracker's cell, then keyword rules), on recommendations
written by hand, and the rules and overrides files refused with the file and the entry named."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import NORTHSHIRE_TAXONOMY, write_partnership_config, write_xlsx

from impact_review.errors import InputError
from impact_review.intake.cleaning import clean_tracker
from impact_review.intake.taxonomy import Taxonomy, ThemeRule, load_taxonomy
from impact_review.intake.themes import (
    ThemeOverride,
    assign_themes,
    load_theme_overrides,
    unapplied_overrides,
)
from impact_review.intake.tracker import read_tracker
from impact_review.partnership import THEME_OVERRIDES_FILE
from impact_review.period import Period

THEMES = """themes:
  - name: Neglect
    definition: Persistent failure to meet a child's basic needs.
    aliases: [neglect]
    rules:
      - name: neglect
        any: [neglect, unmet needs]
      - name: home-conditions
        all: [home, conditions]
        not: [care home]
  - name: Exploitation
    definition: Children drawn into crime or abuse by others for their gain.
    aliases: [exploitation, cce, cse]
    rules:
      - name: county-lines
        any: [county lines]
      - name: cse
        any: [cse, sexual exploitation]
  - name: Large families
    definition: Households with many children.
    aliases: [large families]
    rules:
      - name: large-family
        all: [large, famil*]
"""
NORTHSHIRE_THEMES = NORTHSHIRE_TAXONOMY[
    NORTHSHIRE_TAXONOMY.index("themes:") : NORTHSHIRE_TAXONOMY.index("statuses:")
]


def config(tmp_path: Path, themes: str = THEMES, extra: str = "") -> Path:
    """A Northshire configuration folder with the given themes: section."""
    text = NORTHSHIRE_TAXONOMY.replace(NORTHSHIRE_THEMES, themes) + extra
    return write_partnership_config(tmp_path / "config", text)


@pytest.fixture
def taxonomy(tmp_path) -> Taxonomy:
    return load_taxonomy(config(tmp_path))


def recs(*rows: tuple[str, str, str] | tuple[str, str, str, str]) -> pd.DataFrame:
    """(rec_id, themes as cleaned, recommendation[, action]) rows."""
    return pd.DataFrame(
        [(*r, None) if len(r) == 3 else r for r in rows],
        columns=["rec_id", "themes", "recommendation", "action"],
    )


def tagged(taxonomy: Taxonomy, *texts: str) -> list[str]:
    """The themes the rules give each text, on a blank theme cell."""
    frame = recs(*((f"R{n}", "", text) for n, text in enumerate(texts)))
    return assign_themes(frame, taxonomy, {})["themes"].tolist()


class TestLoadRules:
    def test_each_themes_rules_in_order_with_terms_normalised(self, taxonomy):
        assert taxonomy.theme_rules == (
            ThemeRule("Neglect", "neglect", ("neglect", "unmet needs")),
            ThemeRule("Neglect", "home-conditions", (), ("home", "conditions"), ("care home",)),
            ThemeRule("Exploitation", "county-lines", ("county lines",)),
            ThemeRule("Exploitation", "cse", ("cse", "sexual exploitation")),
            ThemeRule("Large families", "large-family", (), ("large", "famil*")),
        )
        assert taxonomy.theme_rule_columns == ("recommendation", "action")

    def test_a_theme_needs_no_rules(self, tmp_path):
        assert load_taxonomy(config(tmp_path, NORTHSHIRE_THEMES)).theme_rules == ()

    @pytest.mark.parametrize(
        ("rule", "message"),
        [
            ("\n      - any: [neglect]", "theme 'Neglect', rule 1 needs a name:"),
            ("\n      - name: n\n        not: [x]", "theme 'Neglect', rule 'n' needs any: or all:"),
            (
                "\n      - name: n\n        any: neglect",
                "theme 'Neglect', rule 'n': any: must be a list",
            ),
            (
                "\n      - name: n\n        anyof: [neglect]",
                "theme 'Neglect', rule 'n': unknown key(s) anyof (a rule has name, any, all, not)",
            ),
            (
                "\n      - name: n\n        all: ['&']",
                "theme 'Neglect', rule 'n': all: has a term with no",
            ),
            (
                "\n      - {name: n, any: [a]}\n      - {name: n, any: [b]}",
                "theme 'Neglect', rule 'n' is named twice",
            ),
            (" neglect", "theme 'Neglect': rules: must be a list of rules"),
        ],
    )
    def test_a_malformed_rule_is_refused_naming_the_file_theme_and_rule(
        self, tmp_path, rule, message
    ):
        block = THEMES[THEMES.index("    rules:") : THEMES.index("  - name: Exploitation")]
        themes = THEMES.replace(block, f"    rules:{rule}\n")
        with pytest.raises(InputError) as exc:
            load_taxonomy(config(tmp_path, themes))
        assert str(exc.value).startswith(f"file taxonomy.yaml: {message}")

    def test_rules_read_only_columns_the_tracker_has(self, tmp_path):
        with pytest.raises(InputError, match="theme_rule_columns: notes is not a column"):
            load_taxonomy(config(tmp_path, extra="theme_rule_columns: [recommendation, notes]\n"))


class TestRuleKinds:
    def test_any_fires_on_one_of_its_terms(self, taxonomy):
        assert tagged(taxonomy, "Address unmet needs.", "Review county lines.", "Train staff.") == [
            "Neglect",
            "Exploitation",
            "",
        ]

    def test_all_needs_every_term_anywhere_in_the_text(self, taxonomy):
        assert tagged(
            taxonomy,
            "Support the large family.",
            "Families that are large need a lead.",
            "A large caseload.",
            "Family support.",
        ) == ["Large families", "Large families", "", ""]

    def test_not_excludes(self, taxonomy):
        assert tagged(taxonomy, "Check home conditions.", "Check conditions in the care home.") == [
            "Neglect",
            "",
        ]

    def test_whole_words_only(self, taxonomy):
        # "neglectful" is not "neglect"; "cse" is not inside "processes".
        assert tagged(taxonomy, "A neglectful carer.", "Review processes.") == ["", ""]

    def test_a_star_matches_any_word_it_begins(self, taxonomy):
        assert tagged(taxonomy, "Large families' plans.", "A large familiar face.") == [
            "Large families",
            "Large families",
        ]

    def test_case_punctuation_and_apostrophes_are_ignored(self, tmp_path):
        themes = THEMES.replace("any: [neglect, unmet needs]", "any: [child's daily life]")
        taxonomy = load_taxonomy(config(tmp_path, themes))
        assert tagged(
            taxonomy, "See the CHILD\u2019S DAILY-LIFE.", "childs daily life", "child daily life"
        ) == ["Neglect", "Neglect", ""]

    def test_the_action_is_read_too_and_several_themes_come_in_taxonomy_order(self, taxonomy):
        frame = recs(("R1", "", "Review CSE cases.", "Check home conditions."))
        assert assign_themes(frame, taxonomy, {})["themes"].tolist() == ["Neglect; Exploitation"]


class TestPrecedence:
    @pytest.fixture
    def assigned(self, taxonomy):
        frame = recs(
            ("O1", "Neglect", "Review CSE cases."),  # override beats tracker and rule
            ("O2", "Neglect", "Address unmet needs."),  # an empty override: no theme
            ("T1", "Exploitation", "Address unmet needs."),  # the tracker beats the rule
            ("R1", "", "Address unmet needs and CSE; check home conditions."),
            ("N1", None, "Train staff."),
        )
        overrides = {
            "O1": ThemeOverride(("Large families",), "agreed at the subgroup"),
            "O2": ThemeOverride(()),
        }
        return assign_themes(frame, taxonomy, overrides).set_index("rec_id")

    def test_themes_follow_override_then_tracker_then_rules(self, assigned):
        assert assigned["themes"].to_dict() == {
            "O1": "Large families",
            "O2": "",
            "T1": "Exploitation",
            "R1": "Neglect; Exploitation",
            "N1": "",
        }

    def test_where_each_came_from_is_recorded(self, assigned):
        assert assigned["theme_source"].to_dict() == {
            "O1": "override",
            "O2": "override",
            "T1": "tracker",
            "R1": "rule",
            "N1": "none",
        }

    def test_the_rules_that_fired_are_named_only_for_themes_from_rules(self, assigned):
        assert assigned["theme_rules"].to_dict() == {
            "O1": "",
            "O2": "",
            "T1": "",
            "R1": "Neglect: neglect, home-conditions; Exploitation: cse",
            "N1": "",
        }


class TestOverrides:
    def write(self, tmp_path: Path, text: str) -> Path:
        folder = config(tmp_path)
        (folder / THEME_OVERRIDES_FILE).write_text(text, encoding="utf-8")
        return folder

    def test_none_without_the_file(self, tmp_path, taxonomy):
        assert load_theme_overrides(tmp_path, taxonomy.themes) == {}

    def test_aliases_become_canonical_and_an_empty_list_means_no_theme(self, tmp_path, taxonomy):
        folder = self.write(
            tmp_path,
            "overrides:\n"
            "  R-1: {themes: [CSE, neglect], reason: The review's own finding}\n"
            "  R-2: {themes: []}\n"
            "  12: [neglect]\n",
        )
        assert load_theme_overrides(folder, taxonomy.themes) == {
            "R-1": ThemeOverride(("Neglect", "Exploitation"), "The review's own finding"),
            "R-2": ThemeOverride(()),
            "12": ThemeOverride(("Neglect",)),
        }

    def test_every_unknown_theme_and_malformed_entry_is_named(self, tmp_path, taxonomy):
        folder = self.write(
            tmp_path,
            "overrides:\n"
            "  R-1: {themes: [Neglekt, CSE]}\n"
            "  R-2: {theme: [Neglect]}\n"
            "  R-3: Neglect\n",
        )
        with pytest.raises(InputError) as exc:
            load_theme_overrides(folder, taxonomy.themes)
        assert str(exc.value) == (
            f"file {THEME_OVERRIDES_FILE}: "
            "overrides: R-1: not in the themes of the taxonomy: Neglekt\n"
            "  overrides: R-2: needs themes: (a list of themes, [] for none) and may have reason:\n"
            "  overrides: R-3: needs themes: (a list of themes, [] for none) and may have reason:"
        )

    def test_a_file_without_overrides_is_refused(self, tmp_path, taxonomy):
        folder = self.write(tmp_path, "- R-1\n")
        with pytest.raises(InputError, match=f"file {THEME_OVERRIDES_FILE}: needs overrides:"):
            load_theme_overrides(folder, taxonomy.themes)

    def test_references_the_tracker_lacks_are_reported(self):
        overrides = {"R-1": ThemeOverride(()), "Z-9": ThemeOverride(()), "A-0": ThemeOverride(())}
        assert unapplied_overrides(overrides, pd.Series(["R-1", "R-2", None])) == [
            f"{THEME_OVERRIDES_FILE} names 2 reference(s) the tracker does not hold, so their "
            "themes were not applied: A-0, Z-9"
        ]
        assert unapplied_overrides({"R-1": ThemeOverride(())}, pd.Series(["R-1"])) == []


class TestCleaning:
    def test_cleaning_applies_the_folders_overrides_and_reports_unknown_references(self, tmp_path):
        folder = config(tmp_path)
        (folder / THEME_OVERRIDES_FILE).write_text(
            "overrides:\n  R2: [Neglect]\n  R9: []\n", encoding="utf-8"
        )
        header = [
            "Ref",
            "Source",
            "Source type",
            "Agency",
            "Recommendation",
            "Date agreed",
            "Theme",
        ]
        rows = [
            header,
            ["R1", "Audit A", "audit", "police", "Review CSE cases.", "01/06/2016", ""],
            ["R2", "Audit A", "audit", "police", "Review CSE cases.", "01/06/2016", "CSE"],
            ["R3", "Audit A", "audit", "police", "Train staff.", "01/06/2016", "cce"],
            ["R4", "Audit A", "audit", "police", "Train staff.", "01/06/2016", None],
        ]
        tracker = write_xlsx(tmp_path / "t.xlsx", {"S": rows})
        period = Period(pd.Timestamp("2016-04-01").date(), pd.Timestamp("2017-03-31").date(), "p")
        taxonomy = load_taxonomy(folder)
        result = clean_tracker(read_tracker(tracker, taxonomy=taxonomy), period, taxonomy)
        got = result.recommendations.set_index("rec_id")
        assert got[["themes", "theme_source", "theme_rules"]].to_dict("index") == {
            "R1": {
                "themes": "Exploitation",
                "theme_source": "rule",
                "theme_rules": "Exploitation: cse",
            },
            "R2": {"themes": "Neglect", "theme_source": "override", "theme_rules": ""},
            "R3": {"themes": "Exploitation", "theme_source": "tracker", "theme_rules": ""},
            "R4": {"themes": "", "theme_source": "none", "theme_rules": ""},
        }
        assert any(
            "names 1 reference(s)" in note and note.endswith(": R9") for note in result.notes
        )
