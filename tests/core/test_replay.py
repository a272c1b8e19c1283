"""`warmline replay` semantics on recorded transcripts: what counts as the bot failing the customer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import config
from core.engine import HISTORY
from core.replay import ReplayError, epoch_seconds, replay
from core.signals import bot_reply_failed
from core.understanding import Understander

UNDERSTANDER = Understander(config.load_content())
FIXTURES = Path(__file__).parent.parent / "fixtures"


def run(*turns: tuple[str, str]) -> list[dict]:
    lines = (json.dumps({"conversation": "c", "role": role, "text": text}) for role, text in turns)
    return list(replay(lines, UNDERSTANDER))


def test_follow_up_messages_in_a_recorded_transcript_are_not_failures():
    """Customers often write twice before anyone answers; with replies recorded, that is not the bot failing."""
    out = run(("customer", "hi"), ("bot", "Hello! How can I help?"),
              *[("customer", f"my parcel number {n} is a question about a jacket colour") for n in range(5)])
    assert not any(r["handoff"] for r in out)
    assert not any(reason.startswith(("bot_", "not_understood")) for r in out for reason in r["reason"])


def test_without_recorded_replies_this_bots_own_misses_count():
    out = run(*[("customer", f"quantum flux capacitor number {n}") for n in range(4)])
    assert "bot_failing" in out[-1]["reason"]


def test_without_recorded_replies_yes_to_the_bots_offer_of_a_person_hands_off():
    out = run(("customer", "quantum flux capacitor"), ("customer", "yes please"))
    assert out[1]["handoff"] and out[1]["reason"][0] == "asked_for_person"
    assert not run(("customer", "where is my order?"), ("customer", "yes please"))[1]["handoff"]


def test_without_recorded_replies_asking_again_what_the_bot_answered_counts_as_the_live_bot_counts_it():
    """This bot would have answered "where is my order" from its FAQ; asking it again, upset, hands off (the same
    answer twice would not help). Where replies are recorded, replay cannot know what they answered from."""
    calm = run(("customer", "where is my order"), ("customer", "how can I track my order"))
    assert calm[1]["reason"] == ["asked_again"] and not calm[1]["handoff"]
    upset = run(("customer", "where is my order"), ("customer", "where is my order?? it still has not arrived"))
    assert upset[1]["handoff"] and "asked_again" in upset[1]["reason"]
    recorded = run(("customer", "where is my order"), ("bot", "You can follow it under Account > Orders."),
                   ("customer", "how can I track my order"))
    assert "asked_again" not in recorded[1]["reason"]
    other = run(("customer", "where is my order"), ("customer", "when are you open"))
    assert "asked_again" not in other[1]["reason"]


def test_a_second_message_the_bot_cannot_read_hands_off_only_where_the_bot_itself_would_have_answered():
    spanish = (("customer", "hola, mi pedido no ha llegado"), ("customer", "llevo una semana esperando"))
    assert run(*spanish)[1]["handoff"] and "unreadable_again" in run(*spanish)[1]["reason"]
    recorded = run(spanish[0], ("agent", "Hola, ¿cuál es su número de pedido?"), spanish[1])
    assert "unreadable_again" not in recorded[1]["reason"]


def test_sympathy_is_not_a_failure_but_an_apology_for_nothing_found_is():
    sympathy = run(*[x for n in range(4) for x in (("customer", f"my cat number {n} died"),
                                                    ("bot", "Sorry to hear that."))])
    assert not any("bot_failed_before" in r["reason"] for r in sympathy)
    failing = run(*[x for n in range(4) for x in (("customer", f"book a table for {n + 2}"),
                                                   ("bot", "Sorry, there are no tables left."))])
    assert "bot_failing" in failing[-1]["reason"]


@pytest.mark.parametrize(("reply", "failed"), [
    ("Sorry, there are no tables left.", True), ("I'm afraid we don't ship to Norway.", True),
    ("That size is currently unavailable.", True), ("The Alpha is fully booked on Friday.", True),
    ("I didn't understand that.", True), ("Unfortunately the refund window has closed.", True),
    ("Lo siento, las reservas básicas no permiten cambios.", True), ("Malheureusement, c'est notre politique.", True),
    ("Leider ist das erst zum Ende der Laufzeit möglich.", True), ("Infelizmente não é possível.", True),
    ("I understand, but I can't speed it up.", True), ("We can only see one charge on our side.", True),
    ("The voucher is the best I can do today.", True), ("That's the fastest we can do.", True),
    ("We can't discuss accounts here, please DM us.", True), ("Standard tickets can't be changed or refunded.", True),
    ("Our pharmacy is closed on Sundays.", True), ("The pharmacy is open until 6pm.", False),
    ("Sorry to hear that.", False), ("It's available in blue and red.", False), ("I can help with that!", False),
    ("So sorry. The driver is 10 minutes away, and I've refunded your delivery fee.", False),  # put right
    ("Your table has been booked. Unfortunately they do not have live music.", False),
    ("Sorry about that. Your taxi will be a gray volvo.", False), ("Sorry, it is booked up then.", True),
    ("We can book that for you now.", False), ('"I Can Only Imagine" is about a young man.', False),
    ("¡Claro! Ya está cambiada.", False),
    ("Your table is booked for Friday.", False), ("You can follow your order under Account > Orders.", False),
    ("There are no appointments available this week.", True), ("Sorry, no tables left at 8.", True),
    ("Refunds are only available if the event is cancelled.", True), ("It is not possible to reserve a seat.", True),
    ("Appointments are available every weekday.", False),
    ("To dispute an entry, please contact the lender directly.", True),  # sent elsewhere
    ("For security reasons, 2FA can only be reset using your backup codes.", True),
    ("I'm sorry about the wait. It's been dispatched by tracked 24.", False),  # put right: "it's been" is "it has been"
    ("Sorry about the confusion! Your parcel didn't fit through the door, so it's at the nearest locker.", False),
    ("Hola, lo siento. Te enviamos uno nuevo hoy mismo.", False),  # put right, in the five languages too
    ("Désolé ! Nous vous avons remboursé la commande.", False), ("Tut mir leid, der Betrag wird erstattet.", False),
    ("Sorry! We sturen u vandaag een nieuwe.", False), ("Desculpe, já foi reembolsado.", False),
    # sympathy for the customer's loss is not a no; an apology for the wait with the good news is put right
    ("I'm sorry about your bag. Please give me your file reference.", False),
    ("I'm sorry for the wait, the report came in and the claim is approved.", False),
    ("I'm sorry for the wait, the claim is still with our assessor.", True),
    # the other ways bots say they did not follow
    ("I'm not sure I got that. Try asking about orders, delivery, returns or your account.", True),
    ("Sorry, I didn't quite catch that.", True), ("I'm still learning!", True),
    ("I'm sure you'll love it. Try asking the staff about the specials.", False),
    ("Unfortunately there was a delay at our warehouse, but your order has now shipped.", False),  # put right
    ("I'm afraid that item was out of stock, so we've issued a full refund to your card.", False),
])
def test_recorded_replies_that_failed_the_customer(reply, failed):
    assert bool(bot_reply_failed(reply, UNDERSTANDER.content.patterns)) is failed


@pytest.mark.parametrize(("reply", "failed"), [
    ("I'm sorry, the fee stands.", True), ("Hi! That code expired yesterday, sorry.", True),
    ("Hi there, sorry for the trouble. Please try clearing your cache and logging in again.", False),  # a step
    ("Sorry for the delay. Delay Repay starts at 15 minutes, so yes you can claim 25% of your ticket.", False),
    ("Nein, tut mir leid.", True), ("Unfortunately we can't refund it.", True),
    ("Sorry about the disruption. Please use the rebooking link in your email.", True),
    ("Hey, so sorry! Please DM us your order number and we'll look into it.", False),
    ("Hi, sorry for the wait! How can I help?", False), ("Hola, lo siento. ¿Me das el número de pedido?", False),
    ("I'm sorry it's taken so long, I've raised it to urgent and a crew will be there tomorrow.", False),
    ("Sorry! That dock's having issues, I've ended the ride with no charge.", False),  # any action taken
    ("Sorry! It was sent separately and arrives tomorrow. Here's the tracking link.", False),
    ("We're sorry your bag hasn't been returned yet. Our baggage team are working hard to locate it.", False),
    ("@customer Yes, your ticket is valid on the next available service. Sorry for the disruption!", False),
    ("We're repairing a burst main nearby, pressure should be back to normal by 4pm. Sorry for the hassle.", False),
    ("I'm sorry, that's the earliest we have. Is there anything else I can help with?", True),  # moves nothing on
    ("Es tut mir leid. Kann ich sonst noch etwas für Sie tun?", True),
    ("I'm so sorry for the wait. I've frozen your card right now so nobody can use it.", False),
    ("The 4G router is an optional service, so the charge applies.", True), ("I'm sorry, the fee stands.", True),
    ("Lamento, mas a avaliação da equipa técnica é final.", True),
    ("I can only process claims in line with our policy.", True),
    ("Hi, Sam here. Sorry for the surprise! Let me take a look at your account.", False),
    ("No problem at all, sorry again for the trouble!", False),
    ("Hi, I'm sorry to hear that. Accidental damage isn't covered by the warranty.", True),
    ("No ETA yet, sorry. You can follow updates on our status page.", True),
    ("All our agents are busy. Please leave your email and we'll get back to you within 3 working days.", True),
    ("In that case, the noise is within the normal range for this model.", True),
    ("Je comprends, mais je ne peux pas modifier les conditions du billet.", True),
    ("Ihr Vertrag hat eine Mindestlaufzeit bis März. Eine vorzeitige Kündigung ist nicht möglich.", True),
    ("De brief is naar uw adres gestuurd. Ik kan het termijnbedrag niet aanpassen.", True),
    ("Das tut mir leid! Ich schicke Ihnen heute kostenlos Ersatz.", False),
    ("Sorry voor het wachten, je pakket is vandaag bij de bezorger en komt vanmiddag.", False),
    ("Sorry, that's on a website we don't control.", True),
    ("I don't have a date yet, but I'll email you as soon as I do.", True),
    ("I'd suggest contacting the organiser again.", True),
    ("I've checked and that's the best price I can offer.", True),
    ("Sorry about that. The parcel is on its way back to the sender, please contact them to arrange redelivery.", True),
    ("Good evening, so sorry! The owner is 10 minutes away and on his way over now.", False),  # help on its way
    # round 29: the cause found and the fix given; "all booked" that is done, not full
    ("Sorry! I can see your token expired, which is why it keeps failing. If you reconnect the integration under "
     "Settings it'll fix it for good.", False),
    ("All booked: your broadband moves on the 15th, no extra charge.", False),
    ("Sorry, we're all booked on the 15th.", True),
    ("Hi, sorry about that. I've run a line test and everything looks fine from our side.", True),  # fault denied
    ("For security we can't discuss accounts here, please call us on 0800 123 456.", True),  # sent to the phone
    ("Hi, we're not seeing any issues on our side. Could you clear your DNS cache?", True),  # fault denied, then asks
    ("Bonjour ! Le colis a été perdu, désolé. Je vous en renvoie un aujourd'hui en express.", False),  # round 33
    ("Désolé ! Ce code a expiré hier, mais je vous en ai créé un nouveau : MERCI15.", False),
    # a condition puts nothing right (twelfth session); the same words as a fact do
    ("I'm sorry, we can't change the delivery address once an order has been dispatched.", True),
    ("Sorry, if the order has been dispatched we can't change the address.", True),
    ("Thanks for waiting: your order has been dispatched.", False),
    # news of the order with the apology is not a no; the courier's word against theirs is
    ("Sorry for the delay in replying! Your parcel was delivered to your neighbour at number 12.", False),
    ("I'm sorry. Our courier says it was delivered as addressed.", True),
    ("Sorry, your parcel was not sent because the address was incomplete.", True),  # news, but not good news
    ("I don't have an estimated time.", True),  # no date for the fix is a no too
    # round 57: a request softened with "I'm afraid", a finding that explains ("one completed charge")
    ("I'm afraid we need a copy of your charity's exemption certificate before we can remove VAT.", False),
    ("I'm afraid you'll need to contact the manufacturer.", True),
    # round 58: the courier's GPS against the customer; a warranty that does not cover it, in Spanish
    ("Hi! The driver's GPS shows the delivery at your address at 14:02 📦", True),
    ("Gracias. Parece un golpe después de la entrega, así que no lo cubre la garantía.", True),
    ("As per our terms, cancellation costs £50.", True),  # the terms cited
    ("Sorry for the concern. I can see one completed charge and one pending authorisation.", False),
    ("Got them, thank you. The account is closed and any remaining balance will be sent to the estate. Again, very "
     "sorry.", False),  # money on its way, and the apology said again after the help
    ("Sorry, tracking shows the parcel was delivered on Monday.", True),
])
def test_a_persons_apology_is_a_no_unless_it_moves_things_on(reply, failed):
    """People apologise as they help and as they say no; a bot's apology is its failure ("Sorry, there are no trains
    then"). A person's counts as a no when nothing follows it: no question, no details asked, no action taken."""
    patterns = UNDERSTANDER.content.patterns
    assert bool(bot_reply_failed(reply, patterns, by_person=True)) is failed
    if "sorry" in reply.lower():
        assert bot_reply_failed(reply, patterns)  # from a bot, any apology but sympathy is a failed reply


AGENT_REPLIES = [tuple(line.split("\t")) for line in
                 (FIXTURES / "agent_replies.tsv").read_text(encoding="utf-8").splitlines()
                 if line and not line.startswith("#")]


@pytest.mark.parametrize(("label", "reply"), AGENT_REPLIES)
def test_agents_replies_as_helpdesks_write_them(label, reply):
    """Lists of refusals and of replies that help, apologise or ask, each written to test the reading of a person's
    reply: pushing back on one read as a no hands off, so a reply misread as one would page someone."""
    assert bool(bot_reply_failed(reply, UNDERSTANDER.content.patterns, by_person=True)) is (label == "no")


def test_a_goodbye_after_a_no_counts_in_any_tone():
    out = run(("customer", "My job starts on the 1st. Is there any priority service?"),
              ("agent", "Priority service is not available at this location."),
              ("customer", "That is bad news. Thanks."))
    assert "left_after_a_no" in out[-1]["reason"]
    bitter = run(("customer", "My job starts on the 1st. Is there any priority service?"),
                 ("agent", "Priority service is not available at this location."),
                 ("customer", "So I lose the job. Thanks."))
    assert "sarcasm" in bitter[-1]["reason"] and bitter[-1]["handoff"]  # what the no leaves them with, thanked for


def test_a_persons_apology_with_help_is_not_a_no_in_replay():
    helped = run(("customer", "the leak outside my house has been there 10 days"),
                 ("agent", "I'm sorry it's taken so long, I've raised it to urgent. A crew will be there tomorrow."),
                 ("customer", "OK great, thanks"))
    assert helped[-1]["reason"] == [] and helped[-1]["frustration"] == 0.0
    refused = run(("customer", "the leak outside my house has been there 10 days"),
                  ("agent", "I'm sorry, it's been prioritised as a medium leak."), ("customer", "OK great, thanks"))
    assert "left_after_a_no" in refused[-1]["reason"]


def test_answering_a_persons_no_weighs_a_little_more_than_leaving_after_one():
    """Pushing back on an agent's "no" weighs 0.4 (leaving after one 0.3) and hands off; handed off, it reports the
    handoff threshold (policy.NEEDS: only needs report their own weight). A bot's no said on a later line of its reply
    stays as weak as its failed reply; a reply that helped carries nothing."""
    pushed = run(("customer", "can I get a refund for the seat?"), ("agent", "I'm afraid we can only refund the fare."),
                 ("customer", "the seat was the whole reason I paid extra"))
    assert pushed[-1]["reason"] == ["answered_a_no"] and pushed[-1]["frustration"] == 0.7 and pushed[-1]["handoff"]
    asked = run(("customer", "can I get a refund for the seat?"),
                ("agent", "I'm afraid we can only refund the fare. Could you confirm your booking reference?"),
                ("customer", "XK92LP"))
    assert asked[-1]["reason"] == ["answered_a_no"] and asked[-1]["frustration"] == 0.4  # not handed off: its weight
    bot = run(("customer", "what was the sequel called?"), ("bot", "Die Hard with a Vengeance (1995)"),
              ("bot", "sorry thats part three"), ("customer", "which one is the best?"))
    assert bot[-1]["reason"] == ["answered_a_no"] and bot[-1]["frustration"] == 0.1
    helped = run(("customer", "can I get a refund for the seat?"), ("agent", "Yes, I've refunded the seat fee."),
                 ("customer", "the seat was the whole reason I paid extra"))
    assert helped[-1]["reason"] == []


def test_whether_an_answer_said_no_is_read_from_all_its_lines():
    """A person's answer often comes in several messages: a later "Unfortunately…" turns the customer down, a later
    "I've refunded it" puts a first line's apology right."""
    later_no = run(("customer", "can I change my seat?"), ("agent", "Hi Sam, let me check."),
                   ("agent", "Unfortunately the flight is full."), ("customer", "ok thanks"))
    assert later_no[-1]["reason"] == ["left_after_a_no"]
    put_right = run(("customer", "my fee is wrong"), ("agent", "So sorry about the delay, Sam."),
                    ("agent", "I've refunded the fee."), ("customer", "thank you"))
    assert put_right[-1]["reason"] == []


def test_a_polite_goodbye_right_after_a_no_is_leaving_unhelped():
    """ "No, thank you. That's all I need." after "I'm sorry, I couldn't schedule the visit": a weak sign that is not
    cleared by the thanks; after a reply that helped, or one that put it right in a later line, nothing."""
    refused = run(("customer", "can you book a viewing for Tuesday?"),
                  ("bot", "I'm sorry, I couldn't schedule the visit."),
                  ("customer", "No, thank you. That's all I need."))
    assert refused[-1]["reason"] == ["left_after_a_no"] and not refused[-1]["handoff"]
    assert 0 < refused[-1]["frustration"] < 0.45
    helped = run(("customer", "can you book a viewing for Tuesday?"), ("bot", "Your visit is booked for Tuesday."),
                 ("customer", "No, thank you. That's all I need."))
    assert helped[-1]["reason"] == [] and helped[-1]["frustration"] == 0
    put_right = run(("customer", "my account got hacked"), ("bot", "I'm sorry! Connecting you with our team."),
                    ("agent", "Hi, I've locked the account and restored your email."),
                    ("customer", "thank you so much"))
    assert put_right[-1]["reason"] == []
    sarcastic = run(("customer", "can you book it?"), ("agent", "I'm afraid we can't."),
                    ("customer", "thanks for nothing"))
    assert "left_after_a_no" not in sarcastic[-1]["reason"]


def test_the_message_after_a_failed_reply_carries_a_weak_sign_that_thanks_outweigh():
    out = run(("customer", "a cheap hotel in the north please"), ("bot", "Sorry, there are no cheap hotels there."),
              ("customer", "what about a moderate one?"), ("bot", "Sorry, none of those either."),
              ("customer", "thanks, goodbye"))
    assert "bot_failed_last" not in out[0]["reason"] and "bot_failed_last" in out[1]["reason"]
    assert 0 < out[1]["frustration"] < 0.3 and not out[1]["handoff"]
    # the goodbye does not carry the conversation's troubles (bot_failed_before), only that it follows a "no" and,
    # leaving unhelped, the worst moment so far (the weak sign of the message before)
    assert out[2]["reason"] == ["left_after_a_no", "left_upset"] and out[2]["frustration"] < 0.45
    gave_up = run(("customer", "a cheap hotel in the north please"), ("bot", "Sorry, there are no cheap hotels there."),
                  ("customer", "thanks anyway"))
    assert gave_up[1]["reason"] == ["bot_failed_last", "gave_up"], gave_up  # after a failure: giving up
    helped = run(("customer", "a cheap hotel please"), ("bot", "The Alpha is cheap and has free parking."),
                 ("customer", "what is its address?"))
    assert helped[1]["reason"] == []


def test_handles_that_open_a_message_are_not_read_as_its_words():
    out = run(("customer", "@ShopCo my parcel 5521 never came"), ("agent", "@ann Sorry! Can you DM us the order?"),
              ("customer", "@ShopCo sent"), ("customer", "@ShopCo hello??"), ("agent", "@ann Looking now."),
              ("customer", "@ShopCo no no no, I asked about the parcel"))
    assert "chasing" in out[2]["reason"] and "chasing" not in out[1]["reason"]
    assert "bot_unhelpful" in out[3]["reason"]


def test_waiting_for_an_answer_counts_only_with_replies_and_times_recorded():
    t0 = 1_767_261_600
    def line(role, text, minutes):
        return json.dumps({"conversation": "w", "role": role, "text": text, "ts": t0 + minutes * 60})
    waited = list(replay([line("customer", "my parcel is lost", 0), line("agent", "Let me check.", 1),
                          line("customer", "ok, it is order 5521", 2), line("customer", "any news?", 40)],
                         UNDERSTANDER))
    assert "kept_waiting" in waited[-1]["reason"] and "kept_waiting" not in waited[-2]["reason"]
    burst = list(replay([line("customer", "hi", 0), line("agent", "Hello!", 1), line("customer", "my parcel", 2),
                         line("customer", "is lost", 2), line("customer", "order 5521", 3)], UNDERSTANDER))
    assert not any("kept_waiting" in r["reason"] for r in burst)  # several lines at once are not waiting
    no_replies = list(replay([line("customer", "my parcel is lost", 0), line("customer", "any news?", 90)],
                             UNDERSTANDER))
    assert not any("kept_waiting" in r["reason"] for r in no_replies)  # this bot would have answered at once


def test_before_the_first_recorded_reply_the_customer_was_waiting_for_it():
    """A transcript from a human desk: the customer's first messages wait for the first reply, which comes later in
    the file. Chasing it and waiting count there; with no replies recorded at all this bot would have answered."""
    t0 = 1_767_261_600
    def line(conversation, role, text, minutes):
        return json.dumps({"conversation": conversation, "role": role, "text": text, "ts": t0 + minutes * 60})
    out = list(replay([line("desk", "customer", "internet down since this morning, any ETA?", 0),
                       line("desk", "customer", "hello??", 30), line("desk", "agent", "An outage, fixed by 5pm.", 33),
                       line("bot", "customer", "internet down since this morning, any ETA?", 0),
                       line("bot", "customer", "hello??", 30)], UNDERSTANDER))
    desk, bot = [r for r in out if r["conversation"] == "desk"], [r for r in out if r["conversation"] == "bot"]
    assert {"chasing", "kept_waiting"} <= set(desk[1]["reason"])
    assert not {"chasing", "kept_waiting"} & set(bot[1]["reason"])


def test_replay_weighs_the_same_past_as_the_live_engine():
    """The live engine decides on the conversation's last HISTORY messages; so does replay."""
    failed = [("customer", "a table for six tonight"), ("bot", "Sorry, nothing is available.")] * 2
    def last_reasons(calm_exchanges: int) -> list[str]:
        calm = [("customer", "ok, and the address?"), ("bot", "It is 5 Main Street.")] * calm_exchanges
        return run(*failed, *calm, ("customer", "and the phone number?"))[-1]["reason"]
    assert "bot_failed_before" in last_reasons(5)
    assert "bot_failed_before" not in last_reasons(HISTORY // 2)


def test_lines_are_numbered_as_written_whatever_their_endings():
    """The input is spooled for a second pass: blank lines and Windows line endings keep the numbering."""
    good = json.dumps({"conversation": "c", "role": "customer", "text": "hi"})
    out = list(replay(iter([good + "\r\n", "\n", good + "\r\n"]), UNDERSTANDER))
    assert [r["turn"] for r in out] == [1, 2]
    with pytest.raises(ReplayError) as error:
        list(replay(iter([good + "\r\n", "\r\n", "{oops\r\n"]), UNDERSTANDER))
    assert error.value.line_no == 3


def test_a_malformed_line_stops_replay_before_any_result():
    lines = [json.dumps({"conversation": "c", "role": "customer", "text": "hi"}), "{not json"]
    with pytest.raises(ReplayError) as error:
        next(replay(lines, UNDERSTANDER))
    assert error.value.line_no == 2


def test_replay_sees_a_frustration_trend_like_the_live_bot():
    out = run(("customer", "my internet has been down for 3 days"), ("agent", "We're looking into it."),
              ("customer", "still nothing works"))
    assert [r["handoff"] for r in out] == [False, True]
    assert "frustrated_again" in out[1]["reason"]


@pytest.mark.parametrize("stamp", [1509487847, 1509487847.0, 1509487847000, "1509487847", "1509487847000",
                                   "2017-10-31T22:10:47Z", "2017-10-31T23:10:47+01:00", "2017-10-31 22:10:47",
                                   "Tue Oct 31 22:10:47 +0000 2017", "Tue, 31 Oct 2017 22:10:47 +0000"])
def test_times_as_exports_write_them(stamp):
    """The contract's ISO 8601 and epoch seconds, and what exports often hold instead: epoch milliseconds, the
    number as text, Twitter's and e-mail's formats. All name the same moment."""
    assert epoch_seconds(stamp) == 1509487847


@pytest.mark.parametrize("stamp", ["yesterday", "", "Tue, 31 Oct 2017", True, [1], float("nan"), 1e20])
def test_what_is_not_a_time_is_refused(stamp):
    with pytest.raises((ValueError, OverflowError, OSError)):
        epoch_seconds(stamp)


def test_a_bot_that_gives_the_same_answer_twice_has_failed_the_message_in_between():
    """A looping FAQ bot: its second identical answer means it did not understand what the customer said."""
    answer = "Refunds are processed within 5-7 working days of us receiving your return."
    out = run(("customer", "I returned a jacket 3 weeks ago and haven't had my refund"), ("bot", answer),
              ("customer", "it's been 15 working days"), ("bot", answer),
              ("customer", "ok"))
    assert "bot_failed_last" not in out[1]["reason"] and "bot_failed_last" in out[2]["reason"]
    # Agents are never counted as failing, and a short reply said twice ("Sure!") is not an answer repeated.
    agent = run(("customer", "hi"), ("agent", answer), ("customer", "it's been 15 days"), ("agent", answer),
                ("customer", "ok"))
    assert not any("bot_failed_last" in r["reason"] for r in agent)
    short = run(("customer", "can you check"), ("bot", "Sure, one moment!"), ("customer", "and the other one?"),
                ("bot", "Sure, one moment!"), ("customer", "ok"))
    assert not any("bot_failed_last" in r["reason"] for r in short)
    # A, B, A is a loop too (round 25: "To see your tickets, tap 'My Tickets'", "Have you tried logging out?", the
    # first again); the offer of more help asked again at a turn's end is not.
    other = "Sorry to hear that. Have you tried logging out and back in?"
    looped = run(("customer", "my tickets aren't showing"), ("bot", answer), ("customer", "they're not there"),
                 ("bot", other), ("customer", "yes"), ("bot", answer), ("customer", "the concert is in 2 hours"))
    assert "bot_failed_last" in looped[-1]["reason"]
    closing = "Your booking is confirmed. Is there anything else I can help you with?"
    asked_again = run(("customer", "book a table for 2"), ("bot", closing), ("customer", "and a taxi at 7"),
                      ("bot", "Your taxi is booked for 7pm, a red Toyota."), ("customer", "and one back at 11"),
                      ("bot", closing), ("customer", "no, that's all"))
    assert not any("bot_failed_last" in r["reason"] for r in asked_again)
    # Bots vary a short opening while the answer stays the same ("Hi there! 👋", "No problem!"): still a loop.
    reopened = run(("customer", "I want to change my delivery address"),
                   ("bot", "Hi there! 👋 You can track your parcel at any time in the app under My Orders."),
                   ("customer", "no, CHANGE the address"),
                   ("bot", "No problem! You can track your parcel at any time in the app under My Orders."),
                   ("customer", "k"))
    assert "bot_failed_last" in reopened[-1]["reason"]
    sympathy = run(("customer", "my card was swallowed by the cash machine"),
                   ("bot", "I'm sorry to hear that. I can order you a replacement card, which arrives in 5-7 days."),
                   ("customer", "I'm abroad and I need cash today"),
                   ("bot", "I can order you a replacement card, which arrives in 5-7 days."), ("customer", "no"))
    assert "bot_failed_last" in sympathy[-1]["reason"]  # the same answer after a longer opening
    # A longer first sentence is part of the answer, not an opening: a different answer, not a loop.
    followed = run(("customer", "where is my parcel"),
                   ("bot", "It left our warehouse on Monday. Track it in My Orders."),
                   ("customer", "and the other one?"),
                   ("bot", "It is still being packed at the warehouse. Track it in My Orders."), ("customer", "ok"))
    assert not any("bot_failed_last" in r["reason"] for r in followed)


def test_a_no_taken_in_or_waited_out_is_not_pushed_back_on():
    """The eighteenth held-out set's satisfied customers, each handed off by the session-start code and by the twelfth
    session's before these: a no taken in before the context ("ah, I didn't realise"), the alternative waited for
    ("I'll wait for the 9, no rush"), and a fee that stands but was removed anyway."""
    explained = run(("customer", "Hi, I want to return a jacket I bought 40 days ago, it still has the tags"),
                    ("agent", "Our return window is 30 days, so I'm afraid it's outside the standard returns policy."),
                    ("customer", "ah, I didn't realise. it was a gift and I only just opened it"))
    assert explained[-1]["reason"] == ["answered_a_no"] and not explained[-1]["handoff"]
    resigned = run(("customer", "I'd like to cancel my contract, I'm moving abroad"),
                   ("agent", "Yes, the early termination fee applies in all cases."),
                   ("customer", "I see. I'll pay it then"))
    assert resigned[-1]["handoff"]  # "I see" is as often the no accepted, resigned
    waited = run(("customer", "can I swap these shoes for a 9?"),
                 ("agent", "The 9 is out of stock right now, sorry. It's due back in 2 weeks, or I can refund you."),
                 ("customer", "I'll wait for the 9, no rush"))
    assert not waited[-1]["handoff"] and "left_after_a_no" not in waited[-1]["reason"]
    waived = run(("customer", "Why was I charged a late fee? I paid on the 3rd"),
                 ("agent", "Our policy is that the fee stands, but as this is the first time I've removed it as a "
                           "goodwill gesture."),
                 ("customer", "appreciate that, I'll set up a direct debit so it doesn't happen again"))
    assert waived[-1]["reason"] == []


def test_shouting_at_a_reply_that_failed_is_a_complaint():
    """A whole message in capitals right after "Sorry, I didn't understand that" hands off (`complained_at_a_no`);
    from a customer who writes everything in capitals, it does not."""
    fallback = "I'm sorry, I didn't understand that. Could you rephrase?"
    shouted = run(("customer", "why is my bill 89 this month, it's normally 45"),
                  ("bot", "Your bill may include one-off charges. See the breakdown under Billing."),
                  ("customer", "i didnt add any services"), ("bot", fallback), ("customer", "I DIDNT ADD ANY SERVICES"))
    assert shouted[-1]["handoff"] and {"shouting", "complained_at_a_no"} <= set(shouted[-1]["reason"])
    habit = run(("customer", "WHY IS MY BILL 89 THIS MONTH"), ("bot", "Your bill includes one-off charges."),
                ("customer", "I DIDNT ADD ANY SERVICES"), ("bot", fallback), ("customer", "I DIDNT ADD ANY SERVICES"))
    assert "shouting" not in habit[-1]["reason"] and "complained_at_a_no" not in habit[-1]["reason"]


def test_writing_on_after_the_bot_repeated_itself_hands_off():
    """A bot stuck in a loop, and the customer still there: whatever they write next, other than thanks or a goodbye,
    brings in a person (replay only)."""
    answer = "Your order is on its way and should arrive in 10 minutes."
    looped = run(("customer", "where is my food? it's been an hour"), ("bot", answer),
                 ("customer", "it said 10 minutes 30 minutes ago"), ("bot", answer), ("customer", "I want a refund"))
    assert looped[-1]["handoff"] and "answered_a_loop" in looped[-1]["reason"]
    for goodbye in ("ok thanks", "thank you, bye"):
        thanked = run(("customer", "where is my food?"), ("bot", answer), ("customer", "and the drinks?"),
                      ("bot", answer), ("customer", goodbye))
        assert not thanked[-1]["handoff"], goodbye
    # The same words after a different answer: nothing looped.
    answered = run(("customer", "where is my food? it's been an hour"), ("bot", answer),
                   ("customer", "it said 10 minutes 30 minutes ago"),
                   ("bot", "The driver was held up at the restaurant; it left 2 minutes ago."),
                   ("customer", "I want a refund"))
    assert "answered_a_loop" not in answered[-1]["reason"]
    # The same answer to a follow-up question may hold what they asked: "got it" is not a page.
    followed_up = run(("customer", "how do I update my card details"),
                      ("bot", "Go to Account > Payment methods and tap Edit next to your card."),
                      ("customer", "where is account?"),
                      ("bot", "Go to Account > Payment methods and tap Edit next to your card."),
                      ("customer", "oh the little person icon. got it"))
    assert not followed_up[-1]["handoff"] and "bot_failed_last" in followed_up[-1]["reason"]
    # An agent saying the same thing twice is not a bot's loop.
    agent = run(("customer", "where is my food?"), ("agent", answer), ("customer", "it said that 30 minutes ago"),
                ("agent", answer), ("customer", "I want a refund"))
    assert "answered_a_loop" not in agent[-1]["reason"]


def test_giving_up_after_being_turned_down_by_a_person_counts_but_is_not_the_bot_failing():
    """Polite resignation after an agent's "I'm afraid we can't": the customer leaves unhelped. An agent's no is
    not the bot failing, and the same words after a helpful reply are calm."""
    refused = run(("customer", "I'd like to port my number"), ("agent", "I'm afraid we can't start it without a code."),
                  ("customer", "Okay, I guess I'll try calling them again then."))
    assert refused[1]["reason"] == ["gave_up"] and refused[1]["handoff"]  # leaving unhelped: a person may still help
    helped = run(("customer", "I'd like to port my number"), ("agent", "Sure, it moves over tomorrow."),
                 ("customer", "Okay, I guess I'll try calling them again then."))
    assert helped[1]["reason"] == []
    earlier = run(("customer", "the internet drops every evening at 8"),
                  ("agent", "I've run a line test and everything looks fine from our side."),
                  ("customer", "it looks fine now because it's 11am"),
                  ("agent", "You can also call our line, which is open until 8pm."),
                  ("customer", "Which is when it drops. Never mind."))
    assert "gave_up" in earlier[-1]["reason"]  # turned down two replies back: still leaving unhelped


def test_until_someone_answers_the_customer_is_telling_the_problem():
    """Messages before the first reply to something the customer said count half (`[policy] opening`): a welcome sent
    before they write, or the reply to their "hi", answers nothing yet. Once answered, the same words count whole."""
    complaint = "this is ridiculous, my order is late AGAIN!!"
    alone = run(("customer", complaint))[0]
    welcomed = run(("bot", "Welcome to Northwind! How can I help?"), ("customer", "hi"),
                   ("bot", "Hello! What can I do for you?"), ("customer", complaint))[-1]
    answered = run(("customer", "where is my order?"), ("bot", "It ships tomorrow."), ("customer", complaint))[-1]
    assert max(alone["frustration"], welcomed["frustration"]) < 0.45
    assert not alone["handoff"] and not welcomed["handoff"]
    assert answered["frustration"] > 0.7 and answered["handoff"]
    # A burst before anyone answers is the problem told in several messages; still upset after the reply: a trend.
    burst = run(("customer", "my parcel says delivered but it's not here"), ("customer", complaint),
                ("agent", "Hi, sorry about that. It should turn up today."),
                ("customer", "that's what you said yesterday"))
    assert not any(r["handoff"] for r in burst[:2])
    assert burst[-1]["handoff"] and "frustrated_again" in burst[-1]["reason"]


def test_leaving_unhelped_carries_the_conversations_worst_frustration():
    """Both open angry; one ends with the refund and a thanks, the other gives up after a no. By the highest score
    alone the two tied (the opening was the worst of both); the one left unhelped now ends above its opening (which,
    telling the problem, counts half)."""
    opening = ("customer", "This is ridiculous, I was charged twice and nobody answers my emails!")
    unhelped = run(opening, ("agent", "I'm afraid we can only refund it after 14 days."),
                   ("customer", "ok, thanks anyway"))
    helped = run(opening, ("agent", "So sorry about that. I've refunded the second charge just now."),
                 ("customer", "great, thank you"))
    assert unhelped[0]["frustration"] == helped[0]["frustration"] > 0.3
    assert "left_upset" in unhelped[-1]["reason"]
    assert unhelped[-1]["frustration"] > unhelped[0]["frustration"]
    assert max(r["frustration"] for r in helped) == helped[0]["frustration"]
    calm = run(("customer", "can I change my delivery address?"),
               ("agent", "I'm afraid we can't change it once it has shipped."), ("customer", "ok, thanks anyway"))
    assert "left_upset" not in calm[-1]["reason"]  # nothing to carry: a calm start


def test_no_to_anything_else_is_a_goodbye_not_a_correction():
    """A "no" to "Is there anything else I can help with?" says goodbye: on USS such a "no" is rated dissatisfied
    about as often as any turn, any other "no" five times as often. After a reply that turned them down, it is leaving
    unhelped; after help, it is nothing."""
    helped = run(("customer", "can I move my delivery to Saturday?"),
                 ("agent", "Done, it's on Saturday now. Is there anything else I can help with?"), ("customer", "no"))
    assert helped[-1]["reason"] == []
    refused = run(("customer", "can I move my delivery to Saturday?"),
                  ("agent", "I'm sorry, that's the earliest we have. Is there anything else I can help with?"),
                  ("customer", "no"))
    assert refused[-1]["reason"] == ["left_after_a_no"]
    wrong = run(("customer", "can I move my delivery to Saturday?"), ("agent", "Is Sunday ok?"),
                ("customer", "no, Saturday"))
    assert "correcting_bot" in wrong[-1]["reason"]  # any other "no" still corrects



def test_taking_the_alternative_to_a_no_is_not_leaving_unhelped():
    """"Unfortunately tickets aren't refundable, but you can resell it" → "oh nice, that's even better", "thanks": the
    customer took what was offered instead; pushing back or leaving after the same no still counts."""
    took = run(("customer", "is there a student discount?"),
               ("agent", "Not at the moment I'm afraid, but we have 20% off this weekend with the code WINTER20."),
               ("customer", "oh nice, that's even better"), ("customer", "thanks"))
    assert [r["reason"] for r in took[1:]] == [[], []]
    left = run(("customer", "is there a student discount?"),
               ("agent", "Not at the moment I'm afraid, but we have 20% off this weekend with the code WINTER20."),
               ("customer", "I'm a student, I can't afford full price"), ("customer", "thanks"))
    assert left[1]["reason"] == ["answered_a_no"] and "left_after_a_no" in left[2]["reason"]
    # round 35: the alternative taken in its own words is not correcting anyone ("actually" is not "I meant")
    moved = run(("customer", "can I move my appointment on friday?"),
                ("agent", "Friday's full I'm afraid but I have Monday at 9:15 or Tuesday at 4:30"),
                ("customer", "tuesday 4:30 is great actually, after school run"))
    assert moved[-1]["reason"] == []


def test_a_partial_no_and_being_sent_to_the_phone_turn_the_customer_down():
    """Round 35: "a repair or a replacement, but not a refund" and "to cancel, you'll need to call our team" say no."""
    partial = run(("customer", "the shoes split after 3 weeks, I'd like a refund"),
                  ("agent", "As they've been worn we can offer a repair or a replacement pair, but not a refund."),
                  ("customer", "the replacement will split too"))
    assert partial[-1]["reason"] == ["answered_a_no"]
    phoned = run(("customer", "I want to cancel my contract"),
                 ("bot", "To cancel, you'll need to call our retentions team on 0333 000 1234."), ("customer", "ok"))
    assert phoned[-1]["reason"] == ["bot_failed_last"]


def test_sarcasm_said_to_an_answer_hands_off_but_not_as_the_first_message():
    """"recorded letter in 2026. unbelievable" to a bot giving the address to write to: the customer is not taking it
    well, whoever answered. As the opening it tells the problem, which is answered first."""
    answered = run(("customer", "I'd like to cancel my gym membership, I moved away"),
                   ("bot", "Memberships can be cancelled by recorded letter to your home club."),
                   ("customer", "recorded letter in 2026. unbelievable"))
    assert "sarcasm" in answered[-1]["reason"] and answered[-1]["handoff"]
    opening = run(("customer", "great, just great. my flight got cancelled again"))
    assert "sarcasm" in opening[0]["reason"] and not opening[0]["handoff"]


def test_yes_to_a_recorded_offer_of_a_person_asks_for_one():
    """A recorded bot asking "Would you like to speak to an agent?" makes a "yes" a request for a person, as this bot's
    own offer does live; a "yes" to any other question is not one."""
    offered = run(("customer", "how do I change my email"),
                  ("bot", "Sorry, I'm not sure I understood. Would you like to speak to an agent?"),
                  ("customer", "yes"))
    assert "asked_for_person" in offered[-1]["reason"] and offered[-1]["handoff"]
    other = run(("customer", "a table for two"), ("bot", "Would you like to book for 7pm?"), ("customer", "yes"))
    assert "asked_for_person" not in other[-1]["reason"]
    # offered in the offer's own words, and taken impatiently
    brought = run(("customer", "THE EMAIL NEVER COMES"),
                  ("bot", "I'm sorry, I'm not getting this right. Would you like me to bring in a person?"),
                  ("customer", "yes obviously"))
    assert "asked_for_person" in brought[-1]["reason"] and brought[-1]["handoff"]
    team = run(("customer", "my card was declined"), ("agent", "Shall I pass you to one of our team?"),
               ("customer", "ok"))
    assert "asked_for_person" in team[-1]["reason"]
    counted = run(("customer", "a table on friday"), ("bot", "Would you like me to book it for 1 person?"),
                  ("customer", "yes"))
    assert "asked_for_person" not in counted[-1]["reason"]  # a count of people is no offer of one


def test_a_key_revoked_for_the_customer_is_put_right_not_a_no():
    """Round 36: "I've revoked that key, so it can't be used anymore" protects the customer; its "can't be used" is
    not a refusal."""
    revoked = run(("customer", "my API key got committed to a public repo by mistake"),
                  ("agent", "Thanks for telling us! I've revoked that key, so it can't be used anymore."),
                  ("customer", "phew. new key generated. appreciate the quick response"))
    assert revoked[-1]["reason"] == []


def test_pushing_back_on_a_persons_no_hands_off():
    """An answer to a person's no hands off the first time: the customer does not accept it, and most such
    conversations end right there ("I'll take it to the aviation authority."). A question on how to take up what
    was offered instead is taking it; a bot's no answered twice counts as the bot failing instead."""
    once = run(("customer", "my flight was cancelled, I want compensation"),
               ("agent", "I'm sorry, the cancellation was due to weather, so no compensation is due."),
               ("customer", "I'll take it to the aviation authority."))
    assert once[-1]["reason"] == ["answered_a_no"] and once[-1]["handoff"]
    twice = run(("customer", "my premium went up 30% and I made no claims"),
                ("agent", "I'm afraid I can't share the pricing model."),
                ("customer", "So I'm paying for other people's claims"),
                ("agent", "I'm sorry, the price can't be changed."),
                ("customer", "I've been with you for nine years"))
    assert twice[1]["reason"] == ["answered_a_no"] and twice[1]["handoff"]
    assert "answered_a_no" in twice[2]["reason"] and not twice[2]["handoff"]  # handed off once, at the first
    asked = run(("customer", "where is my order 5521?"),
                ("agent", "Unfortunately I can't see that order on our system, could you confirm the email you used?"),
                ("customer", "jo.baker@example.com"))
    assert asked[-1]["reason"] == ["answered_a_no"] and not asked[-1]["handoff"]  # the answer to what was asked
    for done in ["DM sent", "Done.", "@AcmeHelp sent you the details", "did that just now",
                 "Sure, I'll email it across now", "ok will send them tonight"]:
        complied = run(("customer", "why is my account locked??"),
                       ("agent", "I'm sorry, I'm unable to discuss account details here. Please DM us."),
                       ("customer", done))
        assert complied[-1]["reason"] == [], done  # doing what the reply asked answers no "no"
    relieved = run(("customer", "I was charged twice for my ticket!!"),
                   ("agent", "Hi, sorry for the worry. One of those is a pre-authorisation that drops off within 3 "
                             "working days."),
                   ("customer", "oh phew. ok I'll keep an eye on it"))
    assert not relieved[-1]["handoff"]  # relief answers no "no" (the sixteenth held-out set)
    for reply, answer in [("Hi! Sorry, the XL is sold out in blue. We do have it in green or black in XL.",
                           "black please"),
                          ("I'm afraid your fare does not allow changes. You could cancel and keep the taxes as a "
                           "voucher.", "what would the voucher be worth?")]:
        offered = run(("customer", "can I have it?"), ("agent", reply), ("customer", answer))
        assert offered[-1]["reason"] == ["answered_a_no"] and not offered[-1]["handoff"], answer  # something else
    best = run(("customer", "my renewal went up £300"), ("agent", "The renewal price is the best I can offer."),
               ("customer", "A comparison site has it for 200 less"))
    assert best[-1]["handoff"]  # "the best I can offer" offers nothing else
    late = run(("customer", "@TrainCo is the 17:05 to Leeds running?"),
               ("agent", "@chloe_r Hi Chloe, it's running 15 minutes late, a signal fault. Sorry for the wait."),
               ("customer", "@TrainCo will I make my connection at Leeds?"))
    assert late[-1]["reason"] == ["answered_a_no"] and not late[-1]["handoff"]  # asking for information
    taken = run(("customer", "can I get a refund on my ticket? I can't go"),
                ("agent", "Unfortunately tickets aren't refundable, but you can resell it on our fan exchange."),
                ("customer", "oh ok, how does the exchange work?"))
    assert taken[-1]["reason"] == [] and not taken[-1]["handoff"]
    covered = run(("customer", "my kid broke the tablet screen, is that covered?"),
                  ("agent", "I'm afraid accidental damage isn't covered by the warranty, but your care plan is."),
                  ("customer", "oh I forgot about that! how do I claim?"))
    assert not covered[-1]["handoff"]  # the seventeenth held-out set
    bot = run(("customer", "can I change my flight"), ("bot", "I'm afraid I can't change flights."),
              ("customer", "it's the same route"), ("bot", "Sorry, I can't help with that."),
              ("customer", "one day later"))
    assert not any(r["handoff"] for r in bot)  # a bot's no twice: its failures count instead
