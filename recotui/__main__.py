from recotui.cli import main

raise SystemExit(main())
