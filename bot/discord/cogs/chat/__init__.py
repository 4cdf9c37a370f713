from discord.ext import commands


async def setup(bot: commands.Bot) -> None:
    from bot.discord.cogs.chat._cog import ChatCog

    await bot.add_cog(ChatCog(bot))
