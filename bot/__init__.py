"""The front ends: ways of talking to the same engine.

    terminal/        the `cinebot` CLI and the terminal chat (rich)
    discord/         the Discord bot (discord.py cogs)
    presentation.py  the words both answer in

Nothing here imports from `index` beyond its public API (`from index import ...`).
"""
