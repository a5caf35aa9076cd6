from verifier_service.cli import main

raise SystemExit(main())
