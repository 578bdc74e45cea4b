#!/usr/bin/env bash
# Put BookDesk.app in a compressed disk image with a link to /Applications to drag it onto.
#
#   packaging/macos/make_dmg.sh dist/BookDesk.app VERSION [OUT_DIR]   prints the .dmg's path
#
# Runs on macOS (hdiutil). The app is signed ad hoc only, as PyInstaller leaves it: without a
# Developer ID and notarisation, Gatekeeper asks the user to open it with Control-click > Open.
set -euo pipefail

app=$1 version=$2 out=${3:-dist}
[[ -d $app/Contents/MacOS ]] || { echo "make_dmg: $app is not an .app bundle" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# ditto keeps the bundle's symbolic links, extended attributes and signature intact.
ditto "$app" "$stage/BookDesk.app"
ln -s /Applications "$stage/Applications"

mkdir -p "$out"
dmg="$out/BookDesk-$version-macos-$(uname -m).dmg"
hdiutil create -volname "BookDesk $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg" >/dev/null
hdiutil verify "$dmg" >/dev/null
echo "$dmg"
