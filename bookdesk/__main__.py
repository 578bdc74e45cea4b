from bookdesk.app import main

raise SystemExit(main())
