"""``python -m jituan_desktop`` starts the application."""

from jituan_desktop.app import main

raise SystemExit(main())
