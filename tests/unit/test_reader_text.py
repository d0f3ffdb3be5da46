"""What a board member reads besides the figures: the partnership's public contacts (published
as written, and only they), abbreviations written out and listed, the analyst's interpretation
and the plain-English data quality."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from impact_review.bundle.contacts import NO_CONTACTS, contact_from, contacts_passage
from impact_review.bundle.data_quality import rows_sentence, status_sentence
from impact_review.bundle.glossary import (
    Term,
    expand_first_uses,
    glossary_table,
    glossary_terms,
    terms_used,
)
from impact_review.bundle.narrative import (
    NOT_WRITTEN,
    published_contact_values,
    write_narrative,
)
from impact_review.errors import InputError
from impact_review.intake.processed import RowCounts
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.publish.safety import scan_rendered, scan_tracker_text

SPOA = {
    "organisation": "Northshire County Council",
    "role": "Single Point of Advice (SPoA)",
    "about": "if you think a child is at risk of harm",
    "hours": "Monday to Friday, 9am to 5pm",
    "phone": "01632 960000",
    "email": "spoa@northshire.example.org",
}
NARRATIVE = """---
partnership: Northshire Safeguarding Children Partnership
contacts:
  - organisation: Northshire County Council
    role: Single Point of Advice (SPoA)
    phone: 01632 960000
    email: spoa@northshire.example.org
  - organisation: Northshire Safeguarding Children Partnership
    role: Procedures manual
    url: https://northshire.example.org/procedures
---

## Aims

To know what changed.

## Recommendations by agency

Health's share reflects its many teams.
"""


class TestContacts:
    def test_a_contact_is_written_with_working_links(self):
        text = contacts_passage((contact_from(SPOA, 1, Path("n.md")),))
        assert text.startswith("- **Single Point of Advice \\(SPoA\\)** (Northshire County")
        assert "Open Monday to Friday\\, 9am to 5pm" in text
        assert "[01632 960000](tel:+441632960000)" in text
        assert "[spoa\\@northshire\\.example\\.org](mailto:spoa@northshire.example.org)" in text

    def test_several_numbers_and_a_web_address(self):
        entry = {
            "organisation": "X",
            "phone": ["01632 960001", "01632 960002"],
            "url": "https://x.example/a",
        }
        text = contacts_passage((contact_from(entry, 1, Path("n.md")),))
        assert (
            "Phone [01632 960001](tel:+441632960001) or [01632 960002](tel:+441632960002)" in text
        )
        assert text.startswith("- **[X](https://x.example/a)**") and "<https://x.example/a>" in text

    @pytest.mark.parametrize(
        ("entry", "said"),
        [
            ({"role": "SPoA"}, "a contact needs its organisation"),
            ({"organisation": "X", "fax": "1"}, "unknown field(s) fax"),
            ({"organisation": "X", "phone": "call us"}, "'call us' is not a phone number"),
            ({"organisation": "X", "email": "nobody"}, "'nobody' is not an email address"),
            ({"organisation": "X", "url": "javascript:alert(1)"}, "is not a web address"),
            ("just text", "each contact is a mapping"),
        ],
        ids=["no organisation", "unknown field", "phone", "email", "url", "not a mapping"],
    )
    def test_a_contact_that_cannot_be_published_as_given_is_refused_where_it_is(self, entry, said):
        with pytest.raises(InputError) as raised:
            contact_from(entry, 3, Path("/data/narrative-2019-20.md"))
        assert str(raised.value).startswith("file narrative-2019-20.md: contacts entry 3: ")
        assert said in str(raised.value)

    def test_no_contacts_says_so(self):
        assert contacts_passage(()) == NO_CONTACTS
        assert "declares no contacts" in NO_CONTACTS


class TestOnlyDeclaredContactsArePublished:
    @pytest.fixture
    def narrative(self, tmp_path) -> Path:
        path = tmp_path / "narrative.md"
        path.write_text(NARRATIVE, encoding="utf-8")
        return path

    def test_the_declared_values_are_what_the_contacts_publish(self, narrative):
        assert published_contact_values(narrative) == (
            "01632 960000",
            "spoa@northshire.example.org",
            "https://northshire.example.org/procedures",
        )

    def test_the_rendered_review_may_print_them_and_nothing_else(self, narrative, tmp_path):
        page = tmp_path / "report.html"
        page.write_text(
            "<p>Call 01632\n960000 or write to SPOA@northshire.example.org.</p>"
            "<p>Or call our worker on 07700 900123.</p>",
            encoding="utf-8",
        )
        declared = published_contact_values(narrative)
        assert scan_rendered([page], published=declared) == [("report.html", "phone")]
        assert sorted(scan_rendered([page])) == [
            ("report.html", "email"),
            ("report.html", "phone"),
            ("report.html", "phone"),
        ]

    def test_a_declared_number_in_tracker_text_is_still_personal_data(self):
        frame = pd.DataFrame(
            {"rec_id": ["R1"], "recommendation": ["Ring the family on 01632 960000."]}
        ).reindex(columns=["rec_id", "recommendation", "action", "lead", "progress_notes"])
        found = scan_tracker_text(frame)
        assert [(f.rec_id, f.column, f.kind) for f in found] == [("R1", "recommendation", "phone")]


class TestNarrativeSections:
    def test_interpretation_aims_and_what_is_not_written(self, tmp_path):
        path = tmp_path / "narrative.md"
        path.write_text(NARRATIVE, encoding="utf-8")
        folder = tmp_path / "narrative"
        write_narrative(path, folder)

        def section(slug: str) -> str:
            return (folder / f"{slug}.md").read_text(encoding="utf-8")

        assert section("aims") == "To know what changed.\n"
        assert section("recommendations-by-agency") == (
            "::: {.callout-note}\n## The analyst's interpretation\n\n"
            "Health's share reflects its many teams.\n:::\n"
        )
        assert section("implementation") == ""  # an interpretation is optional
        assert section("method") == ""
        assert section("recommendations-for-improvement") == NOT_WRITTEN
        contacts = section("contacts")
        assert "(tel:+441632960000)" in contacts and "(https://northshire.example.org/" in contacts


class TestGlossary:
    def test_the_samples_terms_come_from_its_agencies_source_types_and_list(self):
        terms = {term.term: term.meaning for term in glossary_terms(default_taxonomy())}
        assert terms["ESHT"] == "East Sussex Healthcare NHS Trust"
        assert terms["CSC"] == "Children's Social Care"
        assert (
            terms["SCR"] == "Serious Case Review" and terms["IMR"] == "Individual Management Review"
        )
        assert terms["SPoA"] == "Single Point of Advice" and terms["MARAC"]
        assert "Education" not in terms and "Police" not in terms
        assert terms["GP"] == "general practitioner" and "GPs" not in terms  # a name holds it
        assert terms["LSCB"] == "Local Safeguarding Children Board"

    def test_each_term_is_written_in_full_at_its_first_use_in_prose_only(self):
        """Not in headings, tables or shortcodes; a link's words are prose, its target is not."""
        terms = [Term("SCR", "Serious Case Review"), Term("DSL", "designated safeguarding lead")]
        texts = [
            "## The SCR findings\n\n| SCR | 4 |\n\n{{< var sources.SCR >}} and [SCR](https://x/SCR)",
            "Four SCRs were published; each SCR had a DSL.",
            "The DSL network.",
        ]
        assert expand_first_uses(texts, terms) == [
            texts[0].replace("[SCR]", "[Serious Case Review (SCR)]"),
            "Four SCRs were published; each SCR had a designated safeguarding lead (DSL).",
            "The DSL network.",
        ]

    def test_a_term_already_written_in_full_is_left_alone(self):
        terms = [Term("SPoA", "Single Point of Advice")]
        texts = ["Call the Single Point of Advice \\(SPoA\\).", "The SPoA is open."]
        assert expand_first_uses(texts, terms) == texts
        assert expand_first_uses(["The SPoA is open."], terms, done={"SPoA"}) == [
            "The SPoA is open."
        ]

    def test_the_glossary_lists_the_terms_used_anywhere(self):
        terms = [Term("ESHT", "East Sussex Healthcare NHS Trust"), Term("MARAC", "x")]
        used = terms_used(["| ESHT | 24 |"], terms)
        assert used == [terms[0]]
        table = glossary_table(used)
        assert "| Abbreviation | Meaning |" in table
        assert "| ESHT | East Sussex Healthcare NHS Trust |" in table
        assert 'aria-label="Abbreviations used in this review"' in table
        assert glossary_table([]) == "The review uses no abbreviation that needs explaining.\n"


class TestDataQualityInPlainWords:
    def test_the_row_counts_add_up_in_one_sentence(self):
        clean = type("Clean", (), {"counts": RowCounts(178, 25, 6, 147)})()
        assert rows_sentence(clean) == (
            "The tracker has 178 rows below its header row: 25 blank and 153 recommendations. 6 "
            "of those were agreed outside the period, so 147 are analysed in this review."
        )

    def test_a_reader_is_told_which_status_counts_as_completed_and_how_colours_are_read(self):
        assert status_sentence(default_taxonomy()) == (
            "A recommendation counts as completed when its status is Completed. A colour typed "
            'as a status is read as a status: "Amber" as In progress, "Green" and "Blue" as '
            'Completed and "Red" as Off track.'
        )


def test_a_number_in_a_table_cell_beside_a_count_is_still_found(tmp_path):
    """Cells are read apart: joined, '07700 900123' and a count of 5 in the next cell would read
    as one longer number, which is no phone number. Inline markup still reads as one line."""
    page = tmp_path / "report.html"
    page.write_text(
        "<table><tr><td>07700 900123</td><td>5</td></tr></table>"
        "<p>Call 07700 <b>900123</b> today.</p>",
        encoding="utf-8",
    )
    assert scan_rendered([page]) == [("report.html", "phone"), ("report.html", "phone")]


def test_a_first_name_running_into_the_reviews_own_heading_is_not_a_persons_name():
    """In a PDF's text the register's last RAG ("Amber", also a first name) runs into the
    next heading; the review's headings are its own words. A real name is still found."""
    from impact_review.publish.pii import find_personal_data

    assert find_personal_data("Not recorded\nAmber\nAppendix: data quality in detail\n") == []
    assert [f.kind for f in find_personal_data("Amber\nSmith called on Tuesday.")] == [
        "person_name"
    ]


def test_the_reading_order_follows_includes_as_the_renderers_read_them(tmp_path):
    """Nested includes in place, each file once; an escaped shortcode includes nothing."""
    from impact_review.bundle.glossary import reading_order

    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.md").write_text("{{< include text/b.md >}}\n", encoding="utf-8")
    (tmp_path / "text" / "b.md").write_text("B\n", encoding="utf-8")
    (tmp_path / "text" / "c.md").write_text("C\n", encoding="utf-8")
    report = tmp_path / "report.qmd"
    report.write_text(
        "{{< include text/a.md >}}\n\n{{{< include text/c.md >}}}\n\n"
        "{{< include text/c.md >}}\n\n{{< include text/b.md >}}\n",
        encoding="utf-8",
    )
    assert [p.name for p in reading_order(report)] == ["a.md", "b.md", "c.md"]
