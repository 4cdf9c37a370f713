from discord.ext import commands


async def setup(bot: commands.Bot) -> None:
    from bot.discord.cogs.taste._cog import TasteCog

    await bot.add_cog(TasteCog(bot))
