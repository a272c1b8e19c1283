from __future__ import annotations

import pytest

import config
from bots.settings import SettingsError, load_settings, read_environment


def problems(env: dict[str, str], **kw) -> list[str]:
    with pytest.raises(SettingsError) as err:
        load_settings(env, **kw)
    return err.value.problems


def test_defaults_need_nothing():
    s = load_settings({})
    assert (s.host, s.port, s.database_url, s.log_level) == ("0.0.0.0", 8080, "sqlite:///warmline.db", "INFO")
    assert s.customer_channels == [] and s.slack is None


def test_half_configured_channels_name_the_missing_variable():
    slack = problems({"SLACK_BOT_TOKEN": "xoxb-1"})
    assert [p.split()[0] for p in slack] == ["SLACK_SIGNING_SECRET", "SLACK_HANDOFF_CHANNEL"]
    (line,) = problems({"TELEGRAM_BOT_TOKEN": "1:a"})
    assert line.startswith("TELEGRAM_WEBHOOK_SECRET is not set") and "--telegram-polling" in line
    (line,) = problems({"MESSENGER_PAGE_ACCESS_TOKEN": "t", "MESSENGER_APP_SECRET": "s"})
    assert line.startswith("MESSENGER_VERIFY_TOKEN is not set")
    (line,) = problems({"TELEGRAM_WEBHOOK_SECRET": "abc"})
    assert "TELEGRAM_BOT_TOKEN" in line


def test_polling_needs_no_secret_and_bad_values_are_reported_together():
    assert load_settings({"TELEGRAM_BOT_TOKEN": "1:a"}, telegram_polling=True).telegram.webhook_secret is None
    found = problems({"PORT": "eighty", "LOG_LEVEL": "LOUD", "TELEGRAM_BOT_TOKEN": "1:a",
                      "TELEGRAM_WEBHOOK_SECRET": "has spaces!", "DATABASE_URL": "mysql://x"})
    assert [p.split()[0] for p in found] == ["PORT", "DATABASE_URL", "LOG_LEVEL", "TELEGRAM_WEBHOOK_SECRET"]


def test_api_urls_default_and_override():
    env = {"SLACK_BOT_TOKEN": "x", "SLACK_SIGNING_SECRET": "y", "SLACK_HANDOFF_CHANNEL": "C1"}
    assert load_settings(env).slack.api_url == "https://slack.com/api/"
    assert load_settings(env | {"SLACK_API_URL": "http://127.0.0.1:9/api"}).slack.api_url == "http://127.0.0.1:9/api"
    assert problems(env | {"SLACK_API_URL": "slack.com"})[0].startswith("SLACK_API_URL")


def test_dotenv_is_read_and_the_real_environment_wins(tmp_path):
    (tmp_path / ".env").write_text("PORT=9000\nLOG_LEVEL=DEBUG\n")
    env = read_environment({"PORT": "9100"}, tmp_path / ".env")
    assert env["PORT"] == "9100" and env["LOG_LEVEL"] == "DEBUG"


def test_content_file_is_merged_and_checked_by_key(tmp_path):
    good = tmp_path / "shop.toml"
    good.write_text('[bot]\ncompany = "Acme"\n[policy]\nmax_fallbacks = 3\n')
    content = config.load_content(good)
    assert content.company == "Acme" and "Acme" in content.disclosure and content.thresholds.max_fallbacks == 3
    assert len(content.faq) > 5  # defaults kept
    for text, key in [('[policy]\nnegative = "low"\n', "policy.negative"),
                      ("[policy]\nopening = 0\n", "policy.opening"),
                      ('[[faq]]\nid = "x"\nanswer = "y"\n', "faq[0].examples"),
                      ('[signals]\nperson = ["(unclosed"]\n', "signals.person[0]"),
                      ('[complaint_words]\nnightmare = -9\n', "complaint_words.nightmare"),
                      ('[complaint_words]\n"last straw" = -2\n', "complaint_words.last straw"),
                      ('[colours]\nred = 1\n', "colours"), ("not toml = = =", "not valid TOML"),
                      ("faq = 3\n", "faq: must be entries"), ('signals = "x"\n', "signals: must be a table"),
                      ("policy = [1]\n", "policy: must be a table"), ("bot = 3\n", "bot: must be a table")]:
        bad = tmp_path / "bad.toml"
        bad.write_text(text)
        with pytest.raises(config.ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
            config.load_content(bad)
