#!/usr/bin/env bash
# Package the bundle as a .deb: the bundle in /opt/bookdesk, a /usr/bin/bookdesk link, the menu
# entry with its MIME types ("Open With BookDesk" for EPUB and M4B) and the hicolor icons.
#
#   packaging/linux/make_deb.sh BUNDLE_DIR ICONS_DIR OUT_DIR VERSION    prints the .deb's path
#
# No maintainer scripts: dpkg's triggers of desktop-file-utils, shared-mime-info and the icon
# theme cache already refresh the menu, the MIME handlers and the icons when files land there.
set -euo pipefail

bundle=$1 icons=$2 out=$3 version=$4
here=$(cd "$(dirname "$0")" && pwd)
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"

mkdir -p "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" "$stage/usr/share/icons" \
    "$stage/usr/share/doc/bookdesk" "$stage/DEBIAN"
cp -a "$bundle" "$stage/opt/bookdesk"
# Relative, so the link also works in a package unpacked anywhere (the smoke test runs it so).
ln -s ../../opt/bookdesk/bookdesk "$stage/usr/bin/bookdesk"
install -m 644 "$here/bookdesk.desktop" "$stage/usr/share/applications/bookdesk.desktop"
cp -r "$icons/hicolor" "$stage/usr/share/icons/hicolor"
cat >"$stage/usr/share/doc/bookdesk/copyright" <<COPYRIGHT
BookDesk $version
License: GPL-3.0-or-later (see /usr/share/common-licenses/GPL-3).
/opt/bookdesk also holds Python, Qt (LGPL-3.0) and the Python libraries BookDesk uses,
each under its own license.
COPYRIGHT
find "$stage" -type d -exec chmod 755 {} +
find "$stage/usr/share" -type f -exec chmod 644 {} +

# The oldest C and C++ runtimes the bundle's binaries accept, read from the symbol versions they
# ask for. The other system libraries are the ones the bundle does not carry: OpenGL/EGL and the
# X11/Wayland client libraries that belong to the display; xkbcommon, fontconfig and D-Bus are
# carried, but their packages bring the keyboard maps, the font configuration and a font.
symbol_versions() {  # objdump fails on the odd non-ELF file; those have no symbols to give
    find "$bundle" -type f \( -name '*.so*' -o -perm -u+x \) -exec objdump -T {} + 2>/dev/null || true
}
glibc=$(symbol_versions | grep -oE 'GLIBC_[0-9.]+' | sed 's/GLIBC_//' | sort -Vu | tail -1) || true
cxx=$(dpkg-query -W -f='${Version}' libstdc++6 | sed 's/[-+~].*//')
depends="libc6 (>= ${glibc:-2.28}), libstdc++6 (>= $cxx), libgcc-s1, libegl1, libgl1, libxcb1, \
libwayland-client0, libwayland-cursor0, libwayland-egl1, libxkbcommon0, libfontconfig1, libdbus-1-3"

cat >"$stage/DEBIAN/control" <<CONTROL
Package: bookdesk
Version: $version
Architecture: $arch
Maintainer: ${DEB_MAINTAINER:-BookDesk <packages@bookdesk.invalid>}
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Section: misc
Priority: optional
Homepage: https://github.com/bookdesk/bookdesk
Description: desktop library for ebooks and audiobooks
 BookDesk imports ebooks (EPUB, PDF, MOBI/AZW3, CBZ) and audiobooks (M4B, MP3,
 FLAC, Ogg, Opus), identifies them against online metadata providers, shows which
 books of a series or an author are missing and keeps every correction undoable.
CONTROL

mkdir -p "$out"
deb="$out/bookdesk_${version}_${arch}.deb"
# root:root owners whoever builds it; xz keeps the download small.
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
