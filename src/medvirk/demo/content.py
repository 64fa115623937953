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

PENDING_DECISION = (
    "Kommunestyret skal velje alternativ for Lillevik skule. Saksframlegget samlar innspela "
    "frå innbyggjarane og svara kommunen har gitt."
)

# Themes staff sort the input into (by a keyword in the text), and the duplicate groups:
# survey comments that say the same thing, word for word or nearly.
THEMES = {
    "Inneklima": ("mugg", "ventilasjon", "toaletta", "garderob"),
    "Skuleveg": ("skuleveg", "fylkesvegen", "unna for dei minste", "bussa"),
    "Kostnad": ("kostar", "dyrt", "dårleg råd"),
    "Nærmiljø": ("hjartet", "uteområdet", "fotballbana"),
}

# Duplicate group name -> the words that mark its comments, and the answer the group gets
# (status and text; "" leaves the group for the case officer to answer in the demo).
DUPLICATE_GROUPS = {
    "Kostnad over 40 år": (
        "Kva kostar dei ulike alternativa over 40 år?",
        "adopted",
        "Ja. Utgreiinga samanliknar alle alternativa med kostnad over 40 år: bygging, drift, "
        "vedlikehald og skyss. Tala kjem i saksframlegget til kommunestyret, og vi legg dei "
        "ut her på saka når dei er klare.",
    ),
    "Uteområdet og fotballbana": (
        "Uteområdet og fotballbana blir brukt",
        "partly_adopted",
        "Vi tek vare på uteområdet og fotballbana i alle alternativa på same tomta. Flyttar "
        "skulen, utgreier vi om bana kan bli verande for bygda.",
    ),
    "Farleg skuleveg langs fylkesvegen": ("Skulevegen langs fylkesvegen er farleg", "", ""),
    "Mugg og inneklima": ("Det luktar mugg i klasseromma", "", ""),
}

# A comment a moderator took down after it was published, and the reason shown in its place.
HIDDEN_INPUT = "Rektor er heilt udugeleg og burde sparkast før skulen blir flytta."
HIDDEN_REASON = (
    "Innspelet var eit personangrep på ein tilsett. Vi publiserer ikkje personangrep; "
    "skriv gjerne kva du meiner om saka."
)

# Case documents (rendered to PDF when the demo is loaded).
DOCUMENTS = (
    (
        "Tilstandsvurdering av Lillevik skule (2025)",
        "condition",
        "Samandrag av tilstandsvurderinga: fukt, ventilasjon og tak.",
        "Tilstandsvurdering av Lillevik skule",
        (
            "Bygget er frå 1962, med tilbygg frå 1978. Det er påvist fukt i kjellaren og "
            "muggsopp i to klasserom.",
            "Ventilasjonsanlegget gir ikkje nok luft i klasseromma når dei er fulle. Taket "
            "lek fleire stader og må skiftast innan tre år.",
            "Samla vurdering: tilstandsgrad 3 (stort avvik) for inneklima og tak.",
        ),
    ),
    (
        "Utgreiing: alternativa for Lillevik skule",
        "report",
        "Dei fire alternativa kommunestyret vel mellom, med kostnad og konsekvensar.",
        "Alternativa for Lillevik skule",
        (
            "Alternativ 1: leggje ned skulen og flytte elevane til Nordvik skule.",
            "Alternativ 2: rehabilitere bygget.",
            "Alternativ 3: byggje ny skule på same tomta.",
            "Alternativ 4: byggje ny skule på ei ny tomt nærare sentrum.",
        ),
    ),
)

# The kommune's answer templates: a start for the case officer, always read and adapted.
ANSWER_TEMPLATES = (
    (
        "Teke med i utgreiinga",
        "under_review",
        "Takk for innspelet. Vi tek det med i utgreiinga som kommunestyret får før dei vel "
        "alternativ. Du får eit endeleg svar når saka er avgjord.",
    ),
    (
        "Utanfor denne saka",
        "out_of_scope",
        "Dette er ikkje ein del av saka om Lillevik skule. Vi har sendt innspelet vidare til "
        "arbeidet med kommuneplanen, der det høyrer heime.",
    ),
)
