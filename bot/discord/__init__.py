"""The Discord front end: a discord.py bot whose cogs call the engine's public API."""
