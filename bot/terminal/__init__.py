"""The terminal front end: the `cinebot` CLI and the chat, on the engine's public API."""
