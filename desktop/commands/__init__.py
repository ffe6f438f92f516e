"""Headless subcommands of the `ollama-desk` CLI (no Qt)."""
