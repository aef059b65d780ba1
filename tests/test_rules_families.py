"""Table-driven tests of the shipped rule packs: every claim family, both languages.

Each row is (lang, text, family, expected): ``expected`` True means a rule of
that family must match; False (hard negatives) means it must not. Rules only
(``model="none"``) so the rows test the packs, not the learned layer.
"""

from __future__ import annotations

import pytest

from authentitext.pipeline import CLAIMS_KEY, CUES_KEY, FLAGS_KEY
from authentitext.rules import CLAIM_TYPES, list_packs, load_pack

pytestmark = pytest.mark.model

FAMILY_ROWS = [
    # price
    ("en", "The cheapest supermarket in town.", "price", True),
    ("en", "You won't find it for less anywhere else.", "price", True),
    ("en", "Low prices, every single day.", "price", True),
    ("en", "Prices include VAT.", "price", False),
    ("en", "The price is shown per kilogram on the shelf label.", "price", False),
    ("nl", "De goedkoopste supermarkt van Nederland.", "price", True),
    ("nl", "Nergens voordeliger.", "price", True),
    ("nl", "Altijd de scherpste prijzen.", "price", True),
    ("nl", "Het voordeligst uit in de regio.", "price", True),
    ("nl", "Prijzen zijn inclusief btw.", "price", False),
    ("nl", "Wij berekenen de prijsstijging van onze leveranciers niet door.", "price", True),
    ("nl", "Wij berekenen de verzendkosten bij het afrekenen.", "price", False),
    ("nl", "De prijs staat per kilo op het schapkaartje.", "price", False),
    # superiority
    ("en", "The best bank for students.", "superiority", True),
    ("en", "The fastest broadband in the country.", "superiority", True),
    ("en", "Orders placed before 5 pm ship the same day.", "superiority", False),
    ("nl", "Dé nummer 1 in fietsen.", "superiority", True),
    ("nl", "De klantvriendelijkste bank van het land.", "superiority", True),
    ("nl", "Het allermooiste aanbod.", "superiority", True),
    ("nl", "Bestel uiterlijk om 17 uur.", "superiority", False),
    # integrity
    ("en", "Honesty is our core value.", "integrity", True),
    ("en", "No small print, ever.", "integrity", True),
    ("en", "We tell you what it really costs.", "integrity", True),
    ("en", "Read the terms and conditions before you sign.", "integrity", False),
    ("nl", "Eerlijk is eerlijk.", "integrity", True),
    ("nl", "Bij ons geen kleine lettertjes.", "integrity", True),
    ("nl", "Lees de algemene voorwaarden voordat u tekent.", "integrity", False),
    # sustainability
    ("en", "Our packaging is eco-friendly.", "sustainability", True),
    ("en", "All our flights are carbon neutral.", "sustainability", True),
    ("en", "Made from 80% recycled plastic.", "sustainability", True),
    ("en", "The bottle holds 1.5 litres.", "sustainability", False),
    ("nl", "Onze verpakking is milieuvriendelijk.", "sustainability", True),
    ("nl", "Al onze vluchten zijn CO2-neutraal.", "sustainability", True),
    ("nl", "Duurzame mode voor iedereen.", "sustainability", True),
    ("nl", "De fles bevat anderhalve liter.", "sustainability", False),
    # customer
    ("en", "Customer first, always.", "customer", True),
    ("en", "Our friendly staff are always there for you.", "customer", True),
    ("en", "Contact us via the form below.", "customer", False),
    ("nl", "Bij ons staat de klant centraal.", "customer", True),
    ("nl", "De klantvriendelijkste winkel van de stad.", "customer", True),
    ("nl", "Vul het formulier hieronder in.", "customer", False),
    ("nl", "Onze adviseurs denken graag met u mee.", "customer", True),
    # employee
    ("en", "A great place to work.", "employee", True),
    ("en", "We pay every worker a living wage.", "employee", True),
    ("en", "Applicants must hold a driving licence.", "employee", False),
    ("nl", "De beste werkgever van de regio.", "employee", True),
    ("nl", "Wij investeren in onze mensen.", "employee", True),
    ("nl", "Sollicitanten hebben een rijbewijs nodig.", "employee", False),
    # reliability
    ("en", "Disruption-free internet.", "reliability", True),
    ("en", "Always on time, or your money back.", "reliability", True),
    ("en", "Trains run every 15 minutes.", "reliability", False),
    ("nl", "Storingsvrij internet.", "reliability", True),
    ("nl", "Onze betrouwbare monteurs staan voor u klaar.", "reliability", True),
    ("nl", "De trein rijdt elk kwartier.", "reliability", False),
    ("nl", "Wij garanderen een vaste aansluiting.", "reliability", True),
    ("nl", "Wij laten je nooit in de steek.", "reliability", True),
    # independence
    ("en", "Independent financial advice.", "independence", True),
    ("en", "We take no commission from any insurer.", "independence", True),
    ("en", "Please advise us of any change of address.", "independence", False),
    ("nl", "Onafhankelijk advies.", "independence", True),
    ("nl", "Wij werken zonder provisie.", "independence", True),
    ("nl", "Geef adreswijzigingen tijdig door.", "independence", False),
    # quality
    ("en", "Only the finest ingredients.", "quality", True),
    ("en", "Handmade with real craftsmanship.", "quality", True),
    ("en", "Store in a cool, dry place.", "quality", False),
    ("nl", "Vakmanschap en topkwaliteit.", "quality", True),
    ("nl", "Ambachtelijk gebakken brood.", "quality", True),
    ("nl", "Koel en droog bewaren.", "quality", False),
    # social
    ("en", "We give back to the local community.", "social", True),
    ("en", "All our coffee is Fairtrade.", "social", True),
    ("en", "Parking is at the back of the building.", "social", False),
    ("nl", "Wij steunen lokale ondernemers.", "social", True),
    ("nl", "Wij doneren 1% van de omzet aan goede doelen.", "social", True),
    ("nl", "Parkeren kan achter het gebouw.", "social", False),
]


@pytest.fixture(scope="module")
def rule_nlp():
    from authentitext.pipeline.build import build_nlp

    return {lang: build_nlp(lang, model="none") for lang in ("en", "nl")}


def test_table_covers_every_family_in_both_languages():
    """Each claim type has a positive and a hard negative row per language."""
    for lang in ("en", "nl"):
        for family in CLAIM_TYPES:
            kinds = {exp for lg, _, fam, exp in FAMILY_ROWS if lg == lang and fam == family}
            assert kinds == {True, False}, (lang, family)


@pytest.mark.parametrize("lang, text, family, expected", FAMILY_ROWS)
def test_claim_family_rules(rule_nlp, lang, text, family, expected):
    """A family's rules fire on its positives and stay silent on its hard negatives."""
    doc = rule_nlp[lang](text)
    labels = {s.label_ for s in doc.spans[CLAIMS_KEY]}
    assert (family in labels) is expected, sorted(labels)


FLAG_ROWS = [
    ("en", "An eco-friendly choice.", "generic_env", True),
    ("en", "Certified with the EU Ecolabel since 2019; packaging 100% recycled.", "generic_env", False),
    ("en", "This product is climate neutral.", "offset_neutral", True),
    ("en", "We cut our own emissions by 40% since 2019.", "offset_neutral", False),
    ("en", "We aim to be climate neutral by 2030.", "future_env", True),
    ("en", "We are open until 8 pm.", "future_env", False),
    ("en", "The cheapest energy supplier.", "price_superlative", True),
    ("en", "Cheaper than other supermarkets.", "price_comparative", True),
    ("nl", "Kies voor een milieuvriendelijke verpakking.", "generic_env", True),
    ("nl", "Dit product is klimaatneutraal.", "offset_neutral", True),
    ("nl", "Wij willen in 2030 klimaatneutraal zijn.", "future_env", True),
    ("nl", "De voordeligste supermarkt.", "price_superlative", True),
    ("nl", "Goedkoper dan andere supermarkten.", "price_comparative", True),
    ("nl", "De winkel is open tot acht uur.", "price_superlative", False),
]


@pytest.mark.parametrize("lang, text, flag, expected", FLAG_ROWS)
def test_regulatory_flags(lang, text, flag, expected):
    """Regulatory flags fire with their rule id in the claim frame, and only when they apply."""
    from authentitext.claims import extract_claims

    df = extract_claims([text], lang=lang, model="none")
    flags = [f for fs in df["flags"] for f in fs]
    assert (f"{lang}.flag.{flag}" in flags) is expected, flags
    if expected:
        sources = [s for ss in df["flag_sources"] for s in ss]
        assert sources and all(sources), sources


def test_every_flag_rule_cites_a_source():
    """Flag rules cite a regulation or code by name, never just 'editorial'."""
    for name in list_packs():
        for rule in load_pack(name).rules:
            if rule.kind == "flag":
                assert any(k in rule.source for k in ("2024/825", "ACM", "Reclame Code", "2006/114", "2005/29")), rule.id


def test_shipped_packs_examples_match_their_rule(rule_nlp):
    """Every claim/flag rule matches its own example and not its counter-example."""
    problems = []
    for name in list_packs():
        for rule in load_pack(name).rules:
            if rule.kind == "cue":
                continue
            key = CLAIMS_KEY if rule.kind == "claim" else FLAGS_KEY
            nlp = rule_nlp[rule.lang]
            doc = nlp(rule.example)
            if rule.id not in {s.id_ for s in doc.spans[key]}:
                problems.append(f"{rule.id}: example {rule.example!r} does not match")
            counter = nlp(rule.counter_example) if rule.counter_example else None
            if counter is not None and rule.id in {s.id_ for s in counter.spans[key]}:
                problems.append(f"{rule.id}: counter-example {rule.counter_example!r} matches")
    assert not problems, problems


@pytest.mark.parametrize("lang, text, cue", [
    ("en", "We never claim to be the cheapest.", "negation"),
    ("nl", "Wij zijn nooit de goedkoopste.", "negation"),
    ("en", "We aim to be net zero by 2035.", "hedge"),
    ("nl", "Wij streven naar minder uitstoot.", "hedge"),
    ("en", "Critics say the bank is the cheapest.", "reported"),
    ("nl", "Volgens critici is de bank de goedkoopste.", "reported"),
    ("en", "Voted best supermarket in a 2024 survey.", "objectified"),
    ("nl", "Uitgeroepen tot beste supermarkt.", "objectified"),
    ("en", "We are looking for a baker who starts at five.", "job_ad"),
    ("nl", "Als monteur installeer je warmtepompen bij klanten thuis.", "job_ad"),
    ("nl", "Taken: je ruimt de schappen op en helpt klanten.", "job_ad"),
    ("en", "Our stores run on renewable electricity.", "env_topic"),
    ("en", "All board is FSC-certified.", "env_topic"),
    ("nl", "Wij gaan volledig van het gas af.", "env_topic"),
    ("nl", "Onze verpakkingen zijn voortaan van gerecycled karton.", "env_topic"),
    ("en", "Isn't it time your plumber told you the price up front?", "rhetorical"),
    ("en", "Looking for the friendliest vet in town?", "rhetorical"),
    ("nl", "Nergens een lagere prijs voor een APK, toch?", "rhetorical"),
])
def test_cue_rules(rule_nlp, lang, text, cue):
    """Qualifier cue packs mark their cue words in both languages."""
    doc = rule_nlp[lang](text)
    assert cue in {s.label_ for s in doc.spans[CUES_KEY]}


@pytest.mark.parametrize("lang, text, cue", [
    ("en", "Revenue grew by 12% in the second half.", "env_topic"),
    ("en", "Every window is cleaned on Fridays.", "env_topic"),
    ("nl", "De omzet steeg met 12 procent in het tweede halfjaar.", "env_topic"),
    ("nl", "Dat is onze waarde voor u, elke dag opnieuw.", "env_topic"),
    ("nl", "Verse groente uit de regio, elke dag.", "env_topic"),
    ("en", "Looking for a job in retail?", "rhetorical"),
    ("en", "Is there parking near the shop?", "rhetorical"),
    ("nl", "Bezorgen jullie ook op zondag?", "rhetorical"),
])
def test_cue_rules_hard_negatives(rule_nlp, lang, text, cue):
    """Look-alikes are not cues: "window", "waarde", "groente" are not environmental; a genuine question
    is not rhetorical."""
    doc = rule_nlp[lang](text)
    assert cue not in {s.label_ for s in doc.spans[CUES_KEY]}
