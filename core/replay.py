"""`warmline replay`: recorded conversations through the same understanding and handoff policy as live.

Input and output are the JSON Lines formats of the public contract (see ARCHITECTURE.md / README).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import IO, Any

from core.engine import HISTORY, RECENT_ANSWERS
from core.faq import normalise
from core.person_request import offers_person
from core.phrases import PhraseList
from core.signals import History, bot_reply_failed, last_question, offers_more_help
from core.understanding import Understander
from core.words import sentences

ROLES = ("customer", "agent", "bot")
_EPOCH_TEXT = re.compile(r"\d{10,}(\.\d+)?")  # epoch seconds or milliseconds written as text ("20260101" is ISO)


class ReplayError(ValueError):
    def __init__(self, line_no: int, problem: str) -> None:
        super().__init__(f"line {line_no}: {problem}")
        self.line_no = line_no


@dataclass(frozen=True)
class _Said:
    """A customer message as the live engine stores it."""
    sentiment: float | None
    text: str
    frustration: float
    reasons: tuple[str, ...]
    greets: bool = False  # only a greeting ("hi", "are you a bot?"): a reply to it answers nothing they need yet


@dataclass(frozen=True)
class _Reply:
    """A bot or agent message (recorded, or this bot's own where none are recorded)."""
    failed: bool
    answer: str | None = None  # the FAQ entry this bot's own reply answered from (simulated replies only)


def _gist(reply: str) -> str:
    """A reply without its short opening sentences (up to OPENING_WORDS words each, while more follows),
    normalised: what it answers. On USS this reads no repeat that word for word did not."""
    said = [(sentence, normalise(sentence)) for sentence in sentences(reply)]
    said = [(sentence, words) for sentence, words in said if words]
    while len(said) > 1 and len(said[0][1].split()) <= OPENING_WORDS:
        said.pop(0)
    while len(said) > 1 and offers_more_help(said[-1][0]):
        said.pop()
    return " ".join(words for _, words in said)


def _same_answer(said: str, earlier: str) -> bool:
    """Two gists give the same answer: word for word, or one is the other after an opening of a few words more ("I'm
    sorry to hear that. I can order you a replacement card…" and "I can order you a replacement card…")."""
    if said == earlier:
        return True
    shorter, longer = sorted((said, earlier), key=len)
    return (len(shorter.split()) >= ANSWER_WORDS and longer.endswith(" " + shorter)
            and len(longer.split()) - len(shorter.split()) <= OPENING_EXTRA_WORDS)


OPENING_EXTRA_WORDS = 8  # a longer opening before the same answer ("I'm sorry to hear that.") is still the same answer
OPENING_WORDS = 4  # an opening sentence this short ("Hi there! 👋", "No problem!") is not part of the answer
BOT_ANSWERS_KEPT = 5  # the bot's answers a repeat is looked for among: A, B, A is a loop too
ANSWER_WORDS = 6  # an answer repeated, not a "Sure, one moment!" or "Sorry to hear that." said again
ANSWER_CHARS = 4000  # of a many-line answer, the end is read for whether it said no (a bound, not a limit met)


@dataclass
class _State:
    # The conversation's last messages, as many as the live engine reads to decide (engine.HISTORY), so replay
    # weighs the same past: a failure 40 messages back no longer counts against the bot there either.
    recent: deque[_Said | _Reply] = field(default_factory=lambda: deque(maxlen=HISTORY))
    fallback_streak: int = 0
    turns: int = 0
    handed_off: bool = False
    answered: bool = True  # whether a recorded bot/agent line followed the last customer message
    simulated_failure: bool = False  # whether the bot itself would not have understood the last message
    simulated_answer: str | None = None  # the FAQ entry the bot itself would have answered the last message from
    recorded_replies: bool = False  # the transcript holds the bot's/agents' replies: they tell what failed
    unanswered_since: float | None = None  # epoch seconds of the customer's first message not yet answered
    bot_replies: deque[str] = field(default_factory=lambda: deque(maxlen=BOT_ANSWERS_KEPT))  # gists, newest last
    turned_down: bool = False  # the last recorded answer, a bot's or an agent's, said no (History.turned_down)
    answer: str = ""  # the lines of the last recorded answer so far: it is judged whole, "…Unfortunately…" or not
    answer_repeated: bool = False  # the last recorded answer was one of the bot's earlier ones again (`repeats_itself`)
    answer_by_person: bool = False  # the last recorded answer began with an agent's line, not the bot's

    def bot_outcome(self, failed: bool, answer: str | None = None) -> None:
        self.fallback_streak = self.fallback_streak + 1 if failed else 0
        self.recent.append(_Reply(failed, answer))

    def repeats_itself(self, reply: str) -> bool:
        """Whether a recorded bot answer is word for word the one it gave before: the customer's message in between
        was not understood, whatever the reply says. On USS the customer's next turn was rated dissatisfied 25-50% of
        the time after one (6-7% after any reply); a looping FAQ bot is the classic way a chat goes wrong. One of its
        last few answers said again (A, B, A) is a loop too, unless it is a question or an offer of more help ("What
        else can I do for you?"), which bots ask at every turn's end (USS: 142 such repeats, the next turn rated
        dissatisfied at or below the base rate; after the 35 others, 15%). Compared without a short opening ("Hi
        there! 👋", "No problem!", "Thanks for your patience!") and a closing "Anything else?", which bots vary while
        the answer stays the same, and the same answer after a longer opening is the same answer too (`_same_answer`:
        "I'm sorry to hear that." before it; tuning 515 -> 518 of 561 dissatisfied handed off, held-out sets pooled over
        19 173 -> 175 of 200, no satisfied one more; SGD 0.7540 -> 0.7536, one more dialogue handed off, MultiWOZ
        0.6096 -> 0.6095)."""
        said = _gist(reply)
        before = list(self.bot_replies)
        self.bot_replies.append(said)
        if len(said.split()) < ANSWER_WORDS or not before:
            return False
        if _same_answer(said, before[-1]):
            return True
        return (any(_same_answer(said, earlier) for earlier in before)
                and not (last_question(reply) or offers_more_help(reply)))

    def history(self, waiting: float | None, person: PhraseList) -> History:
        said = [m for m in self.recent if isinstance(m, _Said)]
        recent = list(self.recent)
        return History(
            tuple(m.sentiment for m in said), tuple(m.text for m in said), self.fallback_streak,
            sum(1 for m in recent if isinstance(m, _Reply) and m.failed), waiting,
            tuple(m.frustration for m in said), tuple(m.reasons for m in said),
            # a recorded answer that ends asking whether they want a person, or (where none is recorded) this bot's
            # own "did not understand" reply, offers one
            offered_person=(_offers_person(self.answer, person) if self.recorded_replies
                            else self.turns > 0 and self.simulated_failure),
            unanswered=self.recorded_replies and not self.answered,
            answered=_answered_recently(recent), turned_down=self.turned_down, by_person=self.answer_by_person,
            last_reply=self.answer, opening=not _answered_yet(recent), looped=self.answer_repeated)


def _answered_yet(recent: list[_Said | _Reply]) -> bool:
    """As engine.answered_yet: whether a reply came after something the customer said besides a greeting (a
    transcript's welcome before their first message answers nothing either)."""
    told = False
    for m in recent:
        if isinstance(m, _Said):
            told = told or not m.greets
        elif told:
            return True
    return False


def _offers_person(answer: str, person: PhraseList) -> bool:
    """A recorded answer that ends asking whether they want a person ("Sorry, I'm not sure I understood. Would you
    like to speak to an agent?"): a "yes" to it asks for one, as to this bot's own offer."""
    question = last_question(answer)
    return question is not None and offers_person(question, person)


def _answered_recently(recent: list[_Said | _Reply]) -> tuple[str, ...]:
    """As engine.answered_recently: the FAQ entries this bot answered from among the last few messages."""
    return tuple(m.answer for m in recent[-RECENT_ANSWERS:] if isinstance(m, _Reply) and m.answer is not None)


@dataclass
class Summary:
    conversations: int = 0
    messages: int = 0
    handed_off: int = 0
    reasons: Counter[str] = field(default_factory=Counter)  # what decided each handoff
    signals: Counter[str] = field(default_factory=Counter)  # what fired on any message: what to tune first
    openings: int = 0  # messages before anyone had answered: their scores count [policy] opening

    def text(self) -> str:
        rate = self.handed_off / self.conversations if self.conversations else 0.0

        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{name} {n}" for name, n in counter.most_common()) or "none"
        return (f"{self.conversations} conversations, {self.messages} customer messages, "
                f"{self.handed_off} handed off ({rate:.1%}); handoff reasons: {counts(self.reasons)}; "
                f"signals on any message: {counts(self.signals)}; {self.openings} messages before anyone answered "
                "(scored at [policy] opening)")


def parse_line(line: str, line_no: int) -> dict[str, Any] | None:
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        raise ReplayError(line_no, "not valid JSON") from None
    if not isinstance(record, dict):
        raise ReplayError(line_no, "not a JSON object")
    if not isinstance(record.get("conversation"), str | int) or isinstance(record.get("conversation"), bool):
        raise ReplayError(line_no, '"conversation" must be a string')
    if record.get("role") not in ROLES:
        raise ReplayError(line_no, f'"role" must be one of {", ".join(ROLES)}')
    if not isinstance(record.get("text"), str):
        raise ReplayError(line_no, '"text" must be a string')
    try:
        record["ts"] = epoch_seconds(record.get("ts"))
    except (ValueError, OverflowError, OSError):
        raise ReplayError(line_no, '"ts" must be ISO 8601 or epoch seconds') from None
    return record


MILLISECONDS_FROM = 1e11  # as epoch seconds that is the year 5138: a number this large counts milliseconds


def epoch_seconds(stamp: Any) -> float | None:
    """A line's "ts" (ISO 8601 or epoch seconds) as epoch seconds; None when absent; ValueError when it is
    neither. A time without a zone is taken as UTC. Exports often write epoch milliseconds, or the number as a
    string: both are read rather than stopping the replay."""
    if stamp is None:
        return None
    if isinstance(stamp, str) and _EPOCH_TEXT.fullmatch(stamp.strip()):
        stamp = float(stamp)
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        if abs(stamp) >= MILLISECONDS_FROM:
            stamp = stamp / 1000
        return datetime.fromtimestamp(stamp, UTC).timestamp()  # raises for times out of range
    if not isinstance(stamp, str):
        raise ValueError("not a time")
    moment = _written_time(stamp.strip())
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _written_time(text: str) -> datetime:
    """ISO 8601; also the two other ways exports write times: e-mail's RFC 2822 ("Tue, 31 Oct 2017 22:10:47
    +0000") and Twitter's ("Tue Oct 31 22:10:47 +0000 2017")."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"not a time: {text!r}") from None


def replay(lines: Iterable[str], understander: Understander, summary: Summary | None = None
           ) -> Iterator[dict[str, Any]]:
    """Yield one result per customer message, in input order. Raises ReplayError on a malformed line, before any
    result: the whole input is read first, to know which conversations record their replies."""
    summary = summary if summary is not None else Summary()
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as spool:  # a year's export need not fit
        answered = _spool(lines, spool)
        spool.seek(0)
        yield from _replay_records((parse_line(line, n) for n, line in enumerate(spool, start=1)), answered,
                                   understander, summary)


def _spool(lines: Iterable[str], spool: IO[str]) -> set[str]:
    """Check every line and copy it to the spool; return the conversations with recorded replies. Where a
    conversation's replies are recorded, a customer message before the first of them waited for it ("hello??"
    half an hour later is chasing); where none are, this bot would have answered at once."""
    answered = set()
    for line_no, line in enumerate(lines, start=1):
        record = parse_line(line, line_no)
        if record is not None and record["role"] != "customer":
            answered.add(str(record["conversation"]))
        spool.write(line.rstrip("\r\n") + "\n")  # one line each, so the second pass numbers them alike
    return answered


def _replay_records(records: Iterable[dict[str, Any] | None], answered: set[str], understander: Understander,
                    summary: Summary) -> Iterator[dict[str, Any]]:
    states: dict[str, _State] = {}
    for record in records:
        if record is None:
            continue
        conversation = str(record["conversation"])
        state = states.get(conversation)
        if state is None:
            state = states[conversation] = _State(recorded_replies=conversation in answered)
            summary.conversations += 1
        if record["role"] != "customer":
            # Context: what the customer was told. A recorded bot reply that failed them counts as the bot
            # failing; the shop FAQ's own view of a conversation from another business would mean nothing.
            state.unanswered_since = None
            if not state.answered:
                bot = record["role"] == "bot"
                repeated = state.answer_repeated = bot and state.repeats_itself(record["text"])
                state.answer = record["text"]
                state.answer_by_person = not bot
                refused = bot_reply_failed(state.answer, understander.content.patterns, by_person=not bot)
                state.bot_outcome(bot and (repeated or refused))  # a person's "no" is not the bot failing
                state.turned_down = repeated or refused
                state.answered = True
            else:  # more lines of the same answer: messages the live engine would read too, not more failures
                state.recent.append(_Reply(False))
                # Whether it said no is a question about the whole answer: a later "Unfortunately…" turns the
                # customer down, a later "I've refunded it" puts a first line's "sorry" right.
                state.answer = f"{state.answer}\n{record['text']}"[-ANSWER_CHARS:]
                failed = bot_reply_failed(state.answer, understander.content.patterns, by_person=state.answer_by_person)
                state.turned_down = state.answer_repeated or failed
            continue
        if not state.answered and state.turns and not state.recorded_replies:
            # No replies in the transcript at all: this bot's own answer is what they would have got. Where
            # replies are recorded, two customer messages in a row are just a follow-up, not a failure.
            state.bot_outcome(state.simulated_failure, state.simulated_answer)
        stamp = record["ts"]
        waiting = None  # only where replies are recorded: otherwise this bot would have answered at once
        if state.recorded_replies and stamp is not None and state.unanswered_since is not None:
            waiting = stamp - state.unanswered_since
        if state.unanswered_since is None:
            state.unanswered_since = stamp
        history = state.history(waiting, understander.content.patterns.person)
        u = understander.read(record["text"], history, judge_understanding=not state.recorded_replies)
        a = u.assessment
        sentiment, text = a.sentiment, u.said  # VADER's compound of the customer's own words
        handoff = a.handoff and not state.handed_off
        if handoff:
            state.handed_off = True
            summary.handed_off += 1
            summary.reasons.update(a.handoff_reasons)
        state.turns += 1
        greets = u.match is not None and u.match.entry.greets
        state.recent.append(_Said(sentiment, text, a.felt, tuple(a.reasons), greets))
        state.simulated_failure = not u.understood
        state.simulated_answer = None if state.handed_off else u.answer  # handed off: a person answers, not the FAQ
        state.answered = False
        summary.messages += 1
        summary.openings += history.opening
        summary.signals.update(a.reasons)
        yield {"conversation": conversation, "turn": state.turns, "sentiment": sentiment,
               "frustration": a.frustration, "handoff": handoff, "reason": a.reasons}
