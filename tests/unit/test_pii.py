"""The personal-data scan: it must catch what would identify a person and pass tracker prose."""

import hashlib
import random
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.gb import nhs

from impact_review.errors import ValidationFailed
from impact_review.exports import write_csv
from impact_review.intake.taxonomy import default_taxonomy
from impact_review.paths import FIRST_NAMES_FILE, PII_ALLOW_FILE
from impact_review.publish.pii import (
    ASCII_SPACE,
    TITLES,
    Finding,
    FrameFinding,
    PiiKind,
    could_hold_personal_data,
    find_personal_data,
    kinds_found,
    kinds_in_texts,
    listed_lines,
    load_pii_rules,
    mask_generated_tokens,
    scan_frame,
)
from impact_review.publish.safety import (
    csv_cells,
    mask_published,
    masked_texts,
    raise_for_personal_data,
    scan_rendered,
)

# Built from the committed files only, so a restricted deny-list on this machine changes nothing.
RULES = load_pii_rules(default_taxonomy(), PII_ALLOW_FILE, None)
DENIED_SURNAME = "Blakemore"


@pytest.fixture
def deny_rules(tmp_path: Path):
    deny_file = tmp_path / "deny-names.txt"
    deny_file.write_text(f"# real names, restricted\n\n{DENIED_SURNAME}\nKayden Troy\n", "utf-8")
    return load_pii_rules(default_taxonomy(), PII_ALLOW_FILE, deny_file)


def found(text: str, rules=RULES) -> list[tuple[str, str]]:
    """Each finding as (kind, the text it covers), for readable assertions."""
    return [(f.kind, text[f.start : f.end]) for f in find_personal_data(text, rules)]


# (kind, planted value, tracker prose holding it)
MUST_FLAG = [
    ("nhs_number", "999 000 0018", "GP record for NHS no. 999 000 0018 was shared with CSC."),
    ("nhs_number", "9990000018", "Health visitor checked 9990000018 against the birth record."),
    ("ni_number", "AB 12 34 56 C", "Father's NI number AB 12 34 56 C was on the DWP letter."),
    ("ni_number", "ab123456c", "Benefits check used ab123456c before the strategy meeting."),
    ("postcode", "BN1 1AA", "The family moved to BN1 1AA in the summer holidays."),
    ("postcode", "TN34 1QR", "School nurse visited the home at TN34 1QR in June."),
    ("postcode", "GIR 0AA", "Letters were wrongly addressed to GIR 0AA in 2016."),
    ("postcode", "bn21 4ud", "Refuge placement in bn21 4ud was not shared with Early Help."),
    ("phone", "07700 900123", "Mother can be reached on 07700 900123 after 3pm."),
    ("phone", "01323 464222", "SPoA confirmed the referral by calling 01323 464222."),
    ("phone", "+44 7700 900123", "The foster carer's number (+44 7700 900123) was recorded."),
    ("phone", "(01273) 335905", "Out of hours, EDS was called on (01273) 335905."),
    ("phone", "015396 21234", "Grandparents in Cumbria gave 015396 21234 to the SW."),
    ("phone", "0117-496-0123", "Bristol placement: 0117-496-0123, out of area."),
    ("phone", "020 7946 0018", "The London team gave 020 7946 0018 as a contact."),
    ("phone", "01273 481 000", "The duty desk is on 01273 481 000 in office hours."),
    ("nhs_number", "943-476-5919", "The hospital letter quoted 943-476-5919 for the baby."),
    ("email", "a@b.org", "Evidence emailed to a@b.org by the Named Nurse."),
    ("email", "j.smith@nhs.net", "Action owner: j.smith@nhs.net, due March 2018."),
    ("date_of_birth", "01/02/2012", "Child S, DOB 01/02/2012, was not seen by the GP."),
    ("date_of_birth", "3 March 2011", "Sibling B was born on 3 March 2011 at the Conquest."),
    ("date_of_birth", "14.05.09", "Young person (d.o.b. 14.05.09) attended the CP conference."),
    ("date_of_birth", "2010-07-21", "Date of birth recorded as 2010-07-21 on the IMR."),
    ("date_of_birth", "01/02/2012", "Referral gave 01/02/2012 (DOB) for the younger child."),
    ("person_name", "Sarah Jones", "Sarah Jones attended the core group on behalf of school."),
    ("person_name", "Mrs Patel", "Mrs Patel raised concerns with the Head Teacher in 2016."),
    ("person_name", "Grace Smith", "Grace Smith was the allocated social worker."),
    ("person_name", "Mr J. Kowalski", "The school wrote to Mr J. Kowalski about attendance."),
    ("person_name", "Mrs Sarah O'Brien", "Mrs Sarah O'Brien disclosed domestic abuse to the GP."),
    ("person_name", "Zoë Smith-Jones", "Zoë Smith-Jones was not invited to the strategy meeting."),
    ("person_name", "Mrs May", "Mrs May attended the review of the child protection plan."),
    ("person_name", "J. Smith", "Action owner: J. Smith (Team Manager)."),
    ("person_name", "T Williams", "Audit of 20 case files completed by T Williams."),
    ("person_name", "Sarah\nJones", "The plan was agreed with Sarah\nJones at the meeting."),
    ("phone", "01273\n335906", "Out of hours, call the Emergency Duty Service on 01273\n335906."),
]


class TestFindPersonalDataFlags:
    @pytest.mark.parametrize(
        ("kind", "value", "text"), MUST_FLAG, ids=[f"{k}:{v}" for k, v, _ in MUST_FLAG]
    )
    def test_planted_value_is_found_exactly(self, kind, value, text):
        assert (kind, value) in found(text)

    def test_deny_listed_surname_in_any_case_and_possessive(self, deny_rules):
        text = f"Concerns about the {DENIED_SURNAME.upper()} household and {DENIED_SURNAME}'s son."
        assert [kind for kind, _ in found(text, deny_rules)] == ["deny_listed", "deny_listed"]

    def test_deny_listed_full_name_across_a_line_break(self, deny_rules):
        assert found("Agreed with kayden\ntroy's school.", deny_rules) == [
            ("deny_listed", "kayden\ntroy's")
        ]

    def test_deny_list_matches_whole_words_only(self, deny_rules):
        assert found(f"The {DENIED_SURNAME}field estate outreach team.", deny_rules) == []

    def test_deny_list_wins_over_the_allow_list(self, tmp_path: Path):
        deny_file = tmp_path / "deny.txt"
        deny_file.write_text("Hastings\n", "utf-8")
        rules = load_pii_rules(default_taxonomy(), PII_ALLOW_FILE, deny_file)
        assert found("Training was held in Hastings.", rules) == [("deny_listed", "Hastings")]

    def test_overlapping_name_findings_are_one_finding(self):
        assert found("Mrs Sarah Jones") == [("person_name", "Mrs Sarah Jones")]

    def test_findings_come_in_text_order(self):
        text = "Call 07700 900123, write to a@b.org or visit BN1 1AA."
        assert [kind for kind, _ in found(text)] == ["phone", "email", "postcode"]


MUST_NOT_FLAG = [
    "Child S",
    "Learning from the Child Q & N IMRs was shared with schools.",
    "Children Q and N were seen separately.",
    "Mother of Child S and Sibling B declined to take part.",
    "Sussex Police reviewed its guidance.",
    "East Sussex Healthcare NHS Trust updated the midwifery pathway.",
    "Communication via Team Around the Family meetings improved.",
    "Procedures were updated in line with Working Together 2018.",
    "The SCR report was considered at the Local Family Justice Board.",
    "DSL Networks now meet every term.",
    "Training covered completion of Section 7 reports.",
    "Confidence of DSLs and Head Teachers improved.",
    "Training rolled out with approximately 80 social workers attended in 2017.",
    "Reference 0123 456 789x is not a phone number.",
    "The audit sample id was 999 000 0019.",
    "Will the Board consider a further audit?",
    "Will Sussex Police attend the next meeting?",
    "Mark Training records as complete once signed off.",
    "Action plan agreed in May 2017.",
    "The programme was funded with £5,000 from the partnership.",
    "Children Act 1989 s.47 enquiries were audited.",
    "See reference codes QA-2016-07 and SCR-2016-03.",
    "Findings are on page 12 of 30 of the report.",
    "Briefings were sent at 10 11 12 A to all schools.",
    "Meeting held on 01/02/2012 at 10:00 and again on 01-02-2012 10:00.",
    "Plan for 2019-20 agreed on 24.06.2018; 23 of 147 (16%) completed.",
    "Recommendation R12 3AB was closed; see also ref: R12 3AB and SCR-R12 3AB.",
    "Pupils in KS2 1st term were surveyed.",
    "On 01/02/2012 Child S, aged 4, was seen by the health visitor.",
    "Learning was shared by Dr Barnardo's and the NSPCC.",
    "Amber rating given by the Quality Assurance Subgroup.",
    "E-12 Audit the records. Police Not recorded\nAmber\nSource data: tracker.xlsx (sheet S)",
    "The Emergency Duty Service, the Single Point of Advice and MASH agreed the protocol.",
    "Presented to the National Justice Board in September and at the MARAC and MACE panels.",
    "Pan Sussex procedures apply in East Sussex, Brighton, Hastings, Eastbourne and Lewes.",
    "Learning from Child S. Concerns about neglect were escalated.",
    "Plan B Funding agreed; Hepatitis B Vaccination uptake audited.",
    "A New escalation protocol was written. Q & A Session held for DSLs.",
    "Training on the Bill Of Rights And Responsibilities.",
    "Themes for 2018-19: Hope\n\nResilience and recovery after domestic abuse.",
]


class TestFindPersonalDataPasses:
    @pytest.mark.parametrize("text", MUST_NOT_FLAG)
    def test_tracker_prose_is_not_flagged(self, text):
        assert found(text) == []

    def test_a_realistic_tracker_paragraph_has_no_findings(self):
        paragraph = (
            "Following the Child K SCR, ESHT agreed to revise the midwifery pathway so that "
            "Additional Support Forms are shared with Health Visitors within 5 working days. "
            "The Named Nurse reported to the Quality Assurance Subgroup in March 2017 that 92% "
            "of forms audited (46 of 50) were shared on time. "
            "Children's Social Care updated the Pan Sussex Child Protection and Procedures Manual "
            "in line with Working Together 2018, and the LSCB sent a 7 Minute Briefing to all "
            "partner agencies. "
            "Will the Board consider a further audit in 2019-20 to test whether the change has "
            "lasted? "
            "Sussex Police delivered training on coercive control to 120 officers between April "
            "and June 2017, funded by a £5,000 grant from the Safeguarding Children Partnership. "
            "DSL Networks in Hastings, Eastbourne and Lewes now share learning from the "
            "Child Q & N IMRs, and Head Teachers report more confidence when contacting the "
            "Single Point of Advice (SPoA). "
            "MASH data show a 14% rise in appropriate contacts from schools in Q3 2017/18. "
            "Section 7 reports prepared for the Local Family Justice Board now follow the new "
            "template (see SCR-2016-03, actions 4.1 to 4.3). "
            "The Emergency Duty Service reviewed its out-of-hours guidance on Monday 4 September "
            "2017 following QA-2016-07. "
            "Mother of Child S and Sibling B were not contacted, as agreed by the Independent "
            "Chair. "
            "Approximately 80 social workers attended in 2017, and page 12 of 30 of the audit "
            "report records the improvement. "
            "Children Act 1989 s.47 enquiries were completed within 15 working days in 88% of "
            "cases, against a target date of 31/03/2018."
        )
        assert paragraph.count(". ") + paragraph.count("? ") >= 11
        assert found(paragraph) == []


# Identifiers written as one code: joined to a letter or a digit, each is part of a longer code.
# A date in words is left out: "f3 March 2011" still holds the date "March 2011".
CODES = [
    (kind, value, text)
    for kind, value, text in MUST_FLAG
    if kind in ("nhs_number", "ni_number", "postcode", "phone")
    or (kind == "date_of_birth" and not re.search(r"[a-z]", value, re.IGNORECASE))
]
GLUES = [("f", ""), ("", "f"), ("7", ""), ("", "7"), ("ab", "cd"), ("REF-", "X")]


class TestIdentifiersStandAlone:
    @pytest.mark.parametrize(
        ("kind", "value", "text"), CODES, ids=[f"{k}:{v}" for k, v, _ in CODES]
    )
    def test_a_value_joined_to_a_letter_or_digit_is_not_found(self, kind, value, text):
        # Only a letter or digit touching a letter or digit joins: "tel(01273) 335905" is a phone.
        glues = [
            (before, after)
            for before, after in GLUES
            if (value[0].isalnum() or not before) and (value[-1].isalnum() or not after)
        ]
        assert len(glues) >= 2
        for before, after in glues:
            glued = text.replace(value, f"{before}{value}{after}")
            assert kind not in [k for k, _ in found(glued)], (before, after)

    @pytest.mark.parametrize(
        "text",
        [
            "Hash ab9434765919cd, tail 9434765919f3 and head f39434765919.",
            "See REF-9434765919X and case 2019434765919.",
            "Codes x07700900123y and 01273481000b are not numbers.",
            "Codes xAB123456Cx, 7BN11AA and BN1 1AA7 are not identifiers.",
        ],
    )
    def test_codes_holding_a_valid_identifier_are_not_flagged(self, text):
        assert found(text) == []


# The line the report prints about its own provenance (report.qmd's appendix).
PROVENANCE = (
    "Source data: tracker.xlsx (sheet Recommendations), sha256 {digest}; 153 rows read, 6 "
    "outside the period. Produced by impact-review at commit {short} (git {commit})."
)
# sha256(b"impact-review 36"), found by trying counters: it holds 5094103547, ten digits that
# pass the NHS check, which the scan flagged before identifiers had to stand alone.
DIGEST_WITH_NHS_RUN = "ce0411a952ce1cde5094103547a48de9c03b2044b34530b1855c283891d9745b"
# The NHS pattern before that change: only a digit next to the ten digits stopped a match.
OLD_NHS_CANDIDATE = re.compile(r"(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)")

sha256_digests = st.binary(max_size=64).map(lambda data: hashlib.sha256(data).hexdigest())
commit_ids = st.binary(min_size=20, max_size=20).map(bytes.hex)


def provenance(digest: str, commit: str) -> str:
    return PROVENANCE.format(digest=digest, short=commit[:12], commit=commit)


def nhs_check_digit(digits: list[int]) -> int:
    """The mod-11 check digit of nine digits (weights 10 down to 2); 10 means no valid number."""
    check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
    return 0 if check == 11 else check


class TestGeneratedTokensAreNotPersonalData:
    @settings(max_examples=2000, deadline=None)
    @given(digest=sha256_digests, commit=commit_ids)
    def test_the_provenance_line_is_never_flagged(self, digest, commit):
        line = provenance(digest, commit)
        masked = mask_generated_tokens(line)
        assert found(line) == []
        assert found(masked) == []
        assert len(masked) == len(line) and digest not in masked and commit not in masked

    def test_a_digest_holding_a_valid_nhs_number_is_not_flagged(self):
        assert hashlib.sha256(b"impact-review 36").hexdigest() == DIGEST_WITH_NHS_RUN
        old_matches = [m.group() for m in OLD_NHS_CANDIDATE.finditer(DIGEST_WITH_NHS_RUN)]
        assert old_matches == ["5094103547"] and nhs.is_valid("5094103547")
        assert found(provenance(DIGEST_WITH_NHS_RUN, "d5455af92a44" + "0" * 28)) == []
        assert found("NHS number 5094103547 was on the referral.") == [("nhs_number", "5094103547")]

    def test_a_seven_character_abbreviation_shaped_like_a_postcode_is_still_found(self):
        # The report prints 12-character abbreviations, which no postcode or NI number can be.
        # A 7-character one can look like a postcode written in hex letters ("ec1a1bb"), and
        # a real postcode must not be masked, so it is left to the scan and fails closed.
        assert found(mask_generated_tokens("commit aa000aa")) == [("postcode", "aa000aa")]

    @settings(max_examples=2000, deadline=None)
    @given(
        digits=st.lists(st.integers(0, 9), min_size=9, max_size=9),
        layout=st.sampled_from(["{}{}{}", "{} {} {}", "{}-{}-{}"]),
        sentence=st.sampled_from(
            ["NHS number {} was on the referral.", "{} (NHS no.)", "GP record: {}", "({})"]
        ),
    )
    def test_a_valid_nhs_number_written_alone_is_found(self, digits, layout, sentence):
        check = nhs_check_digit(digits)
        assume(check != 10)
        number = "".join(map(str, [*digits, check]))
        written = layout.format(number[:3], number[3:6], number[6:])
        text = sentence.format(written)
        assert ("nhs_number", written) in found(text)
        assert ("nhs_number", written) in found(mask_generated_tokens(text))

    @pytest.mark.parametrize(
        ("kind", "value", "text"), MUST_FLAG, ids=[f"{k}:{v}" for k, v, _ in MUST_FLAG]
    )
    def test_masking_hides_no_planted_value(self, kind, value, text):
        assert mask_generated_tokens(text) == text

    def test_masks_digests_and_commit_ids_only(self):
        text = (
            f"sha256 {DIGEST_WITH_NHS_RUN}, commit d5455af92a44 and {'1' * 40}; NI ab123456c, "
            "postcode ec1a1bb, word deadbeef, 1234567 and 9434765919."
        )
        assert mask_generated_tokens(text) == (
            f"sha256 {'x' * 64}, commit {'x' * 12} and {'x' * 40}; NI ab123456c, "
            "postcode ec1a1bb, word deadbeef, 1234567 and 9434765919."
        )


class TestRenderedScanAndRefusal:
    def test_rendered_provenance_is_masked_and_a_number_alone_is_found(self, tmp_path):
        page = tmp_path / "report.html"
        page.write_text(
            f"<p>{provenance(DIGEST_WITH_NHS_RUN, '0' * 40)}</p><p>NHS number 943 476 5919</p>",
            encoding="utf-8",
        )
        assert scan_rendered([page], RULES) == [("report.html", "nhs_number")]

    def test_numbers_in_the_report_are_not_sent_to_the_allow_file(self):
        with pytest.raises(ValidationFailed) as exc:
            raise_for_personal_data([], [("report.pdf", "nhs_number"), ("report.html", "phone")])
        message = str(exc.value)
        assert "report.pdf: nhs_number; report.html: phone" in message
        assert "remove the nhs_number, phone from the tracker's cells, its file name" in message
        assert "add it to config/pii-allow.yaml" not in message

    def test_a_name_is_sent_to_the_allow_file(self):
        with pytest.raises(ValidationFailed) as exc:
            raise_for_personal_data([], [("report.html", "person_name")])
        assert "if a flagged name is not a person's, add it to config/pii-allow.yaml" in str(
            exc.value
        )
        assert "remove the" not in str(exc.value)

    def test_tracker_findings_get_advice_for_each_kind(self):
        findings = [
            FrameFinding("R1", "recommendation", "person_name"),
            FrameFinding("R2", "lead", "email"),
        ]
        with pytest.raises(ValidationFailed) as exc:
            raise_for_personal_data(findings)
        message = str(exc.value)
        assert "add it to config/pii-allow.yaml" in message
        assert "remove the email from the tracker (config/pii-allow.yaml" in message


class TestNoValueLeaks:
    TEXT = " ".join(text for _, _, text in MUST_FLAG)

    def test_findings_repr_and_str_hold_no_planted_value(self):
        findings = find_personal_data(self.TEXT, RULES)
        assert len(findings) >= len(MUST_FLAG)
        shown = repr(findings) + "".join(str(f) for f in findings)
        for _, value, _ in MUST_FLAG:
            assert value not in shown
        assert repr(findings).count("Finding(kind=") == len(findings)

    def test_frame_findings_hold_no_planted_value(self, deny_rules):
        frame = pd.DataFrame(
            {
                "rec_id": ["R1", "R2"],
                "recommendation": [self.TEXT, f"Visit the {DENIED_SURNAME} family."],
            }
        )
        results = scan_frame(frame, ["recommendation"], rules=deny_rules)
        shown = repr(results) + "".join(str(r) for r in results)
        for value in [*(v for _, v, _ in MUST_FLAG), DENIED_SURNAME]:
            assert value not in shown
        assert FrameFinding("R2", "recommendation", "deny_listed") in results

    def test_rules_repr_holds_no_denied_name(self, deny_rules):
        shown = repr(deny_rules) + str(deny_rules)
        assert DENIED_SURNAME not in shown and "Kayden" not in shown
        assert "terms=2" in shown


class TestScanFrame:
    def test_one_entry_per_cell_and_kind_in_row_then_column_order(self):
        frame = pd.DataFrame(
            {
                "rec_id": ["R1", "R2", "R3"],
                "recommendation": ["Call 07700 900123 or 01323 464222.", "Child S", None],
                "lead": ["Designated Safeguarding Lead", "Sarah Jones", float("nan")],
            }
        )
        assert scan_frame(frame, ["recommendation", "lead"], rules=RULES) == [
            FrameFinding("R1", "recommendation", "phone"),
            FrameFinding("R2", "lead", "person_name"),
        ]

    def test_cells_that_are_not_text_are_scanned_as_text(self):
        frame = pd.DataFrame({"ref": [7], "evidence_of_impact": [9990000018]})
        assert scan_frame(frame, ["evidence_of_impact"], id_column="ref", rules=RULES) == [
            FrameFinding("7", "evidence_of_impact", "nhs_number")
        ]

    def test_a_missing_column_is_an_error_not_a_pass(self):
        frame = pd.DataFrame({"rec_id": ["R1"], "recommendation": ["Child S"]})
        with pytest.raises(KeyError, match="action"):
            scan_frame(frame, ["recommendation", "action"], rules=RULES)


class TestLoadPiiRules:
    def test_every_taxonomy_agency_spelling_is_allowed(self):
        for entry in default_taxonomy().agencies.entries:
            for spelling in [entry["name"], entry["short"], *entry["aliases"]]:
                assert found(f"Will {spelling.title()} attend?") == [], spelling

    def test_without_an_allow_file_only_the_taxonomy_is_allowed(self):
        rules = load_pii_rules(default_taxonomy(), None, None)
        assert found("Will Sussex Police attend?", rules) == []
        assert found("Grace Period agreed.", rules) == [("person_name", "Grace Period")]
        assert found("Grace Period agreed.") == []

    def test_a_named_deny_file_that_is_missing_is_an_error(self, tmp_path: Path):
        with pytest.raises(FileNotFoundError):
            load_pii_rules(default_taxonomy(), PII_ALLOW_FILE, tmp_path / "absent.txt")

    def test_an_allow_file_entry_must_be_text(self, tmp_path: Path):
        allow_file = tmp_path / "allow.yaml"
        allow_file.write_text("roles:\n  - Head Teacher\n  - {bad: entry}\n", "utf-8")
        with pytest.raises(ValueError, match="must be a string"):
            load_pii_rules(default_taxonomy(), allow_file, None)


class TestFirstNamesFile:
    def test_states_its_provenance_and_licence(self):
        lines = FIRST_NAMES_FILE.read_text("utf-8").splitlines()
        header = "\n".join(line for line in lines if line.startswith("#"))
        assert "Faker" in header and "MIT" in header and "Copyright" in header

    def test_names_are_single_capitalised_words(self):
        names = listed_lines(FIRST_NAMES_FILE)
        assert len(names) > 3000 and len(set(names)) == len(names)
        assert all(name[0].isupper() and " " not in name for name in names)
        assert {"Sarah", "Muhammad", "Grace", "Will"} <= set(names)
        assert not {"Forum", "Said", "May"} & set(names)


# --- The screen: many texts at once -------------------------------------------------------------

FIRST_NAMES = listed_lines(FIRST_NAMES_FILE)
SURNAMES = ["Smith", "O'Brien", "McDonald", "Smith-Jones", "Ng", "Kowalski", "De'Ath"]
# What may come between a name's words, and between an identifier's parts.
NAME_GAPS = [" ", "  ", "\n", " \n ", "\r\n", "\t", ". ", ".\n"]
SEPARATORS = ["", " ", "  ", "-", "\t", "\n", "\x1c", "\u00a0", " - "]
GLUE = ["", " ", "(", ")", ",", ":", "'", '"', "/", "#", "_", "-", ".", "\n", "x", "7", "…"]
IDENTIFIER_CHARACTERS = "0123456789 \t\n\r\x0b\x1c()-+.@'/ABCDJKNSTZabdegnorwx"
NAME_PARTS = ["Sarah", "Mr", "J", "A", ".", " ", "\n", "Smith", "x", "'", "-"]
# Text the screen does not pass on, by itself.
DULL = ["R-0000001", "22 March 2026", "Off track", "Amber", "Learning activity 000004", "", "1064"]
PROSE = [*MUST_NOT_FLAG, *DULL]


# A phone number's first digit after 0 and its groups' lengths (08 is not looked for).
PHONE_GROUPS = [("7", 3, 3, 3), ("1", 3, 5), ("1", 3, 6), ("1", 3, 3, 3), ("1", 4, 4)]
PHONE_GROUPS += [("1", 4, 5), ("1", 2, 3, 4), ("2", 1, 4, 4), ("3", 2, 3, 4), ("8", 2, 3, 4)]


def planted_phone(rng: random.Random) -> str:
    groups = rng.choice(PHONE_GROUPS)
    first, *rest = [groups[0] + digits(rng, groups[1]), *(digits(rng, n) for n in groups[2:])]
    start = rng.choice(["0", "(0", "+44 ", "+44", "+44 (0) ", "+44(0)", "0"])
    close = ")" if start == "(0" else ""
    return start + first + close + "".join(rng.choice(SEPARATORS[:6]) + part for part in rest)


def digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def planted_nhs_number(rng: random.Random) -> str:
    numbers = [int(d) for d in digits(rng, 9)]
    number = "".join(map(str, [*numbers, nhs_check_digit(numbers) % 10]))
    return rng.choice(SEPARATORS[:5]).join([number[:3], number[3:6], number[6:]])


def planted_ni_number(rng: random.Random) -> str:
    letters = rng.choice(["AB", "CE", "JK", "ZY", "GB", "QQ", "ab", "Ab"])
    pairs = [digits(rng, 2) for _ in range(3)]
    text = letters + "".join(rng.choice(["", " ", "\t"]) + pair for pair in pairs)
    return text + rng.choice(["", " "]) + rng.choice("ABCDabcdE")


def planted_postcode(rng: random.Random) -> str:
    letter = "ABCDEFGHJKLMNOPRSTUWYZ"
    outward = rng.choice(
        [
            rng.choice(letter) + digits(rng, rng.randint(1, 2)),
            rng.choice(letter) + rng.choice(letter) + digits(rng, rng.randint(1, 2)),
            rng.choice(letter) + digits(rng, 1) + rng.choice("AHJKSTUW"),
            "GIR",
            "EC1A",
        ]
    )
    code = outward + rng.choice(["", " ", "\t"]) + digits(rng, 1) + rng.choice(["AA", "UD", "QR"])
    return rng.choice([code, code.lower()])


def planted_email(rng: random.Random) -> str:
    local = rng.choice(["a", "j.smith", "info", "x_y+z", "7"])
    return f"{local}@{rng.choice(['b.org', 'nhs.net', 'esscp.org.uk', 'x-y.co'])}"


def planted_date_of_birth(rng: random.Random) -> str:
    date = rng.choice(["01/02/2012", "3 March 2011", "14.05.09", "2010-07-21", "May 2014"])
    cue = rng.choice(["DOB", "d.o.b.", "D.O.B", "born", "Born on", "date of birth", "aged 4,"])
    return rng.choice([f"{cue} {date}", f"{date} ({cue})", f"{cue}:\n{date}"])


def planted_name(rng: random.Random) -> str:
    lead = rng.choice([rng.choice(FIRST_NAMES), rng.choice(sorted(TITLES)), "J", "J.", "T"])
    middle = rng.choice(["", "J", "J.", "A. B."])
    words = [lead, *([middle] if middle else []), rng.choice(SURNAMES)]
    return "".join(w + rng.choice(NAME_GAPS) for w in words[:-1]) + words[-1]


def planted_denied_name(rng: random.Random) -> str:
    return rng.choice(["Blakemore", "BLAKEMORE's", "blake'more", "Kayden\ntroy", "kaydens Troy"])


PLANTERS = [
    planted_phone,
    planted_nhs_number,
    planted_ni_number,
    planted_postcode,
    planted_email,
    planted_date_of_birth,
    planted_name,
    planted_denied_name,
]


def planted_texts(seed: int, count: int, prose: list[str]) -> list[str]:
    """Tracker-like texts, each with up to three values of any kind planted in the prose."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = [rng.choice(prose)]
        for _ in range(rng.randint(0, 3)):
            value = rng.choice(PLANTERS)(rng)
            parts += [rng.choice(GLUE), value, rng.choice(GLUE), rng.choice(prose)]
        texts.append(rng.choice(["", " "]).join(parts))
    return texts


def screen_misses(texts: list[str], rules=RULES) -> list[str]:
    """The texts the full scan flags that the screen would not pass on to it."""
    passed = could_hold_personal_data(texts, rules)
    return [t for t, p in zip(texts, passed, strict=True) if not p and find_personal_data(t, rules)]


class TestTheScreenDropsNothingTheScanFinds:
    # In prose the screen passes (capitalised words) and in text it passes on its own merits.
    @pytest.mark.parametrize(("seed", "prose"), [(0, PROSE), (1, PROSE), (2, DULL), (3, DULL)])
    def test_planted_texts_of_every_kind(self, seed, prose, deny_rules):
        texts = planted_texts(seed, 5000, prose)
        kinds = [kinds_found(text, deny_rules) for text in texts]
        assert {kind for found in kinds for kind in found} == set(PiiKind.__args__)
        assert sum(map(bool, kinds)) > 3000
        assert screen_misses(texts, deny_rules) == []
        assert kinds_in_texts(texts, deny_rules) == kinds

    def test_the_planted_values_and_the_prose_of_these_tests(self, deny_rules):
        texts = [text for _, value, text in MUST_FLAG for text in (value, text)] + PROSE
        assert screen_misses(texts) == [] and screen_misses(texts, deny_rules) == []

    # Lists of texts: the screen runs over many texts at once, as it does on a listing.
    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.text(alphabet=IDENTIFIER_CHARACTERS, max_size=40), min_size=20))
    def test_any_text_of_the_characters_identifiers_are_made_of(self, texts):
        assert screen_misses(texts) == []

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.lists(st.sampled_from(NAME_PARTS)).map("".join), min_size=20))
    def test_any_run_of_the_words_names_are_made_of(self, texts):
        assert screen_misses(texts) == []

    def test_spells_python_spaces_among_ascii_characters(self):
        ascii_ = [chr(code) for code in range(128)]
        assert [c for c in ascii_ if re.fullmatch(f"[{ASCII_SPACE}]", c)] == [
            c for c in ascii_ if re.fullmatch(r"\s", c)
        ]


class TestTheScreenPassesOnFew:
    def test_references_dates_and_statuses_are_not_passed_on(self):
        assert not could_hold_personal_data(DULL, RULES).any()

    def test_text_that_is_not_ascii_is_always_passed_on(self):
        assert could_hold_personal_data(["Zoë", "Train staff…", "R-0000001"], RULES).tolist() == [
            True,
            True,
            False,
        ]


PUBLISHED = ("01273 481000", "info@esscp.org.uk", "www.esscp.org.uk", "0300 123 4567")


class TestMaskedTexts:
    @settings(max_examples=500, deadline=None)
    @given(
        st.lists(
            st.lists(
                st.one_of(
                    sha256_digests,
                    commit_ids,
                    st.sampled_from([*PUBLISHED, "01273\x1c481 000", "INFO @ ESSCP.ORG.UK"]),
                    st.sampled_from(["deadbeef", "1234567", "ab123456c", "1" * 40, "R-0000001"]),
                    st.sampled_from(["1234567abc", "abcdef1234567", "0xAB12CD34", "ec1a1bb"]),
                    st.text(alphabet="0123456789abcdefABCDEF .-()\n@", max_size=12),
                ),
                max_size=4,
            ).map(" ".join),
            max_size=8,
        )
    )
    def test_masks_each_text_as_the_full_masks_do(self, texts):
        assert masked_texts(texts, PUBLISHED) == [
            mask_published(mask_generated_tokens(text), PUBLISHED) for text in texts
        ]

    def test_a_published_value_that_is_not_ascii_is_looked_for_in_every_text(self):
        dotless_i = "\u0131"  # matches "i" and "I" under Python's case folding, not RE2's
        assert masked_texts(["Ring Kim", "R-1"], [dotless_i]) == ["Rxng Kxm", "R-1"]


def test_a_csv_listing_gives_its_distinct_cell_texts_header_included(tmp_path):
    frame = pd.DataFrame(
        {
            "Reference": ["R-1", "R-2", "R-3"],
            "Recommendation": ['Say "yes", then\nwait.', "", "NA"],
            "Agency": ["Sussex Police", "Sussex Police", "=1+2"],
        }
    )
    write_csv(frame, tmp_path / "listing.csv")
    header = ["Reference", "Recommendation", "Agency"]
    cells = ["R-1", "R-2", "R-3", 'Say "yes", then\nwait.', "NA", "Sussex Police", "'=1+2"]
    assert csv_cells(tmp_path / "listing.csv") == sorted([*header, *cells])


def test_finding_keeps_only_kind_and_offsets():
    assert Finding.__dataclass_fields__.keys() == {"kind", "start", "end"}
