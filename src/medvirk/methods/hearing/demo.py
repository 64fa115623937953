"""Demo seed: Lillevik's høyring on the chief executive's recommendation, "nybygg på same
tomt", in nynorsk (the municipality's målform). The text is Lillevik's own content, not
interface text, so it is not translated.

Everything goes through the method's own actions, as staff and residents would: the period
and the document through ``staff_actions`` (as the municipality's case officer, audited),
the comments and submissions through ``actions.do_comment`` / ``do_submit`` (with their
checks, screening and moderation), and the answers through ``accountability.do_respond``.
"""

from __future__ import annotations

import datetime as dt
import random
from html import escape

from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from medvirk.accountability.actions import do_respond
from medvirk.core import pdf, uploads
from medvirk.core.filetypes import FileKind
from medvirk.identity.models import User
from medvirk.organisations.models import Membership, Role
from medvirk.processes.models import MethodInstance

from . import actions, period, staff_actions, staff_queries
from .actions import SubmissionDraft
from .models import PlanStage, SenderKind

DOCUMENT_TITLE = "Kommunedirektøren si tilråding: nybygg på same tomt"
DOCUMENT_SUMMARY = (
    "Kommunedirektøren tilrår å byggje ny skule på tomta der Lillevik skule står i dag. "
    "Her er tilrådinga, kva ho kostar, korleis skulevegen blir, og korleis bygda kan bruke "
    "skulen etter skuletid. Kommenter eit avsnitt, eller send eit høyringsinnspel."
)
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Tilrådinga",
        (
            "Kommunedirektøren tilrår at kommunestyret vel alternativ 3: ny skule for 1.–7. "
            "trinn på same tomt som i dag. Det gamle bygget blir rive når den nye skulen er "
            "teken i bruk.",
            "Alternativet held skulen i bygda, gir elevane eit godt inneklima og kan stå "
            "ferdig til skulestart hausten 2029. Elevane går i mellombelse klasserom på "
            "tomta medan det blir bygd.",
            "Dei andre alternativa er vurderte i utgreiinga. Rehabilitering gir ikkje godt "
            "nok inneklima, ei ny tomt nærare sentrum kostar meir, og å leggje ned skulen "
            "gir lang skuleveg for dei minste.",
        ),
    ),
    (
        "Kostnad innanfor ramma på 180 millionar kroner",
        (
            "Nybygget er rekna til 164 millionar kroner med mellombelse klasserom og riving. "
            "Det er innanfor ramma på 180 millionar kroner i økonomiplanen.",
            "Over 40 år er alternativet rimelegare enn rehabilitering, fordi drift og "
            "vedlikehald av eit nytt bygg kostar mindre.",
        ),
    ),
    (
        "Skulevegen",
        (
            "Skulen blir liggjande der han ligg, så skulevegen for dei fleste elevane blir "
            "som i dag. Kommunen byggjer fortau og gangfelt med lys langs den siste delen "
            "av vegen til skulen.",
            "Henting og bringing med bil blir flytta til ein eigen lomme ved "
            "parkeringsplassen, bort frå inngangen der elevane kjem gåande.",
            "Busselevane får ny haldeplass med leskur rett ved skuleplassen.",
        ),
    ),
    (
        "Bruk etter skuletid",
        (
            "Gymsalen, musikkrommet og skulekjøkenet blir bygde slik at lag og foreiningar "
            "kan bruke dei om kveldane utan å gå gjennom klasseromma.",
            "Uteområdet med ballbinge og leikeplass er ope for alle etter skuletid og i feriane.",
        ),
    ),
)
ATTACHMENT_NAME = "Tilråding nybygg på same tomt.pdf"

# Comments on paragraphs: (section number, paragraph number, text, name or "").
COMMENTS: tuple[tuple[int, int, str, str], ...] = (
    (1, 1, "Bra at skulen blir verande i bygda. Det betyr mykje for alle her.", "Solveig Nes"),
    (1, 2, "Kva skjer med elevane om bygginga tek lengre tid enn planlagt?", ""),
    (2, 1, "Er mellombelse klasserom med i dei 164 millionane, eller kjem dei i tillegg?", ""),
    (
        3,
        1,
        "Fortau heile vegen frå krysset ved butikken, ikkje berre det siste stykket.",
        "Arne Bø",
    ),
    (3, 2, "Lomma for henting må vere stor nok for morgonrushet.", ""),
    (
        4,
        1,
        "Korpset treng eit lager for instrument i tillegg til musikkrommet.",
        "Lillevik skulekorps",
    ),
)

# Submissions: (sender kind, name, show name, organisation, organisation number, minor,
# text, with a PDF file).
SUBMISSIONS: tuple[tuple[str, str, bool, str, str, bool, str, bool], ...] = (
    (
        SenderKind.PERSON,
        "Ingrid Haugland",
        True,
        "",
        "",
        False,
        "Eg støttar tilrådinga om nybygg på same tomt. Borna våre har gått på ein skule "
        "med dårleg luft i mange år, og det hastar. Eg ber kommunen passe på at "
        "mellombelse klasserom har god ventilasjon.",
        False,
    ),
    (
        SenderKind.ORGANISATION,
        "Per Ås",
        True,
        "FAU Lillevik skule",
        "921014589",
        False,
        "FAU ved Lillevik skule støttar alternativ 3. Vi ber om at foreldre og elevråd får "
        "vere med i planlegginga av uteområdet, og at fortauet blir bygd før anleggsarbeidet "
        "startar, så skulevegen er trygg også i byggjetida. Vedtaket frå FAU-møtet ligg ved.",
        True,
    ),
    (
        SenderKind.PERSON,
        "Emma Haugland",
        False,
        "",
        "",
        True,
        "Eg går i 5. klasse. Eg vil at den nye skulen skal ha ein stor ballbinge og eit "
        "bibliotek der vi kan lese i friminutta.",
        False,
    ),
    (
        SenderKind.PERSON,
        "Knut Lie",
        False,
        "",
        "",
        False,
        "Eg er einig i tilrådinga, men er uroa for trafikken når anleggsbilane skal inn "
        "på tomta. Kan dei køyre ein annan veg enn forbi barnehagen? Fødselsnummeret mitt "
        "er 010190 00083 om de treng det for å svare meg.",
        False,
    ),
    (
        SenderKind.PERSON,
        "Marit Sande",
        True,
        "",
        "",
        False,
        "Eg meiner kommunen burde ha valt ny tomt nærare sentrum. Der kunne skulen lege "
        "nær idrettshallen og biblioteket, og fleire kunne gått til skulen.",
        False,
    ),
    (
        SenderKind.ORGANISATION,
        "Kari Vik",
        True,
        "Lillevik idrettslag",
        "",
        False,
        "Idrettslaget ønskjer at gymsalen blir bygd i full storleik for handball, med "
        "garderobar som kan brukast om kvelden. Då kan laget halde trening i bygda.",
        False,
    ),
)

# Answers to the submissions, by their index above (the rest wait for the case officer).
ANSWERS: dict[int, tuple[str, str]] = {
    0: (
        "adopted",
        "Takk for innspelet. Krav til ventilasjon i dei mellombelse klasseromma blir teke "
        "med i anbodet: same krav som for ein ny skule.",
    ),
    1: (
        "partly_adopted",
        "Elevrådet og FAU blir med i ei arbeidsgruppe for uteområdet. Fortauet blir bygd "
        "første året av byggjetida; heilt før anleggsstart rekk vi ikkje, men anleggsvegen "
        "blir skilt frå skulevegen med gjerde.",
    ),
    2: (
        "partly_adopted",
        "Takk! Ballbingen blir med. Eit eige bibliotek får vi ikkje plass til, men det "
        "blir ein lesekrok i fellesarealet.",
    ),
    4: (
        "not_adopted",
        "Ei ny tomt nærare sentrum kostar om lag 40 millionar kroner meir og er utanfor "
        "ramma i økonomiplanen. Difor tilrår kommunedirektøren same tomt.",
    ),
}
COMMENT_ANSWERS: dict[int, tuple[str, str]] = {
    2: (
        "adopted",
        "Ja, dei mellombelse klasseromma er med i dei 164 millionane.",
    ),
    3: (
        "under_review",
        "Vi ser på om fortauet kan gå heilt frå krysset ved butikken, og svarar i saksframlegget.",
    ),
}


def _staff_of(instance: MethodInstance) -> User | None:
    """The municipality's case officer (else an administrator): who edits and answers."""
    for role in (Role.CASE_OFFICER, Role.ADMINISTRATOR):
        membership = (
            Membership.objects.filter(municipality_id=instance.process.municipality_id, role=role)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            return membership.user
    return None


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html = (
        f'<html lang="nn"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f"<body><h1>{escape(title)}</h1>{body}<p>Lillevik kommune (fiktiv).</p></body></html>"
    )
    rendered = pdf.render(html)
    if rendered is not None:
        return rendered
    # Without WeasyPrint: the smallest PDF readers still open.
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _write_text(instance: MethodInstance, staff: User | None) -> None:
    """The period, and (once) the document with its PDF and its numbered text."""
    today = period.today()
    staff_actions.do_save_period(
        staff,
        instance,
        stage=PlanStage.NOT_PLAN,
        starts_on=today - dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=28),
    )
    if staff_queries.documents(instance):
        return
    paragraphs = [p for _heading, texts in SECTIONS for p in texts]
    upload = SimpleUploadedFile(
        ATTACHMENT_NAME, _pdf(DOCUMENT_TITLE, paragraphs), content_type="application/pdf"
    )
    document = staff_actions.do_add_document(
        staff,
        instance,
        title=DOCUMENT_TITLE,
        summary=DOCUMENT_SUMMARY,
        checked=uploads.check_upload(upload, {FileKind.PDF}),
    )
    for heading, texts in SECTIONS:
        section = staff_actions.do_add_section(staff, document, heading)
        for text in texts:
            staff_actions.do_add_paragraph(staff, section, text)


def _paragraph_key(instance: MethodInstance, section: int, paragraph: int) -> str | None:
    numbers = staff_queries.numbers(instance)
    wanted = f"{section}.{paragraph}"
    found = next((pk for pk, number in numbers.paragraphs.items() if number == wanted), None)
    return f"p{found}" if found is not None else None


def seed(instance: MethodInstance, rng: random.Random) -> int:
    """The høyring with its text, comments and submissions, most of them answered."""
    staff = _staff_of(instance)
    _write_text(instance, staff)
    anonymous = AnonymousUser()
    comments = []
    for section, paragraph, text, name in COMMENTS:
        part = _paragraph_key(instance, section, paragraph)
        if part is None:
            continue
        receipt = actions.do_comment(
            anonymous, instance, part=part, text=text, author_name=name, show_name=bool(name)
        )
        comments.append(receipt.contribution)
    submissions = []
    for kind, name, show, organisation, number, minor, text, with_file in SUBMISSIONS:
        files = []
        if with_file:
            content = _pdf(
                "Vedtak i FAU Lillevik skule",
                [
                    "FAU vedtok samrøystes å støtte alternativ 3, nybygg på same tomt.",
                    "FAU ber om å få vere med i planlegginga av uteområdet.",
                ],
            )
            files.append(
                SimpleUploadedFile("Vedtak FAU.pdf", content, content_type="application/pdf")
            )
        draft = SubmissionDraft(
            text=text,
            sender_kind=kind,
            author_name=name,
            show_name=show,
            organisation_name=organisation,
            organisation_number=number,
            is_minor=minor,
        )
        submissions.append(actions.do_submit(anonymous, instance, draft, files).contribution)
    if staff is not None:
        process = instance.process
        for index, (status, reason) in ANSWERS.items():
            do_respond(staff, process, [submissions[index].pk], status, reason)
        for index, (status, reason) in COMMENT_ANSWERS.items():
            if index < len(comments):
                do_respond(staff, process, [comments[index].pk], status, reason)
    return len(comments) + len(submissions)
