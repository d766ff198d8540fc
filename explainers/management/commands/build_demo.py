"""Build and publish the demo explainer from the imported seed sources.

Every claim is written from the seed texts, and every quote is copied word for word from the
imported source bodies. A demo author writes the claims; a different demo verifier decides
them through the verification service, under the same rules as any verifier. One claim is
decided only after the explainer is published, so the demo shows a correction: readers are
told, dated, that its status changed. Running the command again changes nothing: claims are
found by statement, the page by slug."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from explainers.models import ExplainerIndexPage, ExplainerPage
from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.verification import VerificationError, verify_claim

ONE_INDIA = "seeds/000_a45109ac8b8cbc6e.txt"
BREAKING = "seeds/001_13bdae42f34699c2.txt"
WEB_DESK = "seeds/002_0ce464d2b3789fd5.txt"
MOSCOW_VIEW = "seeds/003_0474a2333bdbbac5.txt"
KYIV_INDEPENDENT = "seeds/004_c03ff76d15088dc7.txt"

SUPPORTS, CONTEXT = Evidence.Stance.SUPPORTS, Evidence.Stance.CONTEXT
VERIFIED = Claim.Status.VERIFIED

SLUG = "are-france-and-russia-talking-again"
TITLE = "Are France and Russia talking again?"
STANDFIRST = (
    "In December 2025 the Kremlin said Vladimir Putin was ready to talk to Emmanuel Macron, "
    "and Paris welcomed it. What was actually said, by whom, and what is still only claimed."
)

# key: (statement, [(seed, quote, stance)], decision) where decision is None (left
# unverified) or (status, note, single_source).
CLAIMS = {
    "kremlin_ready": (
        "The Kremlin said in December 2025 that Vladimir Putin was ready for dialogue with "
        "Emmanuel Macron.",
        [
            (
                KYIV_INDEPENDENT,
                "The first public signal came on Dec. 21 from Kremlin spokesperson Dmitry "
                "Peskov, who stated that Vladimir Putin had “expressed readiness to engage in "
                "dialogue.”",
                SUPPORTS,
            ),
            (
                ONE_INDIA,
                "the Kremlin confirmed that Russian President Vladimir Putin is ready to engage "
                "in dialogue with French President Emmanuel Macron",
                SUPPORTS,
            ),
            (
                BREAKING,
                "Russian President Vladimir Putin has indicated he is ready to engage in "
                "dialogue with French President Emmanuel Macron, according to a Kremlin "
                "spokesman citing a Russian news agency.",
                SUPPORTS,
            ),
        ],
        (VERIFIED, "", False),
    ),
    "transparency": (
        "The Elysée said any talks with Moscow would be held in full transparency with "
        "Ukraine and European partners.",
        [
            (
                KYIV_INDEPENDENT,
                "The Elysee Palace also emphasized that any discussions with Moscow would be "
                'conducted "in full transparency" with President Volodymyr Zelensky and '
                "European leaders",
                SUPPORTS,
            ),
            (
                ONE_INDIA,
                "Any talks with Russia will happen in full transparency with Ukrainian "
                "President Volodymyr Zelenskyy and with European allies.",
                SUPPORTS,
            ),
            (
                BREAKING,
                "the elysée affirmed that any discussions with Moscow would proceed in full "
                "transparency with Kyiv and the European Union",
                SUPPORTS,
            ),
        ],
        (VERIFIED, "", False),
    ),
    "no_call_yet": (
        "When Paris responded, no Macron–Putin call had been scheduled; the Elysée said it "
        "would decide how to proceed in the coming days.",
        [
            (
                ONE_INDIA,
                "No Macron-Putin call is scheduled yet, but the Élysée Palace has not ruled it "
                "out, saying it will decide the best way forward in the coming days or weeks.",
                SUPPORTS,
            ),
            (
                KYIV_INDEPENDENT,
                "We will decide in the coming days on the best way to proceed.",
                SUPPORTS,
            ),
        ],
        (VERIFIED, "", False),
    ),
    "july_call": (
        "Macron and Putin last spoke by phone in July 2025, their first call in more than "
        "two and a half years.",
        [
            (
                KYIV_INDEPENDENT,
                "Macron and Putin previously held a call on July 1 after nearly three years "
                "without contact",
                SUPPORTS,
            ),
            (
                ONE_INDIA,
                "The last direct call between Macron and Putin happened back in July of 2025.",
                SUPPORTS,
            ),
            (
                WEB_DESK,
                "The two leaders last spoke by phone in July, marking their first direct "
                "conversation in more than two-and-a-half years.",
                SUPPORTS,
            ),
        ],
        (VERIFIED, "", False),
    ),
    "bonne_visit": (
        "Macron's senior adviser Emmanuel Bonne visited Moscow, the first high-level French "
        "engagement there since the February 2022 invasion.",
        [
            (
                WEB_DESK,
                "Macron made the remarks following the visit of his senior adviser, Emmanuel "
                "Bonne, to Moscow last week — the first high-level engagement of its kind since "
                "the February 2022 invasion.",
                SUPPORTS,
            ),
            (
                WEB_DESK,
                "Russian Foreign Minister Sergei Lavrov previously said President Putin was "
                "open to direct contact with Macron, following the visit of the French adviser.",
                CONTEXT,
            ),
        ],
        (
            VERIFIED,
            "Only one of our sources reports the visit, attributing it to Macron's own "
            "interview; we have not found it confirmed by a second outlet.",
            True,
        ),
    ),
    "technical_contacts": (
        "Macron says Paris and Moscow have restored contacts at a technical level.",
        [
            (
                MOSCOW_VIEW,
                "Macron confirmed that Paris and Moscow have already restored contacts at what "
                "he described as a technical level.",
                SUPPORTS,
            ),
            (
                WEB_DESK,
                "Macron said the visit helped reopen communication channels at a technical level.",
                SUPPORTS,
            ),
        ],
        (
            VERIFIED,
            "Two reports agree, but we could not identify the outlet behind either; both "
            "attribute the words to Macron's interviews with European newspapers.",
            True,
        ),
    ),
    "mutual_will": (
        "Kremlin spokesman Dmitry Peskov said dialogue could only be viewed positively if "
        "there is mutual political will.",
        [
            (
                KYIV_INDEPENDENT,
                "“Therefore, if there is mutual political will, this can only be viewed "
                "positively,” Peskov told Russian state media.",
                SUPPORTS,
            ),
            (
                BREAKING,
                "Moscow reiterated a willingness to dialogue contingent on mutual political will.",
                SUPPORTS,
            ),
        ],
        (
            VERIFIED,
            "Quoted directly by one identified outlet (The Kyiv Independent, citing Russian "
            "state media); a second, unattributed report agrees.",
            True,
        ),
    ),
    "european_approach": (
        "Macron wants Europe's governments to join a unified European approach to dialogue "
        "with Russia rather than leave it to the United States.",
        [
            (
                WEB_DESK,
                "The French president said his goal is to coordinate any renewed talks with "
                "European partners and establish a structured, unified European approach.",
                SUPPORTS,
            ),
            (
                WEB_DESK,
                "Macron reiterated his view that Europe must take a more active role in engaging "
                "Russia rather than relying solely on the United States to lead negotiations "
                "aimed at ending the war in Ukraine.",
                SUPPORTS,
            ),
            (
                MOSCOW_VIEW,
                "He called on his colleagues in the European Union to join this process in "
                "order to develop a unified and organized European approach to dialogue with "
                "Russian President Vladimir Putin.",
                SUPPORTS,
            ),
            (
                MOSCOW_VIEW,
                'Macron stressed that European countries should not "delegate” questions '
                "of a settlement in Ukraine to the United States",
                SUPPORTS,
            ),
            (
                ONE_INDIA,
                "The statement came after Macron himself said Europe should re-engage with "
                "Russia if it wants a lasting peace in Ukraine.",
                CONTEXT,
            ),
        ],
        (
            VERIFIED,
            "Two reports agree on both points, each citing Macron's interviews with European "
            "newspapers, but we could not identify the outlet behind either. One India reports "
            "only that Macron wants Europe to re-engage with Russia.",
            True,
        ),
    ),
    "kallas": (
        "EU foreign policy chief Kaja Kallas said no concessions to Moscow should precede any "
        "dialogue.",
        [
            (
                MOSCOW_VIEW,
                "EU foreign policy chief Kaja Kallas insisted that no concessions to Moscow "
                "should precede any dialogue.",
                SUPPORTS,
            ),
        ],
        (
            VERIFIED,
            "Reported by one source only, whose outlet we could not identify.",
            True,
        ),
    ),
    "meloni": (
        "Italy's prime minister, Giorgia Meloni, said the time had come for Europe to also "
        "speak with Russia.",
        [
            (
                ONE_INDIA,
                "Prime Minister Georgia Maloney said early this year that the time has come for "
                "Europe to also speak with Russia.",
                SUPPORTS,
            ),
        ],
        (
            VERIFIED,
            "From One India's video alone, whose automatic transcript misspells her name "
            "as “Georgia Maloney”.",
            True,
        ),
    ),
    "meeting_announced": (
        "France's presidency said arrangements for a Putin–Macron meeting could be announced "
        "in the coming days.",
        [
            (
                BREAKING,
                "France’s presidency echoed optimism about a potential Putin-Macron meeting, "
                "saying arrangements could be announced in the coming days.",
                SUPPORTS,
            ),
            # The Elysée's words as others report them speak of deciding how to proceed,
            # not of arranging a meeting: they neither confirm nor contradict this report.
            (
                KYIV_INDEPENDENT,
                "We will decide in the coming days on the best way to proceed.",
                CONTEXT,
            ),
            (
                ONE_INDIA,
                "No Macron-Putin call is scheduled yet, but the Élysée Palace has not ruled it out",
                CONTEXT,
            ),
        ],
        None,
    ),
    "world_war": (
        "A senior Russian diplomat warned that EU and NATO policies risk a confrontation as "
        "severe as World War III.",
        [
            (
                BREAKING,
                "A senior Russian diplomat warned that EU and NATO policies risk pushing the "
                "world toward a confrontation as severe as World War III",
                SUPPORTS,
            ),
        ],
        None,
    ),
}


# Published while still unverified (cited "show as not verified"), then verified: the page's
# "Corrections and updates" says so.
DECIDED_AFTER_PUBLISHING = "kallas"


def cite(key, show_as_unverified=False):
    return {"claim": key, "show_as_unverified": show_as_unverified}


def claim_block(key, framing="", show_as_unverified=False):
    return {"type": "claim", "value": {**cite(key, show_as_unverified), "framing": framing}}


def paragraph(html):
    return {"type": "paragraph", "value": html}


def heading(text):
    return {"type": "heading", "value": text}


BODY = [
    paragraph(
        "<p>After almost three years without a phone call, Moscow and Paris said in December "
        "2025 that they were open to talking again. Here is what each side said, checked "
        "against five reports, and what remains unconfirmed.</p>"
    ),
    {
        "type": "key_facts",
        "value": {
            "heading": "Key facts",
            "facts": [cite("kremlin_ready"), cite("transparency"), cite("july_call")],
        },
    },
    heading("What Moscow said"),
    claim_block("kremlin_ready", framing="<p>The signal came from the Kremlin first.</p>"),
    claim_block("mutual_will"),
    {
        "type": "pull_quote",
        "value": {
            "source": KYIV_INDEPENDENT,
            "quote": "Therefore, if there is mutual political will, this can only be viewed "
            "positively",
            "attribution": "Dmitry Peskov, Kremlin spokesperson",
        },
    },
    heading("What Paris said"),
    claim_block("transparency"),
    claim_block("no_call_yet"),
    claim_block(
        "meeting_announced",
        framing="<p>One report went further than the others:</p>",
        show_as_unverified=True,
    ),
    heading("How we got here"),
    {
        "type": "timeline",
        "value": {
            "heading": "Timeline",
            "events": [
                {
                    "date": "2025-07-01",
                    "date_label": "",
                    "event": "Macron and Putin speak by phone, the first time in nearly three "
                    "years.",
                    "claims": [cite("july_call")],
                },
                {
                    "date": "2025-12-01",
                    "date_label": "December 2025",
                    "event": "Macron's adviser Emmanuel Bonne visits Moscow; Macron says "
                    "contacts have resumed at a technical level.",
                    "claims": [cite("bonne_visit"), cite("technical_contacts")],
                },
                {
                    "date": "2025-12-21",
                    "date_label": "",
                    "event": "The Kremlin says Putin is ready for dialogue with Macron; Paris "
                    "welcomes it.",
                    "claims": [cite("kremlin_ready"), cite("transparency")],
                },
            ],
        },
    },
    heading("Europe's wider debate"),
    claim_block("european_approach"),
    claim_block("kallas", show_as_unverified=True),
    claim_block("meloni"),
    claim_block(
        "world_war",
        framing="<p>Not every voice from Moscow was conciliatory, by one account:</p>",
        show_as_unverified=True,
    ),
    paragraph(
        "<p>No meeting had been announced when these reports were published. We will update "
        "this explainer as the claims above are confirmed or contradicted.</p>"
    ),
]


class Command(BaseCommand):
    help = "Build and publish the demo explainer from the imported seed sources (idempotent)."

    def handle(self, *args, **options):
        sources = self.seed_sources()
        author, verifier = self.demo_users()
        with transaction.atomic():
            claims = {key: self.claim(key, sources, author) for key in CLAIMS}
        for key, claim in claims.items():
            if key != DECIDED_AFTER_PUBLISHING:
                self.decide(claim, CLAIMS[key][2], verifier)
        page, created = self.explainer(claims, sources, author, verifier)
        later = DECIDED_AFTER_PUBLISHING
        self.decide(claims[later], CLAIMS[later][2], verifier)
        verb = "Published" if created else "Already published"
        self.stdout.write(f"{verb}: “{page.title}” at {page.url} ({len(claims)} claims)")

    def seed_sources(self):
        seeds = {ONE_INDIA, BREAKING, WEB_DESK, MOSCOW_VIEW, KYIV_INDEPENDENT}
        sources = {
            source.seed_file: source for source in Source.objects.filter(seed_file__in=seeds)
        }
        missing = sorted(seeds - set(sources))
        if missing:
            raise CommandError(
                f"Seed sources not imported: {', '.join(missing)}. Run import_sources first."
            )
        return sources

    def demo_users(self):
        User = get_user_model()
        users = []
        for username, group in (("demo-author", "Editors"), ("demo-verifier", "Verifiers")):
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@newsroom.invalid"}
            )
            if created:
                user.set_unusable_password()
                user.save()
            user.groups.add(Group.objects.get(name=group))
            users.append(user)
        return users

    def claim(self, key, sources, author):
        statement, quotes, _ = CLAIMS[key]
        existing = Claim.objects.filter(statement=statement).first()
        if existing:
            return existing
        claim = Claim(statement=statement, created_by=author)
        for seed, quote, stance in quotes:
            evidence = Evidence(source=sources[seed], quote=quote, stance=stance)
            evidence.clean()  # anchors the quote, or refuses it if not word for word
            claim.evidence.add(evidence)
        claim.save()
        claim.tags.add("France", "Russia")
        claim.save_revision(user=author, log_action=True).publish(user=author)
        return Claim.objects.get(pk=claim.pk)

    def decide(self, claim, decision, verifier):
        if decision is None:
            return
        status, note, single_source = decision
        if claim.status == status:
            return
        try:
            verify_claim(claim, verifier, status, note=note, single_source=single_source)
        except VerificationError as refusal:
            raise CommandError(f"“{claim}” could not be decided: {refusal}") from refusal

    def explainer(self, claims, sources, author, verifier):
        index = ExplainerIndexPage.objects.first()
        if index is None:
            raise CommandError("The explainers section is missing: run migrate.")
        existing = ExplainerPage.objects.child_of(index).filter(slug=SLUG).first()
        if existing and existing.live:
            return existing, False
        page = existing or ExplainerPage(title=TITLE, slug=SLUG, live=False, owner=author)
        page.standfirst = STANDFIRST
        page.body = resolve(BODY, claims, sources)
        if existing is None:
            index.add_child(instance=page)
        page.tags.add("France", "Russia", "Diplomacy")
        revision = page.save_revision(user=author, log_action=True)
        revision.publish(user=verifier)
        return ExplainerPage.objects.get(pk=page.pk), True


def resolve(value, claims, sources):
    """The body with claim keys and seed files replaced by database ids."""
    if isinstance(value, list):
        return [resolve(item, claims, sources) for item in value]
    if not isinstance(value, dict):
        return value
    resolved = {key: resolve(item, claims, sources) for key, item in value.items()}
    if "claim" in resolved and resolved["claim"] in claims:
        resolved["claim"] = claims[resolved["claim"]].pk
    if "source" in resolved and resolved["source"] in sources:
        resolved["source"] = sources[resolved["source"]].pk
    return resolved
