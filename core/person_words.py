"""Asking for a person in Spanish, French, German, Dutch and Portuguese, read from the words as English is (see
`core.person_request`): a contact verb before a person ("pásame con un agente", "mettez-moi en relation avec
un conseiller"), a person before the verb where the verb comes last ("ich möchte mit einem Berater sprechen", "ik wil
met uw leidinggevende spreken"), wanting one ("quiero un operador", "preciso de um atendente", "ik heb een medewerker
nodig"), or a message that is nothing but one ("agente por favor", "kein Bot, ein Mensch bitte").

Phrase patterns alone found 4 of 15 everyday requests per language, and 54% of a second set written after they were
extended; the words generalise as the English rules do. Accents are ignored ("pasame", "alguem"). A report is not a
request: no verb of asking, no match ("el agente fue muy amable", "der Mitarbeiter gestern war sehr nett"), and French
"personne ne…" is nobody. Callbacks ("llámenme", "rappelez-moi") stay in the operator's `person` patterns.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Language:
    persons: frozenset[str]  # who they want: "agente", "conseiller", "Mitarbeiter"
    contact: frozenset[str]  # verbs that ask for contact with whoever follows: "hablar", "parler", "verbinden"
    want: frozenset[str]  # "quiero", "je veux", "ich brauche": only right before a person
    fillers: frozenset[str]  # articles, "real", "please", "now": skipped between a want and its person
    contact_after_me: frozenset[str] = NONE  # the same after "me": "me pasa con", "me comunica con"
    contact_last: frozenset[str] = NONE  # verbs that come after the person: "mit einem Mitarbeiter sprechen"
    want_after: frozenset[str] = NONE  # after the person: "een medewerker nodig"


def _set(words: str) -> frozenset[str]:
    return frozenset(plain(w) for w in words.split())


def plain(word: str) -> str:
    """The word without accents: customers type "pasame" and "alguem" as often as "pásame" and "alguém"."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


PLEASE = _set("por favor porfa pf svp stp s'il vous plait bitte graag alstublieft alsjeblieft aub ahora agora ya ja "
              "maintenant jetzt sofort nu meteen urgente urgent")
NOT_A_BOT = _set("no not ni kein keinen keine geen pas nao bot bots robot robo robots chatbot maquina machine computer "
                 "ia ai automatico")

LANGUAGES: dict[str, Language] = {
    "es": Language(
        persons=_set("persona humano humana agente operador operadora asesor asesora representante encargado encargada "
                     "supervisor supervisora gerente responsable alguien ejecutivo ejecutiva"),
        contact=_set("hablar hablen habla comunicarme comunicarse comunicar comuniqueme comunicame contactar "
                     "pasame paseme pasadme pasarme pasenme ponme pongame ponedme ponganme transfiereme transferir "
                     "transfiera conectame conecteme conectar atienda atiendan atendido atendida atencion chatear"),
        contact_after_me=_set("pasa pasas pasan pase pone pones ponen comunica comunicas comunican conecta conectas "
                              "transfiere transfieres"),
        want=_set("quiero necesito exijo deseo prefiero quisiera dame deme denme pido solicito"),
        fillers=_set("un una uno el la al a con de del algun alguna real verdadero verdadera verdad otro otra mas"),
    ),
    "fr": Language(
        persons=_set("humain personne conseiller conseillere agent operateur operatrice responsable superieur "
                     "quelqu'un interlocuteur interlocutrice manager"),
        contact=_set("parler passez passe passer mettez mettre joindre contacter transferez transferer transfere "
                     "avoir discuter"),
        want=_set("veux voudrais souhaite souhaiterais aimerais exige demande besoin faut"),
        fillers=_set("un une le la l' d'un d'une du des a au avec vrai vraie vraiment de suite tout"),
    ),
    "de": Language(
        persons=_set("mensch menschen person mitarbeiter mitarbeiterin berater beraterin kundenberater kundenberaterin "
                     "vorgesetzten vorgesetzter ansprechpartner ansprechpartnerin jemand jemandem jemanden "
                     "kundendienst kundenservice agent agenten manager chef"),
        contact=_set("verbinden verbinde verbindet durchstellen weiterleiten kontaktieren"),
        contact_last=_set("sprechen reden chatten telefonieren verbinden"),
        want=_set("brauche will mochte moechte hatte haette gerne verlange geben gib benotige wunsche"),
        fillers=_set("ein eine einen einem einer den dem der die mit echten echte echter richtigen richtige mal doch "
                     "endlich gern sie mir mich uns ihnen"),
    ),
    "nl": Language(
        persons=_set("mens persoon medewerker medewerkster iemand leidinggevende manager klantenservice adviseur "
                     "agent"),
        contact=_set("spreken praten chatten bellen doorverbinden verbind verbinden"),
        contact_last=_set("spreken praten chatten bellen"),
        want=_set("wil wilt mag vraag eis"),
        want_after=_set("nodig"),
        fillers=_set("een de het met echte echt even snel uw jullie je ik"),
    ),
    "pt": Language(
        persons=_set("pessoa humano humana atendente agente operador operadora assistente gerente supervisor "
                     "supervisora responsavel alguem consultor consultora"),
        contact=_set("falar fale conversar converse passa passe passar passem transferir transfira transfere "
                     "transferem ligar atender atenda atendido atendida coloque coloca coloquem contatar contactar"),
        want=_set("quero preciso exijo desejo prefiro gostaria queria peco solicito"),
        fillers=_set("um uma o a com de do da para real verdadeiro verdadeira outro outra"),
    ),
}
ANY_PERSON = frozenset().union(*(language.persons for language in LANGUAGES.values()))
CONTACT_WINDOW = 6  # words after a contact verb where the person may come ("mettez-moi en relation avec un conseiller")
LAST_WINDOW = 4  # words after the person in which a final verb may come ("iemand van de klantenservice praten")
WANT_WINDOW = 4  # words after a want in which the person must be the first that is not a filler


def asks_in_other_languages(tokens: tuple[str, ...]) -> bool:
    """Whether the message's words (as `core.words.words` gives them) ask for a person in one of the five languages.
    Called once per message by `core.person_request.asks_for_person`, which caches per text."""
    words = tuple(plain(t) for t in tokens)
    if ANY_PERSON.isdisjoint(words):  # every way of asking names someone: most messages stop here
        return False
    return any(_asks(words, language) for language in LANGUAGES.values())


def _asks(words: tuple[str, ...], lang: Language) -> bool:
    for i, word in enumerate(words):
        contact = word in lang.contact or (i > 0 and words[i - 1] == "me" and word in lang.contact_after_me)
        if contact and any(_person(words, j, lang) for j in range(i + 1, min(len(words), i + 1 + CONTACT_WINDOW))):
            return True
        if word in lang.want:
            rest = [j for j in range(i + 1, min(len(words), i + 1 + WANT_WINDOW))
                    if words[j] not in lang.fillers and words[j] not in PLEASE]
            if rest and _person(words, rest[0], lang):
                return True
        if _person(words, i, lang):
            after = words[i + 1:i + 1 + LAST_WINDOW]
            if any(w in lang.contact_last for w in after) or any(w in lang.want_after for w in after[:3]):
                return True
    # nothing but a person: "agente por favor", "un conseiller svp", "kein Bot, ein Mensch bitte"
    rest = [w for w in words if w not in lang.fillers and w not in PLEASE and w not in NOT_A_BOT]
    return bool(rest) and all(w in lang.persons for w in rest) and len(rest) <= 2


def _person(words: tuple[str, ...], j: int, lang: Language) -> bool:
    """A person noun at j; French "personne ne…" is nobody."""
    if words[j] not in lang.persons:
        return False
    nobody = words[j] == "personne" and j + 1 < len(words) and (words[j + 1] == "ne" or words[j + 1].startswith("n'"))
    return not nobody
