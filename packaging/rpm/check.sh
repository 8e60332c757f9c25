#!/usr/bin/env bash
# Check an RPM's contents and metadata with rpm -qp (apt-get install rpm on Debian).
#   packaging/rpm/check.sh dist/unet-<v>-1.x86_64.rpm
set -euo pipefail
rpm_file=$1
fail() { echo "rpm check: $*" >&2; exit 1; }

files=$(rpm -qpl "$rpm_file" 2>/dev/null)
for path in /usr/bin/unet /opt/unet/venv/bin/unet /opt/unet/venv/bin/python \
        /usr/share/bash-completion/completions/unet /usr/share/zsh/site-functions/_unet \
        /usr/share/fish/vendor_completions.d/unet.fish \
        /usr/lib/systemd/system/unet-serve.service /etc/unet/serve.env; do
    grep -qx "$path" <<<"$files" || fail "missing $path"
done
grep -q '^/opt/unet/venv/lib/python3.11/site-packages/unet/cli/__init__.py$' <<<"$files" \
    || fail "unet is not in the venv"
pycs=$(grep -c '/__pycache__/.*\.pyc$' <<<"$files" || true)
[ "$pycs" -gt 1000 ] || fail "only $pycs byte-compiled files"
# The build directory must not leak into the package (relocatable venv, -s/-p compileall).
grep -q '^/tmp' <<<"$files" && fail "build paths in the file list"

rpm -qpc "$rpm_file" 2>/dev/null | grep -qx /etc/unet/serve.env \
    || fail "/etc/unet/serve.env is not marked as configuration"
requires=$(rpm -qpR "$rpm_file" 2>/dev/null)
grep -q '^python3.11' <<<"$requires" || fail "does not require python3.11"
link=$(rpm -qp --qf '[%{FILENAMES} %{FILELINKTOS}\n]' "$rpm_file" 2>/dev/null \
    | awk '$1 == "/usr/bin/unet" {print $2}')
[ "$link" = /opt/unet/venv/bin/unet ] || fail "/usr/bin/unet links to '$link'"
rpm -qp --scripts "$rpm_file" 2>/dev/null | grep -q 'rm -rf /opt/unet' \
    || fail "no postuninstall clean-up"

echo "rpm check: $(rpm -qp --qf '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}' "$rpm_file" 2>/dev/null)," \
    "$(wc -l <<<"$files") files ($pycs .pyc), requires python3.11, /usr/bin/unet -> $link"
