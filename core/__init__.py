"""Warmline's channel-agnostic conversation core: no platform, web or database library is imported here."""
