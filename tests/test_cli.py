"""The `warmline` command line as a user runs it: replay, migrate, chat, help."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

ENV = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TELEGRAM_", "MESSENGER_"))}


def warmline(*args: str, stdin: str = "", cwd=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bots", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd, env={**ENV, **(env or {})}, timeout=120)


TRANSCRIPT = "\n".join(json.dumps(x) for x in [
    {"conversation": "a", "role": "customer", "text": "where is my order", "ts": "2026-01-01T10:00:00Z"},
    {"conversation": "b", "role": "customer", "text": "this is ridiculous, my order is late again"},
    {"conversation": "a", "role": "bot", "text": "You can follow your order under Account > Orders."},
    {"conversation": "b", "role": "customer", "text": "I hate this, worst service ever", "ts": 1767261600},
    {"conversation": "b", "role": "customer", "text": "still nothing"},
    {"conversation": "c", "role": "customer", "text": "😀"},
    {"conversation": "c", "role": "customer", "text": ""},
]) + "\n"


def test_replay_prints_one_line_per_customer_message(tmp_path):
    result = warmline("replay", stdin=TRANSCRIPT, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(x["conversation"], x["turn"]) for x in lines] == [("a", 1), ("b", 1), ("b", 2), ("b", 3), ("c", 1),
                                                              ("c", 2)]
    assert set(lines[0]) == {"conversation", "turn", "sentiment", "frustration", "handoff", "reason"}
    # "ridiculous ... late again": a complaint, a repetition and a negative tone, but an opening (it tells the problem
    # and counts half); the very negative answer to the bot's reply hands off
    assert [x["handoff"] for x in lines] == [False, False, True, False, False, False]
    assert {"grievance", "repeating"} <= set(lines[1]["reason"])
    assert "very_negative" in lines[2]["reason"] and lines[2]["frustration"] > lines[0]["frustration"]
    assert lines[5]["sentiment"] is None and isinstance(lines[5]["frustration"], float | int)
    assert all(0 <= x["frustration"] <= 1 for x in lines)
    assert "3 conversations" in result.stderr and "1 handed off" in result.stderr
    assert "3 messages before anyone answered" in result.stderr  # a's first, b's first, c's first
    # what fired on any message, not only at handoffs: what an operator tunes first
    assert "signals on any message: grievance 3," in result.stderr and "very_negative 1" in result.stderr


def test_replay_reads_a_file_and_names_a_malformed_line(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(TRANSCRIPT)
    assert warmline("replay", str(path), cwd=tmp_path).returncode == 0
    for bad in ('{"conversation": "a", "role": "robot", "text": "x"}', "{oops", '{"conversation": "a"}',
                '{"conversation": "a", "role": "customer", "text": "x", "ts": "yesterday"}'):
        result = warmline("replay", stdin=TRANSCRIPT + bad + "\n", cwd=tmp_path)
        assert result.returncode == 2 and "line 8" in result.stderr and "Traceback" not in result.stderr
    assert warmline("replay", str(tmp_path / "missing.jsonl"), cwd=tmp_path).returncode == 2


def test_migrate_creates_the_schema(tmp_path):
    result = warmline("migrate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tables = {r[0] for r in sqlite3.connect(tmp_path / "warmline.db").execute("select name from sqlite_master")}
    assert {"inbox", "outbox", "conversations", "messages", "handoffs", "transitions"} <= tables
    assert warmline("migrate", cwd=tmp_path).returncode == 0  # again: nothing to do


def test_chat_shows_the_whole_flow_without_credentials(tmp_path):
    script = "\n".join(["hi", "where is my order", "I want to talk to a person", "are you there?",
                        "/agent Hi, this is Sam from support.", "/agent note: internal only", "/back",
                        "when are you open", "/quit"]) + "\n"
    result = warmline("chat", stdin=script, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "automated assistant" in out and "Account > Orders" in out
    assert "[Slack on-call channel] new handoff thread" in out and "asked for a person" in out
    assert "[Slack thread] customer: are you there?" in out
    assert "agent> Hi, this is Sam from support." in out
    assert "agent> note: internal only" not in out
    assert "back with the automated assistant" in out and "Monday to Friday" in out


@pytest.mark.parametrize("command", ["serve", "work", "chat", "replay", "migrate"])
def test_every_command_explains_itself(command):
    result = warmline(command, "--help")
    assert result.returncode == 0 and "usage: warmline" in result.stdout


def test_replay_counts_recorded_bot_failures(tmp_path):
    lines = [{"conversation": "x", "role": "customer", "text": "book a table for two tonight"},
             {"conversation": "x", "role": "bot", "text": "Sorry, I could not find any restaurant."},
             {"conversation": "x", "role": "customer", "text": "try a table for two at 8 then"},
             {"conversation": "x", "role": "bot", "text": "Unfortunately there are no results."},
             {"conversation": "x", "role": "customer", "text": "ok what about 9"},
             {"conversation": "x", "role": "bot", "text": "Sorry, I am unable to book that."},
             {"conversation": "x", "role": "customer", "text": "ok"}]
    result = warmline("replay", stdin="".join(json.dumps(x) + "\n" for x in lines), cwd=tmp_path)
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert out[0]["reason"] == [] and "bot_failing" in out[3]["reason"] and out[3]["handoff"]


def test_split_roles_need_postgresql(tmp_path):
    for args in (["serve", "--no-workers"], ["work"]):
        result = warmline(*args, cwd=tmp_path, env={"DATABASE_URL": f"sqlite:///{tmp_path}/w.db"})
        assert result.returncode == 2 and "need PostgreSQL" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["serve", "work", "migrate", "chat"])
def test_a_database_that_cannot_be_reached_is_named_without_its_password(tmp_path, command):
    """Nothing listens on port 1: one line naming the database (password hidden) and what to check, exit 2."""
    result = warmline(command, cwd=tmp_path, env={"DATABASE_URL": "postgresql://shop:hunter2@127.0.0.1:1/warmline"})
    assert result.returncode == 2
    assert "cannot open the PostgreSQL database at postgresql://shop:***@127.0.0.1:1/warmline" in result.stderr
    assert "Check DATABASE_URL" in result.stderr
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["serve", "migrate", "chat"])
def test_a_sqlite_file_in_a_missing_folder_is_a_clear_error(tmp_path, command):
    result = warmline(command, cwd=tmp_path, env={"DATABASE_URL": f"sqlite:///{tmp_path}/missing/w.db"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"cannot open the SQLite database '{tmp_path}/missing/w.db'" in result.stderr
    assert "does its folder exist" in result.stderr


def test_a_port_in_use_is_a_clear_error(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = warmline("serve", cwd=tmp_path, env={"DATABASE_URL": f"sqlite:///{tmp_path}/w.db",
                                                      "HOST": "127.0.0.1", "PORT": str(port)})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "check HOST and PORT" in result.stderr
