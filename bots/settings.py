"""Settings from the environment (and a .env file; the real environment wins), parsed once at start-up.

Every problem is collected and reported together, one line each, naming the variable and what to do.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


class SettingsError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str
    signing_secret: str
    handoff_channel: str
    api_url: str


@dataclass(frozen=True)
class TelegramSettings:
    bot_token: str
    webhook_secret: str | None  # None only with --telegram-polling
    api_url: str
    file_url: str | None


@dataclass(frozen=True)
class MessengerSettings:
    page_token: str
    app_secret: str
    verify_token: str
    graph_url: str


@dataclass(frozen=True)
class Settings:
    host: str = "0.0.0.0"
    port: int = 8080
    database_url: str = "sqlite:///warmline.db"
    config_path: str | None = None
    log_level: str = "INFO"
    public_url: str | None = None
    slack: SlackSettings | None = None
    telegram: TelegramSettings | None = None
    messenger: MessengerSettings | None = None

    @property
    def customer_channels(self) -> list[str]:
        return [name for name, on in (("telegram", self.telegram), ("messenger", self.messenger),
                                      ("slack", self.slack)) if on]


def read_environment(environ: Mapping[str, str] | None = None, env_file: str | Path = ".env") -> dict[str, str]:
    values = {k: v for k, v in dotenv_values(env_file).items() if v is not None} if Path(env_file).is_file() else {}
    values.update(os.environ if environ is None else environ)
    return values


def load_settings(env: Mapping[str, str], *, telegram_polling: bool = False) -> Settings:
    problems: list[str] = []

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    def url(name: str, default: str) -> str:
        value = get(name) or default
        if not value.startswith(("http://", "https://")):
            problems.append(f"{name} must be an http:// or https:// URL (got {value!r})")
        return value

    def group(names: tuple[str, ...], what: str) -> bool:
        """A channel is on when all its credentials are set; partly set is an error naming what is missing."""
        present = [n for n in names if get(n)]
        if present and len(present) < len(names):
            for missing in (n for n in names if not get(n)):
                problems.append(f"{missing} is not set but {present[0]} is: set {missing} too ({what}), "
                                f"or unset {', '.join(present)} to turn this channel off")
        return len(present) == len(names)

    port_text = get("PORT") or "8080"
    port = 8080
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        problems.append(f"PORT must be a number between 1 and 65535 (got {port_text!r})")
    else:
        port = int(port_text)

    database_url = get("DATABASE_URL") or "sqlite:///warmline.db"
    if not database_url.startswith(("postgres://", "postgresql://", "sqlite:///")) or database_url == "sqlite:///":
        problems.append(f"DATABASE_URL must look like sqlite:///warmline.db or postgresql://… (got "
                        f"{database_url.split(':', 1)[0]!r}…)")

    log_level = (get("LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        problems.append(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (got {log_level!r})")

    config_path = get("WARMLINE_CONFIG")
    if config_path and not Path(config_path).is_file():
        problems.append(f"WARMLINE_CONFIG names {config_path!r}, which is not a file")

    public_url = get("PUBLIC_URL")
    if public_url and not public_url.startswith("https://") and not public_url.startswith("http://"):
        problems.append(f"PUBLIC_URL must be the app's public https:// base URL (got {public_url!r})")

    slack = None
    if group(("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_HANDOFF_CHANNEL"),
             "from your Slack app's settings; the channel is the ID (C…) where handoff threads open"):
        slack = SlackSettings(get("SLACK_BOT_TOKEN"), get("SLACK_SIGNING_SECRET"), get("SLACK_HANDOFF_CHANNEL"),
                              url("SLACK_API_URL", "https://slack.com/api/"))

    telegram = None
    token, secret = get("TELEGRAM_BOT_TOKEN"), get("TELEGRAM_WEBHOOK_SECRET")
    if secret and not token:
        problems.append("TELEGRAM_WEBHOOK_SECRET is set but TELEGRAM_BOT_TOKEN is not: set the bot token from "
                        "@BotFather, or unset the secret")
    if token:
        if secret is None and not telegram_polling:
            problems.append("TELEGRAM_WEBHOOK_SECRET is not set: choose 1-256 characters of A-Z a-z 0-9 _ - "
                            "(Telegram echoes it on every webhook call), or run `warmline serve --telegram-polling`")
        elif secret is not None and not SECRET_PATTERN.match(secret):
            problems.append("TELEGRAM_WEBHOOK_SECRET may only hold 1-256 characters of A-Z a-z 0-9 _ -")
        telegram = TelegramSettings(token, secret, url("TELEGRAM_API_URL", "https://api.telegram.org/bot"),
                                    get("TELEGRAM_FILE_URL"))

    messenger = None
    if group(("MESSENGER_PAGE_ACCESS_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN"),
             "from your Meta app's Messenger settings"):
        messenger = MessengerSettings(get("MESSENGER_PAGE_ACCESS_TOKEN"), get("MESSENGER_APP_SECRET"),
                                      get("MESSENGER_VERIFY_TOKEN"), url("GRAPH_API_URL",
                                                                         "https://graph.facebook.com/v21.0"))

    if problems:
        raise SettingsError(problems)
    return Settings(get("HOST") or "0.0.0.0", port, database_url, config_path, log_level, public_url, slack,
                    telegram, messenger)
