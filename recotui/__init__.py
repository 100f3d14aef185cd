"""recotui: a terminal workstation for collections work."""

__version__ = "0.1.0"
