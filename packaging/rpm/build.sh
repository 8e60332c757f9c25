#!/usr/bin/env bash
# Build the RPM from the same nfpm definition as the .deb (packaging/deb/nfpm.yaml).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/../deb/build.sh" rpm
