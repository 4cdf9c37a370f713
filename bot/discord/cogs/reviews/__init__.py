from discord.ext import commands


async def setup(bot: commands.Bot) -> None:
    from bot.discord.cogs.reviews._cog import ReviewCog

    await bot.add_cog(ReviewCog(bot))
