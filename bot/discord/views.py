"""Controls under a reply that only the person who asked may use."""

from __future__ import annotations

import logging

import discord

log = logging.getLogger("cinebot.bot")


class OwnedView(discord.ui.View):
    """Only the person who asked can press; on timeout every control is disabled."""

    def __init__(self, owner_id: int, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.message: discord.Message | discord.WebhookMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who asked can use these buttons.", ephemeral=True
        )
        return False

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException:
                log.info("could not disable the controls of message %s", self.message.id)


class Confirm(OwnedView):
    """One button that does something that cannot be undone, and one that does not."""

    def __init__(self, owner_id: int, timeout: float, label: str) -> None:
        super().__init__(owner_id, timeout)
        self.confirmed: bool | None = None
        self.go.label = label

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def go(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._settle(interaction, True)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._settle(interaction, False)

    async def _settle(self, interaction: discord.Interaction, confirmed: bool) -> None:
        self.confirmed = confirmed
        self.answer = interaction
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        await interaction.response.edit_message(view=self)
        self.stop()
