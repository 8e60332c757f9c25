#!/usr/bin/env bash
# Verify unet-serve.service with systemd-analyze in a temporary root that holds the
# system's units and a stub /usr/bin/unet (verify checks that ExecStart exists).
# Any warning (an unknown or misspelt key is only a warning) fails the check.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/bin" "$root/etc/systemd/system" "$root/usr/lib/systemd"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
printf '#!/bin/sh\nexit 0\n' > "$root/usr/bin/unet"
chmod 0755 "$root/usr/bin/unet"
cp "$here/unet-serve.service" "$root/etc/systemd/system/"

messages=$(systemd-analyze verify --root="$root" /etc/systemd/system/unet-serve.service 2>&1) \
    || { echo "$messages" >&2; exit 1; }
if [ -n "$messages" ]; then
    echo "$messages" >&2
    exit 1
fi
echo "systemd-analyze verify: unet-serve.service OK"
# The exposure score (lower is better); informative, not a gate.
systemd-analyze security --offline=yes --root="$root" \
    /etc/systemd/system/unet-serve.service 2>/dev/null | tail -n 1 || true
