#!/usr/bin/env bash
# Does the bundle start and work with no Python anywhere on the PATH? Exits non-zero when not.
#
#   packaging/smoke_bundle.sh BUNDLE_DIR VERSION [DEB]
#
# From a clean environment (env -i, a fresh HOME, a PATH holding nothing) the bundle must:
# report VERSION, open the main window offscreen and paint it, import EPUBs (more than the
# importer reads in threads, so its frozen reader processes run), audiobooks and a PDF,
# reading each one's own metadata, and list them. Given the .deb, the same window must open
# from the unpacked package through its /usr/bin/bookdesk link.
set -euo pipefail

bundle=$(cd "$1" && pwd)
version=$2
deb=${3:-}
root=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-$root/.venv/bin/python}  # the build's Python prepares the books and reads the JSON, nothing more

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/empty-path"

fail() { echo "smoke_bundle: FAILED: $*" >&2; exit 1; }

# The environment a double-click gives, minus a display; nothing from the build leaks in.
bare() {
    env -i HOME="$work/home" PATH="$work/empty-path" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        XDG_RUNTIME_DIR="$work/home" "$@"
}

bare sh -c 'command -v python3 || command -v python' >/dev/null 2>&1 && fail "a Python is on the smoke test's PATH"

echo "smoke_bundle: --version"
reported=$(bare "$bundle/bookdesk" --version) || fail "bookdesk --version did not run"
[[ $reported == "BookDesk $version" ]] || fail "bookdesk --version said '$reported', expected 'BookDesk $version'"

# Read by path at run time, so no import error would tell of them missing (DATA_FOLDERS in build.spec).
for data in resources/icons/bookdesk.svg bookdesk/data/migrations/env.py; do
    [[ -f $bundle/_internal/$data ]] || fail "the bundle lacks $data"
done

echo "smoke_bundle: the main window"
bare "$bundle/bookdesk" smoke --library "$work/library" --screenshot "$work/window.png" \
    || fail "the bundle did not open its window"
[[ -s $work/window.png ]] || fail "no screenshot of the window"

echo "smoke_bundle: importing books"
books=$("$PY" "$root/packaging/make_smoke_books.py" "$work/books")
bare "$bundle/bookdesk" import "$work/books" --library "$work/library" --json >"$work/import.json" \
    || fail "the import failed: $(head -c 1500 "$work/import.json")"
bare "$bundle/bookdesk" list --library "$work/library" --json >"$work/list.json" || fail "bookdesk list failed"
"$PY" - "$work/import.json" "$work/list.json" "$books" <<'EOF' || fail "the import did not read every book"
import json, sys
result = json.load(open(sys.argv[1], encoding="utf-8"))
titles = {book["title"] for book in json.load(open(sys.argv[2], encoding="utf-8"))["books"]}
expected = int(sys.argv[3])
failed = result["failed"] if isinstance(result["failed"], int) else len(result["failed"])
# Titles that only the file's own metadata holds: lxml (EPUB), mutagen (M4B, MP3, FLAC), pypdf (PDF).
read = {"The Lantern Archive", "The Salt Road", "Winter Orchard", "The Harbor Cipher"}
print(f"smoke_bundle: added {result['added']} of {expected}, {failed} failed; {len(titles)} books listed")
if read - titles:
    print(f"smoke_bundle: not read from the files themselves: {', '.join(sorted(read - titles))}")
sys.exit(0 if result["added"] == expected and failed == 0 and read <= titles else 1)
EOF

if [[ -n $deb ]]; then
    echo "smoke_bundle: the unpacked .deb"
    dpkg-deb -x "$deb" "$work/deb"
    [[ -L $work/deb/usr/bin/bookdesk ]] || fail "the .deb has no /usr/bin/bookdesk link"
    bare "$work/deb/usr/bin/bookdesk" smoke --library "$work/deb-library" \
        || fail "the window did not open from the .deb's /usr/bin/bookdesk"
    if command -v desktop-file-validate >/dev/null; then
        desktop-file-validate "$work/deb/usr/share/applications/bookdesk.desktop" \
            || fail "the .deb's desktop entry does not validate"
    fi
fi
echo "smoke_bundle: passed"
