from discord.ext import commands


async def setup(bot: commands.Bot) -> None:
    from bot.discord.cogs.admin._cog import AdminCog
    from bot.discord.cogs.admin._library import LibraryCog

    await bot.add_cog(AdminCog(bot))
    await bot.add_cog(LibraryCog(bot))
