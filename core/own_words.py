"""What the customer wrote themselves: an e-mail's quoted earlier message and its mail app's sign-off cut off, code
and pasted output in backticks left out, and the HTML entities an export left in the text read as the characters
they stand for.

A reply by e-mail (a helpdesk export replayed, a channel that forwards mail) carries the message it answers below
it: "Thanks, that worked!" over "> We are sorry you had a terrible experience. Unfortunately...". Read whole, the
customer's thanks scores the agent's apology and refusal: every signal and VADER's tone would be reading our own
words back. Exports of web and social messages write "I&#39;m" and "&amp;": the phrase patterns read "i'm". Only the
customer's part, as they typed it, is scored; what is stored and relayed stays as it came.

Customers of technical products paste what the machine said, in backticks on Slack, Telegram and most chat apps:
"deliveries failing with `502 Bad Gateway`. Error log: `upstream connect error or disconnect/reset`" is a calm report,
but VADER reads the log as the customer's mood (-0.94) and it handed off at once. Pasted without backticks, a log's
own lines are recognised by their shape (a timestamp or a level first, a traceback's lines): "Here is the log:" over
"2026-12-06 10:02:11 ERROR export failed" and "FATAL worker killed" read -0.97 whole.
"""

from __future__ import annotations

import html
import re

# Where the quoted message starts: the line a mail app writes above it ("On Mon, 3 Dec 2026, Support <help@…>
# wrote:", which may wrap over two lines; the same in the five other languages), an Outlook or forwarding header,
# or Outlook's rule followed by its "From:" line.
_QUOTE_START = re.compile(
    r"^[ \t]*(?:"
    r"(?:On|Le|El|Am|Op|Em)\s[^\n]{0,200}(?:\n[^\n]{0,200})?"
    r"(?:wrote|a\s+écrit|escribió|schrieb|schreef|escreveu)\s*:[ \t]*$"
    r"|-{2,}\s*(?:Original\s+Message|Forwarded\s+message|Mensaje\s+original|Message\s+d'origine|"
    r"Ursprüngliche\s+Nachricht|Oorspronkelijk\s+bericht|Mensagem\s+original)\s*-{2,}"
    r"|_{10,}[ \t]*\n[ \t]*(?:From|De|Von|Van)\s*:"
    r"|From:[^\n]*\n[ \t]*(?:Sent|Date):"
    r")",
    re.IGNORECASE | re.MULTILINE,
)
# Code in backticks: a fenced block, or an inline span whose backticks are not apostrophes inside a word ("can`t").
_CODE = re.compile(r"```.*?```|(?<![\w`])`[^`\n]+`(?![\w`])", re.DOTALL)
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*(?:\n|$)", re.MULTILINE)
# A pasted log's or traceback's own lines: a timestamp or a level first ("2026-12-06 10:02:11 ERROR …", "[WARN] …"),
# "Traceback (most recent call last):", its 'File "app.py", line 3' lines, a Java frame, "ValueError: …".
_LOG_LINE = re.compile(
    r"^[ \t]*(?:\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d|\[?(?:ERROR|WARN|WARNING|FATAL|CRITICAL|INFO|DEBUG|TRACE)\b"
    r"|Traceback \(most recent call last\)|File \"[^\"\n]+\", line \d+|at [\w$.]+\([^)\n]*\)$"
    r"|[A-Z]\w*(?:Error|Exception)(?::|$))[^\n]*(?:\n|$)", re.MULTILINE)
# An e-mail's salutation alone on its first line ("Hi Rosa,", "Dear Sir or Madam,", "Good morning,"): a greeting and
# at most a name or an address, so a first line that says something ("hey the app keeps crashing") stays.
_SALUTATION = re.compile(r"\A[ \t]*(?i:hi|hello|hey|hiya|dear|good\s+(?:morning|afternoon|evening)|"
                         r"to\s+whom\s+it\s+may\s+concern|hola|bonjour|hallo|ol[aá]|buenos\s+d[ií]as|goedemiddag|"
                         r"goedemorgen)\b(?:[ \t]+(?:(?i:there|team|all|everyone|support|sir\s+or\s+madam|sir|madam)"
                         r"|[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,2}))?[ \t]*[,:!.]?[ \t]*\n")
# Its sign-off on the last lines: a closing formula ("Thanks,", "Kind regards,") and a name, on one line or two; or,
# after a salutation, a name alone ("Claire", "R. Okonjo", "Jo, Office Manager").
_FORMULA = (r"(?i:thanks|thank\s+you|many\s+thanks|thanks\s+again|kind\s+regards|best\s+regards|warm\s+regards|regards|"
            r"best\s+wishes|best|cheers|yours\s+(?:sincerely|faithfully|truly)|all\s+the\s+best|sincerely)")
_NAME = r"(?:[A-Z][\w'’-]*\.?|[A-Z]\.)(?:[ \t]+(?:[A-Z][\w'’-]*\.?|[A-Z]\.)){0,3}(?:,[ \t]*[A-Z][\w ]{1,30})?"
_SIGN_OFF = re.compile(r"\n[ \t]*" + _FORMULA + r"[,.!]*[ \t]*(?:\n[ \t]*|[ \t]+)" + _NAME + r"[ \t]*\Z"
                       r"|\n[ \t]*" + _FORMULA + r"[,.!]*[ \t]*\Z")
_NAME_ALONE = re.compile(r"\n[ \t]*" + _NAME + r"[ \t]*\Z")
_SENT_FROM = re.compile(r"^[ \t]*(?:Sent\s+from\s+my\s+\w+[^\n]*|Get\s+Outlook\s+for\s+\w+[^\n]*)$",
                        re.IGNORECASE | re.MULTILINE)


def own_words(text: str) -> str:
    """The text, its HTML entities read, without code in backticks, a quoted earlier message, quoted ("> ") lines, a
    pasted log's own lines and a mail app's "Sent from my iPhone". A message that is nothing but quotation or code is
    left whole: then there is nothing else to read."""
    if "&" in text:
        text = html.unescape(text)
    if "`" in text:
        without_code = _CODE.sub(" ", text)
        text = without_code if any(c.isalnum() for c in without_code) else text
    if "\n" not in text:  # chat messages: one line, nothing quoted below
        return text
    start = _QUOTE_START.search(text)
    own = text[:start.start()] if start else text
    own = _SENT_FROM.sub("", _LOG_LINE.sub("", _QUOTED_LINE.sub("", own))).strip()
    own = _without_salutation_and_sign_off(own)
    return own if any(c.isalnum() for c in own) else text


def _without_salutation_and_sign_off(text: str) -> str:
    """An e-mail's "Hi Rosa," and "Thanks,\nClaire" are its form, not what the customer says: a complaint signed
    "Thanks," had read as a thank-you that outweighs the conversation's troubles, and "Hello,\n\nMid-January. She's
    92." did not open with the words it says back (round 47). A name alone on the last line is a sign-off only after a
    salutation ("my order hasn't come\nStill Waiting" keeps its last line)."""
    greeted = _SALUTATION.match(text)
    body = text[greeted.end():] if greeted else text
    signed = _SIGN_OFF.search(body) or (_NAME_ALONE.search(body) if greeted else None)
    if signed:
        body = body[:signed.start()]
    body = body.strip()
    return body if any(c.isalnum() for c in body) else text
