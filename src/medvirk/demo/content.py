"""The Lillevik case in the municipality's own words (nynorsk). Fictional."""

from __future__ import annotations

MUNICIPALITY = {
    "name": "Lillevik kommune",
    "slug": "lillevik",
    # Fictional: county number 99 does not exist, so this never clashes with a real kommune.
    "kommunenummer": "9901",
    "inhabitants": 4012,
    "default_language": "nn",
    "privacy_contact": "personvern@lillevik.example.org",
    "email_from": "postmottak@lillevik.example.org",
}

PROCESS = {
    "title": "Framtida for Lillevik skule",
    "slug": "lillevik-skule",
    "summary": (
        "Lillevik skule er i svært dårleg stand. Kommunestyret skal velje kva som skal skje "
        "med skulen. Før dei gjer det, vil dei høyre kva du meiner."
    ),
    "body": (
        "Elevrådet, FAU, lærarar, elevar og foreldre har klaga på tilstanden til skulen. "
        "Lokalavisa har skrive om slitasjen, og saka er mykje diskutert i sosiale medium.\n\n"
        "Ei tilstandsvurdering frå 2025 viser fukt i kjellaren, dårleg ventilasjon og tak som "
        "må skiftast. Skulen har 148 elevar frå 1. til 7. trinn.\n\n"
        "Alternativa spenner frå å leggje ned skulen og flytte elevane til Nordvik skule, via "
        "rehabilitering, til nybygg på same tomt eller ei ny tomt."
    ),
    "topics": ["skule", "barn og unge", "bygg"],
    "area": "Lillevik krins",
    "open_to_influence": (
        "Kva alternativ kommunestyret bør velje, kva som er viktig for skulevegen, og korleis "
        "skulen kan brukast av nærmiljøet etter skuletid."
    ),
    "already_decided": (
        "Elevane skal ikkje gå vidare i bygget slik det er i dag. Ramma for investeringar er "
        "sett i økonomiplanen: høgst 180 millionar kroner."
    ),
    "decided_by": "Kommunestyret i Lillevik",
}

PHASES = (
    "Vi samlar fakta og høyrer kva innbyggjarane meiner om skulen i dag.",
    "Vi legg fram 3–4 alternativ med kostnad og konsekvensar, og ber om innspel på dei.",
    "Kommunestyret vedtek kva som skal skje. Alle innspel får eit grunngitt svar.",
)

RESPONSES = {
    "under_review": (
        "Takk for innspelet. Vi går gjennom alle svara og tek dei med i utgreiinga som "
        "kommunestyret får før dei vel alternativ."
    ),
    "adopted": ("Trygg skuleveg er teke med som eit krav i alle alternativa som blir utgreidde."),
    "partly_adopted": (
        "Vi utgreier bruk av skulen for lag og foreiningar etter skuletid, men berre for "
        "alternativa med nybygg, fordi det gamle bygget ikkje kan oppgraderast til det."
    ),
    "not_adopted": (
        "Å behalde bygget utan store tiltak er ikkje mogleg: tilstandsvurderinga viser at "
        "inneklimaet ikkje er forsvarleg for elevar og tilsette."
    ),
    "out_of_scope": (
        "Skulestruktur i heile kommunen er ikkje ein del av denne saka. Innspelet er sendt "
        "vidare til arbeidet med kommuneplanen."
    ),
}

PENDING_DECISION = (
    "Kommunestyret skal velje alternativ for Lillevik skule. Saksframlegget samlar innspela "
    "frå innbyggjarane og svara kommunen har gitt."
)
