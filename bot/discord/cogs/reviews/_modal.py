"""The form a member writes a review in: Discord's modal, where a long text is comfortable to
type (a slash command option holds one line). A modal is plain text: cleaned, not escaped."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot.discord import safety
from index import clean

MODAL_TITLE = 45  # Discord's limits for a modal
Submitted = Callable[[discord.Interaction, str, str | None], Awaitable[None]]


class ReviewForm(discord.ui.Modal):
    """The review's words (and, when editing, its rating); `submitted` gets them."""

    def __init__(
        self,
        film: str,
        max_chars: int,
        submitted: Submitted,
        *,
        text: str = "",
        rating: str | None = None,
        ask_rating: bool = False,
    ) -> None:
        super().__init__(title=safety.cut(f"Review: {clean(film)}", MODAL_TITLE), timeout=1800)
        self.submitted = submitted
        self.rating: discord.ui.TextInput[ReviewForm] | None = None
        if ask_rating:
            self.rating = discord.ui.TextInput(
                label="Rating: 0-10, 4/5 or ★★★★ (optional)",
                required=False,
                max_length=20,
                default=rating or None,
            )
            self.add_item(self.rating)
        self.text: discord.ui.TextInput[ReviewForm] = discord.ui.TextInput(
            label="Your review",
            style=discord.TextStyle.paragraph,
            max_length=max_chars,
            required=not ask_rating,
            default=text[:max_chars] or None,
            placeholder="What did you think? Spoilers are yours to mark.",
        )
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        rating = self.rating.value.strip() if self.rating is not None else None
        await self.submitted(interaction, self.text.value, rating or None)
