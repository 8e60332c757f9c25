#!/usr/bin/env bash
# Build dist/unet-<version>-x64.msi with wixl and verify it with msiinfo/msiextract.
#   packaging/windows/build-msi.sh [PAYLOAD_DIR]
# PAYLOAD_DIR is the frozen unet (PyInstaller --onedir output holding unet.exe), made
# on a Windows runner: Python cannot be frozen for Windows on Linux. Without it, a
# placeholder tree (unet's sources, the PowerShell completion, a unet.cmd) stands in
# to prove that the MSI definition builds and extracts byte-identical.
# Needs: apt-get install wixl msitools.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
OUT=${OUT:-$root/dist}
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/unet/__init__.py")
msi=$OUT/unet-$version-x64.msi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT"

if [ $# -ge 1 ]; then
    payload=$(realpath "$1")
else
    payload=$work/payload
    mkdir -p "$payload"
    (cd "$root" && find unet -path '*/__pycache__' -prune -o -type f \
        \( -name '*.py' -o -name '*.lark' -o -name py.typed \) -print \
        | while read -r f; do install -D -m 0644 "$f" "$payload/$f"; done)
    cp "$root/completions/unet.ps1" "$root/LICENSE" "$payload/"
    printf '@echo off\r\nrem placeholder for unet.exe (frozen on a Windows runner)\r\n' \
        > "$payload/unet.cmd"
fi

# One component per file, generated from the folder (paths relative to SourceDir).
parent=$(dirname "$payload")
name=$(basename "$payload")
(cd "$parent" && find "$name" -type f | sort) > "$work/files.txt"
(cd "$parent" && wixl-heat --prefix "$name/" --directory-ref INSTALLDIR \
    --component-group CG.payload --var var.SourceDir --win64 < "$work/files.txt") \
    > "$work/payload.wxs"
# wixl resolves Source paths relative to the current directory (absolute ones fail).
(cd "$parent" && wixl --arch x64 -D Version="$version" -D SourceDir="$name" -D Win64=yes \
    -o "$msi" "$here/unet.wxs" "$work/payload.wxs")

# Verify: metadata, and the extracted tree equals the payload byte for byte.
# (msiextract exits 0 even when files are missing, so compare the trees.)
msiinfo suminfo "$msi" | grep -q "^Subject: unet"
msiinfo export "$msi" Property | grep -q "ProductVersion	$version"
msiextract --directory "$work/extracted" "$msi" >/dev/null
extracted=$(find "$work/extracted" -mindepth 1 -maxdepth 2 -type d -name unet | head -n 1)
[ -n "$extracted" ] || { echo "msi check: payload not found in the MSI" >&2; exit 1; }
diff -r "$payload" "$extracted"
count=$(wc -l < "$work/files.txt")
echo "msi check: $(basename "$msi"): $count files extracted byte-identical," \
    "ProductVersion $version, $(stat -c %s "$msi") bytes"
