"""Where the project lives, and reading switches and lists from the environment."""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no switch from the environment ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list from the environment, dropping blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
