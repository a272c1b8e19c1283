"""Asking for a person, read from the words: English here, Spanish, French, German, Dutch and Portuguese in
`core.person_words`, and the operator's `person` patterns (any language) first. A request hands off on its own, so
a report ("I talked to an agent yesterday"), a question about what the bot is ("are you a real person?") or one's
own manager ("I need my manager to look at this") must not read as one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from core.person_words import asks_in_other_languages
from core.phrases import PhraseList
from core.words import words

PERSON_NOUNS = ("human", "person", "agent", "operator", "someone", "somebody", "representative", "assistant",
                "manager", "supervisor", "employee", "staff", "rep", "humans", "agents", "associate", "advisor")
NOT_PERSONS = {"assistance", "assist", "personal", "persons", "agency", "managed", "humane", "some", "sometime",
               "employer", "employers", "employed", "employment", "associated", "association", "humanity",
               "personne"}  # French, and "nobody" as often as "a person": core.person_words reads it
# Verbs that ask for contact whatever comes between them and the person ("talk to one of your agents").
CONTACT_VERBS = ("talk", "speak", "chat", "contact", "connect", "reach", "escalate", "direct", "redirect")
# After a contact verb these are people too: "speak to the billing team", "put me through to your complaints
# department", "talk to whoever handles refunds" (none occurs after one in CLINC150, BANKING77, Bitext or USS).
TEAM_NOUNS = frozenset({"team", "department", "dept", "desk", "specialist", "expert", "whoever"})
# Verbs that ask for a person only right before one ("I need an agent", "get me a human", "transfer me to").
WANT_VERBS = ("want", "need", "get", "give", "transfer", "put", "bring", "prefer")
ARTICLES = {"a", "an", "the", "some", "your", "real", "live", "actual", "me", "to", "with", "one", "of"}
# "Are you a real person?" asks what the bot is, not for a person; so does "is this chat with a human?".
_IDENTITY_QUESTION = re.compile(r"\b(are|r)\s+(you|u)\b|\byou(.re|\s+are)\b|\bif\s+you\b|\byourself\b", re.I)
_ABOUT_THIS_CHAT = re.compile(r"\bis\s+(this|it)\s+(chat\s+|conversation\s+)?(with\s+)?(a|an)\s+"
                              r"(real\s+|live\s+|actual\s+)?(human|person|bot|robot|machine|agent)\b", re.I)
# Asking for someone's involvement without a contact verb: a request word, a person, and something for them to do
# ("I'd like a human to look at this", "can one of your team ring me?", "I want to complain to a manager"). Not
# one's own ("I need my manager to look at this invoice"), and "someone" only with a contact verb: "can someone
# please assist me with finding my nearest ATM?" asks for help with a task.
REQUEST_WORDS = frozenset({"can", "could", "would", "will", "please", "pls", "plz", "want", "need", "like", "let",
                           "get", "put", "have", "who"})
ACTIONS = ("talk", "speak", "chat", "call", "ring", "contact", "connect", "reach", "escalat", "look", "handle",
           "check", "review", "deal", "complain", "touch", "through", "help", "assist")
CONTACT_ACTIONS = ("talk", "speak", "chat", "call", "ring", "contact", "touch", "through", "reach")
NOT_THE_ONE = frozenset({"my", "our", "his", "her", "their", "1", "one", "2", "two", "3", "three", "4", "four", "good",
                         "bad", "nice", "kind"})  # one's own, a count ("a table for 1 person"), a description
ACTION_WINDOW = 6  # words either side of the person in which what they should do is said


@lru_cache(maxsize=8192)  # a word's answer never changes, and the fuzzy comparison is the costly part
def _is_person_noun(word: str) -> bool:
    """A person noun or a typo of one ("somneone"), but not a typo of a word that only looks like one: "i need
    assiustance to check my bill" misspells "assistance", not "assistant"."""
    if word in NOT_PERSONS:
        return False
    if word in PERSON_NOUNS:
        return True
    if len(word) < 6:
        return False
    person = max((fuzz.ratio(word, n) for n in PERSON_NOUNS if len(n) >= 6), default=0.0)
    return person >= 80 and person >= max(fuzz.ratio(word, n) for n in NOT_PERSONS)


@lru_cache(maxsize=8192)
def _is_verb(word: str, verbs: tuple[str, ...]) -> bool:
    """A verb or a typo of one ("speek", "conatct"); words under five letters must match exactly."""
    if word.startswith(verbs):
        return True
    return len(word) >= 5 and any(len(v) >= 4 and fuzz.ratio(word, v) >= 75 for v in verbs)


@lru_cache(maxsize=256)  # asked twice per message: by the Understander (no FAQ answer for it) and by the signal
def asks_for_person(text: str, patterns: PhraseList) -> bool:
    """An explicit request for a person, however phrased: the operator's patterns (any language), or, in
    English, a contact verb followed closely by a person noun, tolerating typos ("talk with somneone"), and the same
    kind of reading in Spanish, French, German, Dutch and Portuguese (`core.person_words`)."""
    if patterns.search(text):
        return True
    if _ABOUT_THIS_CHAT.search(text):
        return False
    tokens = words(text)
    for i, token in enumerate(tokens):
        if i >= 2 and tokens[i - 1] == "i" and tokens[i - 2] == "am":  # "am I talking to a person?": what is it
            continue
        if (_asks_for_contact(tokens, i) and not _reported(tokens, i)
                and any(_is_person_noun(w) or w in TEAM_NOUNS for w in tokens[i + 1:i + 6])):
            return True
        if token in WANT_VERBS:
            rest = [w for w in tokens[i + 1:i + 5] if w not in ARTICLES]
            if rest and _is_person_noun(rest[0]) and rest[0] not in ("someone", "somebody"):
                return True
    if asks_in_other_languages(tuple(tokens)):
        return True
    if _IDENTITY_QUESTION.search(text):
        return False
    if _involves_a_person(tokens):
        return True
    return len(tokens) <= 3 and any(_is_person_noun(w) for w in tokens) and not any(
        w in ("who", "what", "which", "how", "why") for w in tokens)


def _asks_for_contact(tokens: list[str], i: int) -> bool:
    """A contact verb ("speak", "reach"), or "transfer me" / "put me through" (not "transfer money to someone")."""
    token = tokens[i]
    if token == "transfer":
        return tokens[i + 1:i + 2] == ["me"]
    if token == "through":
        return tokens[i - 1:i] == ["me"]
    return _is_verb(token, CONTACT_VERBS)


def _involves_a_person(tokens: list[str]) -> bool:
    """A request word, then a person (not one's own), and something for them to do near them."""
    for i, token in enumerate(tokens):
        if token not in REQUEST_WORDS:
            continue
        for j in range(i + 1, min(len(tokens), i + 7)):
            word = tokens[j]
            if not _is_person_noun(word) or tokens[j - 1] in NOT_THE_ONE:
                continue
            actions = CONTACT_ACTIONS if word in ("someone", "somebody") else ACTIONS
            near = range(max(0, j - ACTION_WINDOW), min(len(tokens), j + ACTION_WINDOW + 1))
            if any(k != j and tokens[k].startswith(actions) and not _reported(tokens, k) for k in near):
                return True
    return False


def _reported(tokens: list[str], i: int) -> bool:
    """A contact verb in the past tells what happened, not what they want: "I talked to an agent yesterday", "we
    contacted a human last week". Not "get connected to an agent", which asks."""
    return tokens[i].endswith("ed") and (i == 0 or tokens[i - 1] not in ("get", "be", "getting", "being", "got"))


# A reply offering a person in its own words rather than in a request's: "Would you like me to bring in a person?",
# "Shall I pass you to one of our team?", "Do you want a callback from a colleague?".
_OFFER = re.compile(r"\b(would\s+you\s+(like|prefer)|do\s+you\s+want|want\s+me\s+to|shall\s+i|should\s+i|"
                    r"(can|may|could)\s+i\s+(transfer|pass|put|bring|connect)\s+you)\b", re.IGNORECASE)
OFFERED_PEOPLE = TEAM_NOUNS | {"colleague", "colleagues", "callback"}
COUNTS = frozenset({"1", "one", "2", "two", "3", "three", "4", "four", "5", "five", "6", "six", "per", "each"})


def offers_person(question: str, patterns: PhraseList) -> bool:
    """A question from the bot or an agent that offers the customer a person: one that would ask for one in the
    customer's mouth ("Would you like to speak to an agent?"), or an offer that names one ("Would you like me to bring
    in a person?"). Not a count of people ("Would you like me to book it for 1 person?", "…for your 4 guests")."""
    if asks_for_person(question, patterns):
        return True
    if not _OFFER.search(question):
        return False
    tokens = words(question)
    return any((w in OFFERED_PEOPLE or _is_person_noun(w)) and (i == 0 or tokens[i - 1] not in COUNTS)
               for i, w in enumerate(tokens))
