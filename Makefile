# Shortcuts for the two commands in README.md (the scripts work without make).
.PHONY: demo test setup
demo:
	./scripts/demo
test:
	./scripts/test
setup:
	./scripts/setup
