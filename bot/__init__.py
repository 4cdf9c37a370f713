"""The Discord adapter (issue: the Discord bot). It will call `index.Engine` and nothing else."""
