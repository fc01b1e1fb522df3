"""The game window: the only package that imports pygame.

It reads the game through read-only views and changes it only by submitting commands to the
engine. `app.run_window` opens the window on the main menu or straight into a game.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # keep stdout for the game's own output
