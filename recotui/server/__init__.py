"""The central server (FastAPI on uvicorn): kept off the TUI's start path."""
