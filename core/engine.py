"""The conversation engine: turns one customer message or agent reply into a committed Turn.

Each event is handled under its conversation's lock, reading the state fresh inside it, so two messages that
arrive together cannot both open a handoff. Nothing is sent from here: messages are queued in the same
transaction that records them, and the sender delivers them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from core.conversation import Conversation, Status, Transition, transition
from core.handoff_card import CardLine, HandoffCard
from core.language import written_in
from core.messages import AgentReply, InboundMessage
from core.relaying import is_internal
from core.replies import ReplyWriter
from core.signals import History, says_no
from core.store import MessageRecord, Outgoing, Role, Store, Target, Turn
from core.understanding import Understander, Understanding

HISTORY = 30  # messages read to decide (trend, repetition, the card's transcript)
RECENT_ANSWERS = 6  # an FAQ answer among this many last messages, asked for again, is repeated (and did not help)
CARD_LINES = 8  # messages shown verbatim on the handoff card


class Engine:
    def __init__(self, store: Store, understander: Understander, *, desk_available: bool,
                 on_commit: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.understander = understander
        self.replies = ReplyWriter(understander.content)
        self.desk_available = desk_available
        self.on_commit = on_commit
        # The bot's replies to a greeting ("hi", "are you a bot?"): they answer nothing the customer needs yet.
        self._greetings = frozenset(f"smalltalk:{e.id}" for e in understander.content.faq if e.greets)

    async def handle_customer(self, msg: InboundMessage, inbox_id: int | None = None) -> Turn:
        async with self.store.conversation_lock(msg.ref.key):
            conv, history = await self.store.conversation_with_history(msg.ref, msg.sender_name, msg.received_at,
                                                                       HISTORY)
            turn = await self._customer_turn(conv, history, msg)
            await self.store.commit(turn, inbox_id)
        self.on_commit()
        return turn

    async def handle_agent(self, reply: AgentReply, inbox_id: int | None = None) -> Turn | None:
        """Relay an agent's thread reply (or keep it as an internal note). None if the thread is not ours."""
        found = await self.store.conversation_by_thread(reply.desk_channel, reply.thread)
        if found is None:
            return None
        async with self.store.conversation_lock(found.ref.key):
            conv = await self.store.conversation(found.id) or found
            record = MessageRecord(Role.NOTE if is_internal(reply.text) else Role.AGENT, reply.text,
                                   reply.received_at, author=reply.agent_name)
            transitions: tuple[Transition, ...] = ()
            outgoing: tuple[Outgoing, ...] = ()
            if record.role is Role.AGENT and not reply.text.strip():  # a file or an image on its own
                outgoing = (Outgoing(Target.THREAD, "Only text reaches the customer: that attachment was not sent.",
                                     author="warmline"),) if self.desk_available else ()
            elif record.role is Role.AGENT:
                if conv.status is not Status.HUMAN:
                    transitions = (transition(conv, Status.HUMAN, f"agent:{reply.agent_name}", "agent replied",
                                         reply.received_at),)
                outgoing = (Outgoing(Target.CUSTOMER, reply.text, author=reply.agent_name, from_human=True),)
            turn = Turn(conv.id, (record,), transitions, outgoing)
            await self.store.commit(turn, inbox_id)
        self.on_commit()
        return turn

    async def hand_back(self, conversation_id: str, actor: str, at: datetime) -> Turn | None:
        """An agent returns the conversation to the bot; the customer is told."""
        found = await self.store.conversation(conversation_id)
        if found is None or not found.with_people:
            return None
        async with self.store.conversation_lock(found.ref.key):
            conv = await self.store.conversation(conversation_id) or found
            if not conv.with_people:
                return None
            text = self.replies.pick("handback", 0)
            outgoing = [Outgoing(Target.CUSTOMER, text)]
            if self.desk_available:
                who = actor.removeprefix("agent:")  # the transition keeps the kind of actor; people read the name
                outgoing.append(Outgoing(Target.THREAD, f"{who} handed the conversation back to the bot.",
                                         author="warmline"))
            turn = Turn(conv.id, (MessageRecord(Role.BOT, text, at, kind="handback"),),
                        (transition(conv, Status.BOT, actor, "handed back", at),), tuple(outgoing))
            await self.store.commit(turn, None)
        self.on_commit()
        return turn

    async def _customer_turn(self, conv: Conversation, history: list[MessageRecord],
                             msg: InboundMessage) -> Turn:
        customer_history = [m for m in history if m.role is Role.CUSTOMER]
        waited = unanswered_for(history, msg.received_at)
        answered = answered_recently(history)
        offered_person = bool(history) and history[-1].kind == "fallback"  # its "did not understand" replies offer one
        u = await self.understander.understand(msg.text, History(
            sentiments=tuple(m.sentiment for m in customer_history),
            texts=tuple(m.text for m in customer_history),
            frustrations=tuple(m.frustration or 0.0 for m in customer_history),
            reasons=tuple(m.reasons for m in customer_history),
            fallback_streak=fallback_streak(history),
            failures=sum(1 for m in history if m.kind == "fallback"),
            waiting_seconds=waited,
            unanswered=waited is not None,
            offered_person=offered_person,
            answered=answered,
            last_reply=next((m.text for m in reversed(history) if m.role in (Role.BOT, Role.AGENT)), ""),
            opening=not answered_yet(history, self._greetings),
        ))
        a = u.assessment
        said = msg.text or _describe(msg.attachments)
        record = MessageRecord(Role.CUSTOMER, said, msg.received_at, author=msg.sender_name,
                               sentiment=a.sentiment, frustration=a.felt, reasons=tuple(a.reasons))
        transitions: list[Transition] = []
        if conv.status is Status.CLOSED:
            transitions.append(transition(conv, Status.BOT, "customer", "customer wrote again", msg.received_at))
            conv = _with_status(conv, Status.BOT)

        if conv.with_people:
            outgoing = (Outgoing(Target.THREAD, said, author="customer"),) if self.desk_available else ()
            return Turn(conv.id, (record,), tuple(transitions), outgoing)

        rotation = sum(1 for m in history if m.role is Role.BOT)
        first_contact = not history
        if a.handoff:
            return self._handoff_turn(conv, history, record, u, transitions, rotation, first_contact)

        if not msg.text.strip():
            kind, text = "no_text", self.replies.no_text(rotation)
        elif u.wordless and not a.upset:  # "👍": an acknowledgement ("😡😡" gets the upset fallback)
            kind, text = "emoji_only", self.replies.emoji_only(rotation)
        elif u.reference:  # "order 5521": the bot cannot look it up, and says so
            kind, text = "reference", self.replies.pick("reference", rotation)
        elif u.match is not None:
            kind = f"{'smalltalk' if u.match.entry.smalltalk else 'faq'}:{u.match.entry.id}"
            repeated = u.answer is not None and u.answer in answered  # as the asked_again signal reads it
            text = self.replies.faq_answer(u.match.entry, upset=a.upset, repeated=repeated,
                                           said_again="repeating" in a.reasons, rotation=rotation)
            if first_contact and u.match.entry.covered_by_disclosure:
                text = ""
        elif offered_person and says_no(msg.text):  # "no" to the person it offered
            kind, text = "declined_person", self.replies.pick("declined_person", rotation)
        else:
            after_answer = bool(history) and history[-1].role is Role.BOT and history[-1].kind.startswith("faq:")
            kind, text = "fallback", self.replies.fallback(upset=a.upset, rotation=rotation,
                                                           other_language=u.other_language, after_answer=after_answer)
        if first_contact:
            text = f"{self.replies.disclosure()} {text}".strip()
        reply = MessageRecord(Role.BOT, text, msg.received_at, kind=kind)
        return Turn(conv.id, (record, reply), tuple(transitions), (Outgoing(Target.CUSTOMER, text),))

    def _handoff_turn(self, conv: Conversation, history: list[MessageRecord], record: MessageRecord,
                      u: Understanding, transitions: list[Transition], rotation: int,
                      first_contact: bool) -> Turn:
        a = u.assessment
        reasons = tuple(a.handoff_reasons)
        transitions.append(transition(conv, Status.HANDOFF, "bot", ", ".join(reasons), record.at))
        messages = [*history, record]
        # For the card and the multilingual notice; without a desk there is no card and the notice is the English
        # "nobody can be reached", so pycld2 is not run.
        said = [m.text for m in messages if m.role is Role.CUSTOMER][-5:]
        language = written_in(said) if self.desk_available else None
        text = self.replies.handoff(upset=a.upset, desk_available=self.desk_available, rotation=rotation,
                                    other_language=language is not None, sensitive="sensitive" in a.reasons)
        if first_contact:
            text = f"{self.replies.disclosure()} {text}"
        notice = MessageRecord(Role.BOT, text, record.at, kind="handoff")
        outgoing = [Outgoing(Target.CUSTOMER, text)]
        if self.desk_available:
            card = build_card(conv, messages, reasons, tuple(a.handoff_details), a.mood, language)
            outgoing.append(Outgoing(Target.THREAD_OPEN, card=card))
        return Turn(conv.id, (record, notice), tuple(transitions), tuple(outgoing), handoff_reasons=reasons)


def build_card(conv: Conversation, messages: list[MessageRecord], reasons: tuple[str, ...],
               details: tuple[str, ...], mood: float, language: str | None) -> HandoffCard:
    """`mood`: the policy's reading of the last message without a request for a person in it (Assessment.mood);
    the earlier messages show their stored frustration. `language`: what the customer writes in, if not English
    (core.language.written_in)."""
    customer = [m for m in messages if m.role is Role.CUSTOMER]
    tried = []
    for m in messages:
        if m.role is Role.BOT and m.kind.startswith("faq:"):
            tried.append(f"answered {m.kind[4:]}")
    misses = sum(1 for m in messages if m.kind == "fallback")
    if misses:
        tried.append(f"did not understand {misses}x")
    return HandoffCard(
        conversation_id=conv.id,
        customer_name=conv.customer_name,
        channel=conv.ref.channel,
        reasons=reasons,
        reason_details=details,
        sentiments=tuple(m.sentiment for m in customer[-5:]),
        transcript=tuple(CardLine(m.role.value, m.text) for m in messages[-CARD_LINES:] if m.role is not Role.NOTE),
        bot_tried=tuple(dict.fromkeys(tried)),
        waiting_since=(customer[0].at if customer else conv.created_at).isoformat(),
        frustrations=(*(m.frustration or 0.0 for m in customer[-5:-1]), mood),
        language=language,
    )


def answered_recently(history: list[MessageRecord]) -> tuple[str, ...]:
    """The FAQ entries (not smalltalk) the bot answered from among the last RECENT_ANSWERS messages."""
    return tuple(m.kind.removeprefix("faq:") for m in history[-RECENT_ANSWERS:]
                 if m.role is Role.BOT and m.kind.startswith("faq:"))


def answered_yet(history: list[MessageRecord], greetings: frozenset[str]) -> bool:
    """Whether the bot or a person has answered something the customer said, a greeting aside (History.opening). An
    agent's internal note is not an answer: the customer never sees it."""
    told = False
    for m in history:
        if m.role is Role.CUSTOMER:
            told = True
        elif told and m.role in (Role.BOT, Role.AGENT) and m.kind not in greetings:
            return True
    return False


def fallback_streak(history: list[MessageRecord]) -> int:
    """How many of the bot's latest replies in a row were "did not understand"."""
    streak = 0
    for m in reversed(history):
        if m.role is Role.CUSTOMER:
            continue
        if m.role is not Role.BOT or m.kind != "fallback":
            break
        streak += 1
    return streak


def _describe(attachments: tuple[str, ...]) -> str:
    return f"[sent {', '.join(attachments)}]" if attachments else "[sent a message with no text]"


def _with_status(conv: Conversation, status: Status) -> Conversation:
    return Conversation(conv.id, conv.ref, conv.customer_name, status, conv.created_at)


def unanswered_for(history: list[MessageRecord], now: datetime) -> float | None:
    """Seconds since the customer's first message that nobody (bot or agent) has answered yet; None if the last
    word was ours."""
    first_unanswered = None
    for m in reversed(history):
        if m.role in (Role.BOT, Role.AGENT):
            break
        if m.role is Role.CUSTOMER:
            first_unanswered = m.at
    return (now - first_unanswered).total_seconds() if first_unanswered else None
