from bots.cli import main

raise SystemExit(main())
