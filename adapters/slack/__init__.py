"""Slack: the signed Events API route (slack-bolt), the handoff desk (threads in the on-call channel), DMs."""
