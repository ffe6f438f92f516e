"""Ollama Desk: a private, offline desktop assistant for local LLMs."""

__version__ = "0.1.0"
