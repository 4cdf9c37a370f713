from discord.ext import commands


async def setup(bot: commands.Bot) -> None:
    from bot.discord.cogs.search._cog import SearchCog

    await bot.add_cog(SearchCog(bot))
