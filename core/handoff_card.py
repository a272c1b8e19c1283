"""The context an agent sees when a conversation is handed to them: who, where, why, mood and the words."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class CardLine:
    role: str  # "customer", "bot", "agent"
    text: str


@dataclass(frozen=True)
class HandoffCard:
    conversation_id: str
    customer_name: str
    channel: str
    reasons: tuple[str, ...]  # short snake_case signal names
    reason_details: tuple[str, ...]  # the same in plain words ("asked for a person")
    sentiments: tuple[float | None, ...]  # VADER compound of the customer's recent messages, oldest first
    transcript: tuple[CardLine, ...]  # the last messages verbatim, oldest first
    bot_tried: tuple[str, ...]  # what the bot already answered (FAQ ids, "did not understand" x N)
    waiting_since: str  # ISO 8601 time of the customer's first message in this conversation
    frustrations: tuple[float, ...] = ()  # Warmline's frustration score (0..1) of the same messages; the last
    # one without a request for a person in it (the request is a need, not a mood)
    language: str | None = None  # the language the customer writes in when it is not English ("Spanish")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HandoffCard:
        return cls(
            conversation_id=data["conversation_id"],
            customer_name=data["customer_name"],
            channel=data["channel"],
            reasons=tuple(data["reasons"]),
            reason_details=tuple(data["reason_details"]),
            sentiments=tuple(data["sentiments"]),
            transcript=tuple(CardLine(**line) for line in data["transcript"]),
            bot_tried=tuple(data["bot_tried"]),
            waiting_since=data["waiting_since"],
            frustrations=tuple(data.get("frustrations", ())),  # absent from cards queued by older versions
            language=data.get("language"),  # likewise
        )


def mood_words(card: HandoffCard) -> str:
    """The customer's mood over their recent messages, for agents who have seconds to read: how frustrated
    (Warmline's frustration score, which reads what VADER misses: VADER scores "still nothing, this is
    ridiculous" +0.28) and which way it is going. Cards from older versions carry only VADER's scores."""
    if not card.frustrations:
        return trend_words(card.sentiments)
    scores = card.frustrations[-5:]
    last, peak = scores[-1], max(scores)

    def word(score: float) -> str:
        return ("very frustrated" if score >= 0.7 else "frustrated" if score >= 0.45 else
                "a little frustrated" if score >= 0.2 else "calm")
    if len(scores) < 2:
        return f"{word(last)} (frustration {last:.2f})"
    if peak - last >= 0.2:  # "calm" alone would hide the outburst a message ago; "getting worse" would be wrong
        summary = f"{word(last)} now, {word(peak)} before"
    elif last - scores[0] >= 0.2:
        summary = f"{word(last)}, getting worse"
    else:
        summary = f"{word(last)}, steady"
    return f"{summary} (frustration {' → '.join(f'{s:.2f}' for s in scores)})"


def trend_words(sentiments: tuple[float | None, ...]) -> str:
    """A plain summary of the mood over the recent messages, for agents who have seconds to read."""
    scored = [s for s in sentiments if s is not None]
    if not scored:
        return "no sentiment (no scorable text)"
    last = scored[-1]
    mood = "very negative" if last <= -0.6 else "negative" if last <= -0.05 else (
        "positive" if last >= 0.05 else "neutral")
    if len(scored) >= 2:
        delta = scored[-1] - scored[0]
        direction = "getting worse" if delta <= -0.2 else "improving" if delta >= 0.2 else "steady"
        return f"{mood}, {direction} ({' → '.join(f'{s:+.2f}' for s in scored[-5:])})"
    return f"{mood} ({last:+.2f})"
