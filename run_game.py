#!/usr/bin/env python3
"""Entry point: `python run_game.py --help` lists the commands."""

import sys

from game.cli import main

if __name__ == "__main__":
    sys.exit(main())
