from discord.ext import commands


async def setup(bot: commands.Bot) -> None:
    from bot.discord.cogs.admin._cog import AdminCog

    await bot.add_cog(AdminCog(bot))
