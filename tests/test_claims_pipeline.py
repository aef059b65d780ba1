"""The claim pipeline: frame columns, qualifiers, user packs, round trip, bad input."""

from __future__ import annotations

import json

import pytest

from authentitext.errors import EmptyInputError, InputTypeError, LanguageError, RulePackError
from authentitext.rules import load_pack, load_rules, validate_pack

# ---------------------------------------------------------------- pack validation (no models)

HEADER = {"pack": "user", "version": "0.1.0", "lang": "en"}
GOOD = {"id": "user.price.bargain", "kind": "claim", "label": "price", "patterns": ["zorbo jamboree"],
        "source": "test", "example": "A zorbo jamboree!"}


def _write(tmp_path, *lines, name="pack.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("bad_line, message", [
    ("{not json", "not valid JSON"),
    ({**GOOD, "kind": "promise"}, "'kind' must be one of"),
    ({**GOOD, "label": "cheapness"}, "unknown claim type"),
    ({k: v for k, v in GOOD.items() if k != "source"}, "missing required key"),
    ({**GOOD, "patterns": [[{"LOWER": {"REGEX": "(unclosed"}}]]}, "pattern 0 is invalid"),
    ({**GOOD, "patterns": []}, "'patterns' must be a non-empty list"),
    ({**GOOD, "colour": "red"}, "unknown key"),
])
def test_malformed_pack_names_file_and_line(tmp_path, bad_line, message):
    """A malformed rule raises RulePackError naming the file and the line, and validate lists it."""
    path = _write(tmp_path, HEADER, GOOD | {"id": "user.ok"}, bad_line)
    with pytest.raises(RulePackError, match=rf"pack\.jsonl, line 3: .*{message}"):
        load_pack(path)
    problems = validate_pack(path)
    assert len(problems) == 1 and "line 3" in problems[0]


def test_duplicate_ids_and_missing_header(tmp_path):
    """Duplicate ids and a missing header are reported with their lines."""
    with pytest.raises(RulePackError, match="line 3: duplicate rule id"):
        load_pack(_write(tmp_path, HEADER, GOOD, GOOD))
    with pytest.raises(RulePackError, match="line 1: the first line must be the pack header"):
        load_pack(_write(tmp_path, GOOD, name="nohead.jsonl"))


def test_lexicons_validate_cli(tmp_path, capsys):
    """`authentitext lexicons validate` passes shipped packs and fails a broken one with file:line."""
    from authentitext.cli import main

    assert main(["lexicons", "validate", "en_price", "nl_regulatory"]) == 0
    bad = _write(tmp_path, HEADER, {**GOOD, "kind": "nope"})
    assert main(["lexicons", "validate", str(bad)]) == 1
    assert f"{bad}, line 2" in capsys.readouterr().err


def test_user_pack_add_replace_disable(tmp_path):
    """User packs add rules, replace shipped ones by id, and rules can be disabled by id."""
    base = {r.id: r for r in load_rules("en")}
    assert "en.price.superlative" in base
    replacement = {**GOOD, "id": "en.price.superlative", "patterns": ["rock bottom"]}
    path = _write(tmp_path, HEADER, GOOD, replacement)
    merged = {r.id: r for r in load_rules("en", extra=[path])}
    assert "user.price.bargain" in merged
    assert merged["en.price.superlative"].patterns == ("rock bottom",)
    trimmed = {r.id for r in load_rules("en", disable=["en.price.low"])}
    assert "en.price.low" not in trimmed and "en.price.superlative" in trimmed
    with pytest.raises(RulePackError, match="unknown rule id"):
        load_rules("en", disable=["en.price.nope"])


@pytest.mark.model
def test_user_pack_changes_extraction(tmp_path):
    """A user pack's new rule makes a claim; disabling a shipped rule removes its matches."""
    from authentitext.claims import extract_claims

    path = _write(tmp_path, HEADER, GOOD)
    text = ["Come to the zorbo jamboree this weekend."]
    without = extract_claims(text, lang="en", model="none")
    with_pack = extract_claims(text, lang="en", model="none", rules=[path])
    assert not without["is_claim"].any()
    assert with_pack["is_claim"].all() and with_pack["rules"][0] == ["user.price.bargain"]
    disabled = extract_claims(["Low prices every day."], lang="en", model="none", disable_rules=["en.price.low"])
    assert "en.price.low" not in disabled["rules"][0]


@pytest.mark.model
def test_malformed_user_pack_fails_before_matching(tmp_path):
    """A broken user pack raises RulePackError at build time, never a crash while matching."""
    from authentitext.claims import extract_claims

    bad = _write(tmp_path, HEADER, {**GOOD, "patterns": [[{"LOWER": {"REGEX": "[oops"}}]]})
    with pytest.raises(RulePackError, match="line 2"):
        extract_claims(["Cheap!"], lang="en", rules=[bad])


# ---------------------------------------------------------------- frame and qualifiers (real models)

QUALIFIER_ROWS = [
    # text, lang, is_claim, {qualifier: expected}
    ("We never claim to be the cheapest.", "en", False, {"negated": True}),
    ("Wij beweren niet de goedkoopste te zijn.", "nl", False, {"negated": True}),
    ("No hidden fees, ever.", "en", True, {"negated": False}),
    ("Geen verborgen kosten.", "nl", True, {"negated": False}),
    ("Wij berekenen de prijsstijging niet door aan u.", "nl", True, {"negated": False}),
    ("Wij zijn niet de goedkoopste.", "nl", False, {"negated": True}),
    ("We aim to be climate neutral by 2030.", "en", True, {"hedged": True, "offset_neutral": True}),
    ("Wij willen in 2030 klimaatneutraal zijn.", "nl", True, {"hedged": True, "offset_neutral": True}),
    ("Why pay more anywhere else?", "en", True, {"question": True}),
    ("Waarom meer betalen?", "nl", True, {"question": True}),
    ("Do you deliver on Sundays?", "en", False, {"question": True}),
    ("Our packaging is eco-friendly.", "en", True, {"generic_env": True, "specific": False}),
    ("Onze verpakking is milieuvriendelijk.", "nl", True, {"generic_env": True}),
    ("Our vans cut CO2 emissions by 40% since 2019.", "en", True, {"specific": True, "generic_env": False}),
    ("Named the cheapest supermarket in the 2024 Grocer Price Index.", "en", True, {"objectified": True}),
    ("Uitgeroepen tot goedkoopste supermarkt van 2024.", "nl", True, {"objectified": True}),
    ("Open until 8 pm on weekdays.", "en", False, {"about_self": False, "specific": False}),
    # about others: rivals and "calls itself", but not the object of a comparison
    ("Onze concurrenten noemen zich graag de voordeligste.", "nl", False, {"about_self": False}),
    ("Cheaper than other phone shops.", "en", True, {"about_self": True}),
    ("Voordeliger dan andere telefoonwinkels.", "nl", True, {"about_self": True}),
    # job-ad lines are vetoed; a customer promise that opens the same way is not
    ("Wij zoeken een enthousiaste verkoper die klanten eerlijk adviseert.", "nl", False, {}),
    ("Als kok bereid je elke dag verse soepen voor onze gasten.", "nl", False, {}),
    ("Als klant van Spaarbank Noord betaal je nooit verborgen kosten.", "nl", True, {}),
    ("We are looking for a friendly baker to join our award-winning team.", "en", False, {}),
]


@pytest.fixture(scope="module")
def qualified():
    from authentitext.claims import extract_claims

    texts = [r[0] for r in QUALIFIER_ROWS]
    return extract_claims(texts, lang=[r[1] for r in QUALIFIER_ROWS])


@pytest.mark.model
def test_frame_has_issue_columns(qualified):
    """The frame has the issue's columns in a fixed order, one row per sentence."""
    from authentitext.claims import CLAIM_COLUMNS

    expected = ["text_id", "sentence", "lang", "is_claim", "claim_types", "negated", "hedged", "reported",
                "question", "about_self", "specific", "objectified", "generic_env", "flags", "score", "reasons"]
    assert list(qualified.columns) == CLAIM_COLUMNS
    assert [c for c in CLAIM_COLUMNS if c in expected] == expected
    assert len(qualified) == len(QUALIFIER_ROWS)


@pytest.mark.model
@pytest.mark.parametrize("i", range(len(QUALIFIER_ROWS)))
def test_qualifier_table(qualified, i):
    """Claim decision and qualifiers per row of the table."""
    text, _, is_claim, quals = QUALIFIER_ROWS[i]
    row = qualified[qualified["text_id"] == i].iloc[0]
    assert bool(row["is_claim"]) is is_claim, (text, row["reasons"])
    for name, value in quals.items():
        assert bool(row[name]) is value, (text, name)


@pytest.mark.model
def test_claim_rows_are_about_the_speaker():
    """A claim is always about_self, also when the model overrides the about-others veto."""
    from authentitext.claims import extract_claims

    texts = ["Every phone shop in town calls itself the cheapest.", "Other banks charge for this; we never do.",
             "Iedere kapper in de stad noemt zich de beste.", *[r[0] for r in QUALIFIER_ROWS]]
    df = extract_claims(texts, lang=["en", "en", "nl", *[r[1] for r in QUALIFIER_ROWS]])
    claims = df[df["is_claim"]]
    assert len(claims) >= 10
    assert claims["about_self"].all(), claims.loc[~claims["about_self"], ["sentence", "reasons"]]


@pytest.mark.model
def test_every_claim_row_explains_itself(qualified):
    """Each claim row names its rules and/or the model probability."""
    for _, row in qualified[qualified["is_claim"]].iterrows():
        assert row["reasons"], row["sentence"]
        assert any(r.startswith(("rules:", "model:p=")) for r in row["reasons"])
        assert 0.0 <= row["score"] <= 1.0


@pytest.mark.model
def test_model_only_paraphrase_gets_a_claim_span():
    """A paraphrase no rule lists becomes a claim through the model, with a type."""
    from authentitext.claims import extract_claims

    df = extract_claims(["Nobody undersells us, full stop."], lang="en")
    row = df.iloc[0]
    if not row["rules"]:
        assert row["is_claim"] == (row["score"] >= 0.6)
    if row["is_claim"]:
        assert row["claim_types"]


@pytest.mark.model
def test_save_load_round_trip(tmp_path):
    """nlp.to_disk + spacy.load gives identical spans and extension values."""
    import spacy

    from authentitext.pipeline.build import build_nlp
    from authentitext.pipeline.extensions import SPAN_EXTENSIONS

    texts = ["The cheapest bank in town. We aim to be net zero by 2035.", "Do you deliver on Sundays?"]
    nlp = build_nlp("en")
    nlp.to_disk(tmp_path / "en_claims")
    loaded = spacy.load(tmp_path / "en_claims")
    assert loaded.pipe_names == nlp.pipe_names
    for a, b in zip(nlp.pipe(texts), loaded.pipe(texts), strict=True):
        for key in ("claims", "claim_cues", "claim_flags", "claim_sentences"):
            sa = [(s.start, s.end, s.label_, s.id_) for s in a.spans[key]]
            assert sa == [(s.start, s.end, s.label_, s.id_) for s in b.spans[key]], key
        for sa, sb in zip(a.spans["claim_sentences"], b.spans["claim_sentences"], strict=True):
            for name in SPAN_EXTENSIONS:
                assert getattr(sa._, name) == getattr(sb._, name), name


@pytest.mark.model
def test_rules_only_mode_has_no_score():
    """model='none' runs the rules alone: no score, the reasons name the rules."""
    from authentitext.claims import extract_claims

    df = extract_claims(["The cheapest supermarket in town."], lang="en", model="none")
    assert df["is_claim"][0] and df["score"].isna().all()
    assert df["reasons"][0] == ["rules:en.price.superlative,en.superiority.superlative_adj"]


@pytest.mark.parametrize("bad, error", [
    (None, InputTypeError),
    ("just one string", InputTypeError),
    ([], EmptyInputError),
])
def test_bad_input_raises_typed_errors(bad, error):
    """Bad inputs raise the typed errors of the core issue."""
    from authentitext.claims import extract_claims

    with pytest.raises(error):
        extract_claims(bad)


def test_unknown_language_code():
    """An unknown lang code is a LanguageError naming the parameter."""
    from authentitext.claims import extract_claims

    with pytest.raises(LanguageError, match="'lang'"):
        extract_claims(["Cheap!"], lang="de")


def test_extension_name_clash_is_a_config_error():
    """A Span extension registered elsewhere as a getter is reported, never overwritten."""
    from spacy.tokens import Span

    from authentitext.errors import ConfigError
    from authentitext.pipeline import extensions

    extensions.register()
    saved = Span.get_extension("hedged")
    Span.remove_extension("hedged")
    Span.set_extension("hedged", getter=lambda span: True)
    try:
        with pytest.raises(ConfigError, match="'hedged'"):
            extensions.register()
    finally:
        Span.remove_extension("hedged")
        Span.set_extension("hedged", default=saved[0])


def test_factories_are_entry_points():
    """Every authentitext factory is declared as a spacy_factories entry point."""
    from importlib.metadata import entry_points

    from authentitext.pipeline.factories import CLAIM_COMPONENTS

    declared = {ep.name for ep in entry_points(group="spacy_factories")}
    assert {name for name, _ in CLAIM_COMPONENTS} <= declared


@pytest.mark.model
@pytest.mark.parametrize("text, topic", [
    ("Revenue grew by 12% in the second half.", False),
    ("Our stores run on renewable electricity.", True),
])
def test_model_adds_sustainability_only_with_an_environmental_topic_word(text, topic):
    """The type head may add 'sustainability' (or pick it as the fallback type) only on an env topic."""
    from authentitext.pipeline.build import build_nlp

    nlp = build_nlp("en", model="none")
    with nlp.select_pipes(disable=["authentitext_qualifiers"]):
        doc = nlp(text)
    sent = doc.spans["claim_sentences"][0]
    sent._.claim_score = 0.9
    sent._.type_scores = {"sustainability": 0.95, "quality": 0.3, "price": 0.1}
    doc = nlp.get_pipe("authentitext_qualifiers")(doc)
    decided = doc.spans["claim_sentences"][0]
    assert decided._.is_claim
    assert decided._.claim_types == (["sustainability"] if topic else ["quality"])
    withheld = any(r.startswith("withheld:sustainability") for r in decided._.reasons)
    assert withheld is not topic
