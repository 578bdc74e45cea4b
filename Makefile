# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean dist

install: $(STAMP)

# Re-install only when the project's requirements change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: install
	$(BIN)/bookdesk

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 -q

bench: install
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) build dist *.egg-info

# `make dist`: the bundle that needs no Python (dist/bookdesk/bookdesk), a .deb and a .tar.gz of it,
# then a smoke test of the bundle and of the unpacked .deb that fails when either does not start.
# PyInstaller comes from the `dist` extra, kept out of `make install`, which does not need it.
DIST_STAMP := $(VENV)/.installed-dist
# One version, pyproject.toml's, names the packages (build.spec reads it there too).
VERSION = $(shell $(BIN)/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
DEB = dist/bookdesk_$(VERSION)_$(shell dpkg --print-architecture).deb
TARBALL = dist/bookdesk-$(VERSION)-linux-$(shell uname -m).tar.gz

# After `make install`'s own set-up, so a changed pyproject.toml re-installs both.
$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dist]'
	touch $(DIST_STAMP)

# pyinstaller --clean: a release is built from nothing an earlier build cached.
dist: $(DIST_STAMP)
	$(BIN)/python packaging/render_icons.py build/icons
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --workpath build/pyinstaller --distpath dist build.spec
	packaging/linux/make_deb.sh dist/bookdesk build/icons dist $(VERSION)
	tar -C dist -czf $(TARBALL) bookdesk
	packaging/smoke_bundle.sh dist/bookdesk $(VERSION) $(DEB)
