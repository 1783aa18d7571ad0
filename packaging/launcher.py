"""PyInstaller entry point for Jituan Desktop (the same as the ``jituan-desktop`` script)."""

from jituan_desktop.app import main

if __name__ == "__main__":
    raise SystemExit(main())
