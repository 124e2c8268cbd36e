raise SystemExit("this module cannot be loaded")
