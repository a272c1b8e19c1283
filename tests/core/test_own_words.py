"""An e-mail's quoted earlier message, its mail app's sign-off and pasted code are not the customer's words."""

import asyncio

import pytest

import config
from core.own_words import own_words
from core.signals import History
from core.understanding import Understander
from tests.core.test_replay import run


@pytest.mark.parametrize(("text", "own"), [
    ("Thanks, that worked!\n\nSent from my iPhone\n\n-----Original Message-----\nFrom: Support\n"
     "We are sorry you had a terrible experience.", "Thanks, that worked!"),
    ("ok thank you\n\nOn Mon, 3 Dec 2026, Support <help@acme.com> wrote:\n> Unfortunately refunds take 10 days.",
     "ok thank you"),
    ("Still broken.\n\nOn Mon, 3 Dec 2026 at 10:02, Acme Support <help@acme.com>\nwrote:\n\n> Have you tried it?",
     "Still broken."),  # the header wrapped over two lines
    ("Merci !\n\nLe lun. 3 déc. 2026 à 10:02, Support <help@acme.com> a écrit :\n> Désolé", "Merci !"),
    ("I am still waiting\n________________________________\nFrom: Acme <help@acme.com>\nSent: Monday\nUnfortunately",
     "I am still waiting"),
    ("line one\nwith a > inside\n> a quoted line\nlast line", "line one\nwith a > inside\nlast line"),
    ("> nothing but quotation\n> here", "> nothing but quotation\n> here"),  # nothing else to read: left whole
    ("On my way home, the parcel was not there.\nI wrote to you yesterday: nothing", None),  # not a mail header
    ("a chat message > with an arrow", None),
    ("I&#39;m still waiting &amp; nobody answers", "I'm still waiting & nobody answers"),  # an export's entities
    ("fish & chips", None),
    # round 36: code and pasted output in backticks are the machine's words ("`502 Bad Gateway`": VADER -0.94)
    ("failing with `502 Bad Gateway`. Error log: `upstream connect error`", "failing with  . Error log:  "),
    ("it crashes here:\n```\nFatalError: killed\n```\nevery time", "it crashes here:\n \nevery time"),
    ("I can`t log in, it`s broken", None),  # backticks as apostrophes
    ("`fatal error`", None),  # nothing but code: left whole
    # a log or a traceback pasted without backticks, known by its lines' shape
    ("export keeps failing, log:\n2026-12-06 10:02:11 ERROR export failed\n[FATAL] worker killed\nany idea?",
     "export keeps failing, log:\nany idea?"),
    ("it crashes:\nTraceback (most recent call last):\n  File \"app.py\", line 3, in <module>\nValueError: bad\nthanks",
     "it crashes:"),  # the last line's "thanks" signs it off (below)
    ("Info about my order\nat home (mostly) since Monday\nwhere is it", None),  # words, not a log's shape
    # round 47: an e-mail's salutation and sign-off are its form ("Thanks,\nPriti" had read as a thank-you)
    ("Hi,\n\nI've only been refunded for one.\n\nThanks,\nPriti", "I've only been refunded for one."),
    ("Hello,\n\nMid-January. She's 92.\n\nSusan", "Mid-January. She's 92."),
    ("Dear Customer Care,\n\nThat is the same reply.\n\nYours faithfully,\nR. Okonjo", "That is the same reply."),
    ("Hi,\n\nWe cancelled on 2 November.\n\nJo, Office Manager", "We cancelled on 2 November."),
    ("Great, it works now.\n\nThanks, Sam", "Great, it works now."),
    ("my order hasn't come\nStill Waiting", None),  # a name alone is a sign-off only after a salutation
    ("hey the app keeps crashing\nplease help", None),  # a first line that says something is not a salutation
    ("hello\nwhere is my order", "where is my order"),
    ("the parcel is lost. thanks\nfor nothing", None),  # not a formula and a name
    ("Thanks,\nClaire", None),  # nothing else to read: left whole
])
def test_own_words(text, own):
    assert own_words(text) == (text if own is None else own)


def test_a_thanks_over_a_quoted_refusal_is_a_thanks():
    """Replayed from a helpdesk export, the customer's reply carries ours below it: only theirs is scored."""
    quoted = ("Thanks, that worked!\n\nOn Mon, 3 Dec 2026, Support <help@acme.com> wrote:\n"
              "> We are sorry you had a terrible experience. Unfortunately the item cannot be refunded.")
    result = run(("customer", "my code doesn't work"), ("agent", "I've sent you a new code."), ("customer", quoted))
    assert result[-1]["frustration"] == 0 and result[-1]["sentiment"] > 0


def test_live_the_quoted_reply_is_not_scored():
    """A channel that forwards mail hands the bot the same: the bot answers the thanks, not our quoted apology."""
    understander = Understander(config.load_content())
    quoted = "thanks, sorted now\n\n> Sorry, unfortunately this is a terrible problem and we cannot help."
    understood = asyncio.run(understander.understand(quoted, History(texts=("my code doesn't work",))))
    assert understood.assessment.frustration == 0 and understood.assessment.sentiment > 0
