"""Writes the bot's words: tone follows the customer's mood, and variants rotate so it never parrots itself."""

from __future__ import annotations

from core.content import Content
from core.faq import FaqEntry


class ReplyWriter:
    def __init__(self, content: Content) -> None:
        self._content = content

    def pick(self, kind: str, rotation: int) -> str:
        variants = self._content.replies[kind]
        return variants[rotation % len(variants)]

    def disclosure(self) -> str:
        return self._content.disclosure

    def faq_answer(self, entry: FaqEntry, *, upset: bool, repeated: bool, said_again: bool, rotation: int) -> str:
        """`repeated`: the bot gave this answer a few messages ago and the customer asked again. It may have been
        missed, so it comes again, but it did not help the first time: a person is offered with it. `said_again`:
        they repeat themselves (the `repeating` signal: the same words, "again", "still"), so the answer says it is said
        again ("As I mentioned: "),
        which also acknowledges the repeating that makes them count as upset; a new question the same entry answers
        ("and do I pay for the return postage?") gets the usual opener. `upset`: the answer says sorry first and ends
        with the way to a person, which an upset customer may not want to have to ask for."""
        if entry.smalltalk:
            return entry.answer
        if repeated and said_again:
            opener = self.pick("repeat", rotation)
        elif upset:
            opener = self.pick("opener_upset", rotation)
        else:
            opener = self.pick("opener", rotation)
        if repeated:
            return f"{opener}{entry.answer} {self.pick('repeat_offer', rotation)}"
        if upset:
            return f"{opener}{entry.answer} {self.pick('upset_offer', rotation)}"
        return f"{opener}{entry.answer}"

    def fallback(self, *, upset: bool, rotation: int, other_language: bool = False, after_answer: bool = False
                 ) -> str:
        """`other_language`: the customer wrote in a language the bot does not read; "put it another way" would not
        help them, a person might. `after_answer`: the bot has just answered from the FAQ, and what the customer says
        to it is most often their case, which the answer could not settle: a person is offered."""
        if other_language:
            return self.pick("fallback_other_language", rotation)
        if upset:
            return self.pick("fallback_upset", rotation)
        return self.pick("fallback_after_answer" if after_answer else "fallback", rotation)

    def handoff(self, *, upset: bool, desk_available: bool, rotation: int, other_language: bool = False,
                sensitive: bool = False) -> str:
        """`other_language`: the customer writes in another language; they are told in theirs too that a person is
        coming. `sensitive`: they told of a bereavement, illness, hardship, danger or a hacked account, which no
        "sorry for the trouble" fits."""
        if not desk_available:
            return self.pick("handoff_unavailable", rotation)
        if other_language:
            return self.pick("handoff_other_language", rotation)
        if sensitive:
            return self.pick("handoff_sensitive", rotation)
        return self.pick("handoff_upset" if upset else "handoff", rotation)

    def no_text(self, rotation: int) -> str:
        return self.pick("no_text", rotation)

    def emoji_only(self, rotation: int) -> str:
        return self.pick("emoji_only", rotation)
