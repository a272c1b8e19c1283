from __future__ import annotations

from adapters.slack.events import DirectMessage, ThreadReply, classify
from adapters.slack.markup import escape, to_plain, user_ids
from tests import platform_requests as pr


def test_escape_neutralises_mentions_and_links():
    assert escape("<!channel> & <@U1> <http://x|y>") == "&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;http://x|y&gt;"


def test_to_plain_reads_naturally():
    assert to_plain("<@U1> see <https://a.b/c|docs>", {"U1": "Sam"}) == "@Sam see docs (https://a.b/c)"
    assert to_plain("<https://a.b/c>") == "https://a.b/c"
    assert to_plain("<!here> <#C1|billing> <mailto:x@y.z|x@y.z>") == "@here #billing x@y.z"
    assert to_plain("a &lt; b &amp;&amp; c &gt; d") == "a < b && c > d"
    assert user_ids("<@U1> and <@U2|bob>") == {"U1", "U2"}


def test_classify_real_payload_shapes():
    reply = pr.fixture("slack/event_callback_message_thread_reply_in_channel.json")
    assert isinstance(classify(reply, "C111", "UBOT"), ThreadReply)
    assert classify(reply, "COTHER", "UBOT") is None  # not the handoff channel
    for name in ("event_callback_message_changed", "event_callback_message_deleted",
                 "event_callback_message_thread_broadcast", "event_callback_message_subtype_bot_message",
                 "event_callback_message_from_app_bot_profile", "event_callback_reaction_added"):
        assert classify(pr.fixture(f"slack/{name}.json"), "C111", "UBOT") is None, name
    assert isinstance(classify(pr.slack_dm("hi"), "C111", "UBOT"), DirectMessage)
    assert classify(pr.slack_dm("hi", user="UBOT"), "C111", "UBOT") is None
