"""Who may do what: a server's managers act on their server's library; the bot's owner and the
operators named in config act on the base library. Checked in the bot, not only by Discord's
default permissions (which each server can change)."""

from __future__ import annotations

import discord
from discord import app_commands


class NotAdmin(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__(
            "Only admins can do that: the configured admin role or Manage Server is needed."
        )


class NotOperator(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__(
            "Only the bot's operators can do that: the base library is shared by every server."
        )


class NotInServer(app_commands.CheckFailure):
    def __init__(self) -> None:
        super().__init__("That works in a server, on its own library; not in a DM.")


def manages(interaction: discord.Interaction) -> bool:
    """Manage Server, or the configured admin role, in the server asked from."""
    member = interaction.user
    if not isinstance(member, discord.Member):
        return False  # a DM has no roles or permissions to check
    if member.guild_permissions.manage_guild:
        return True
    role = interaction.client.settings.discord.admin_role  # type: ignore[attr-defined]
    return bool(role) and any(r.name == role or str(r.id) == role for r in member.roles)


def is_admin(interaction: discord.Interaction) -> bool:
    if not manages(interaction):
        raise NotAdmin()
    return True


def in_server(interaction: discord.Interaction) -> bool:
    if interaction.guild_id is None:
        raise NotInServer()
    return True


async def is_operator(interaction: discord.Interaction) -> bool:
    client = interaction.client
    if interaction.user.id in client.settings.discord.operator_ids:  # type: ignore[attr-defined]
        return True
    if await client.is_owner(interaction.user):  # type: ignore[attr-defined]
        return True
    raise NotOperator()
