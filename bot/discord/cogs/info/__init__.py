from discord.ext import commands


async def setup(bot: commands.Bot) -> None:
    from bot.discord.cogs.info._cog import InfoCog

    await bot.add_cog(InfoCog(bot))
