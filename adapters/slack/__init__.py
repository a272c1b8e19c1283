"""Slack: the signed Events API route (event callbacks stored directly, the rest through slack-bolt), the handoff
desk (threads in the on-call channel), DMs."""
