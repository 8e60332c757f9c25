#!/usr/bin/env bash
# Install-test the .deb in a clean Debian chroot, as a non-root user, then purge it
# and check that nothing is left behind.
#   packaging/deb/chroot-test.sh dist/unet_<v>-1_amd64.deb [ROOTFS.tar]
# Needs root, mmdebstrap (apt-get install mmdebstrap), unshare, and the Debian mirror.
# ROOTFS.tar (a bookworm minbase tarball) is built and kept when missing:
#   mmdebstrap --variant=minbase bookworm ROOTFS.tar http://deb.debian.org/debian
set -euo pipefail

deb=$(realpath "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${UNET_PKG_CACHE:-$root/dist/.cache}
rootfs_tar=${2:-$cache/bookworm-minbase.tar}
mkdir -p "$cache/apt-archives/partial"

if [ ! -f "$rootfs_tar" ]; then
    mmdebstrap --quiet --variant=minbase bookworm "$rootfs_tar" http://deb.debian.org/debian
fi

chroot_dir=$(mktemp -d)
cleanup() {
    umount -R "$chroot_dir" 2>/dev/null || true
    rm -rf --one-file-system "$chroot_dir"
}
trap cleanup EXIT
tar -C "$chroot_dir" -xf "$rootfs_tar"
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
cp "$deb" "$chroot_dir/tmp/unet.deb"
cp -r "$root/examples" "$chroot_dir/tmp/examples"

cat > "$chroot_dir/tmp/test.sh" <<'INNER'
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
apt-get -qq update
export DEBCONF_NOWARNINGS=yes
# Dependencies first, so the before/after comparison sees only what unet adds.
apt-get -qq install -y --no-install-recommends python3.11 git bash-completion >/dev/null
useradd --create-home tester
chown -R tester: /tmp/examples
snapshot() {
    find / -xdev \( -path /proc -o -path /dev -o -path /tmp -o -path /home -o -path /var/cache \
        -o -path /var/lib/apt -o -path /var/lib/dpkg -o -path /var/log \) -prune -o -print | sort
}
snapshot > /tmp/before.txt

apt-get -qq install -y --no-install-recommends /tmp/unet.deb >/dev/null
echo "installed: $(dpkg-query -W -f='${Package} ${Version} ${Installed-Size} KiB' unet)"
test -L /usr/bin/unet
test -f /usr/share/bash-completion/completions/unet
test -f /usr/share/zsh/vendor-completions/_unet
test -f /usr/share/fish/vendor_completions.d/unet.fish
test -f /usr/lib/systemd/system/unet-serve.service
pycs=$(find /opt/unet -name '*.pyc' | wc -l)
echo "byte-compiled files: $pycs"
test "$pycs" -gt 1000

# As an ordinary user: version, a real check, and a TAB completion through bash.
su tester --shell /bin/bash -c 'set -e
  unet --version
  unet --repo /tmp/examples validate
  rc=0; unet --repo /tmp/examples check --format concise >/tmp/check.txt || rc=$?
  test "$rc" = 1 && grep -q "ntp" /tmp/check.txt && echo "check: exit 1 with findings (expected)"
  source /usr/share/bash-completion/completions/unet
  COMP_WORDS=(unet --repo /tmp/examples devices show hq-core-); COMP_CWORD=5
  _unet_completion unet
  test "${COMPREPLY[*]}" = "hq-core-01 hq-core-02" && echo "completion: ${COMPREPLY[*]}"
'
# Wall time of whole processes from the installed package, median of 9 runs.
su tester --shell /bin/bash -c 'python3.11 - <<"PY"
import os, statistics, subprocess, time
def median_ms(cmd, env=None, runs=9):
    subprocess.run(cmd, env=env, capture_output=True)  # warm the page cache and the index
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
tab = dict(os.environ, _UNET_COMPLETE="bash_complete", COMP_CWORD="5",
           COMP_WORDS="unet --repo /tmp/examples devices show hq-")
for label, cmd, env in [
    ("unet --help", ["unet", "--help"], None),
    ("unet check (examples, warm index)", ["unet", "--repo", "/tmp/examples", "check"], None),
    ("unet check --no-cache (examples)",
     ["unet", "--repo", "/tmp/examples", "check", "--no-cache"], None),
    ("TAB: unet devices show hq-<TAB>", ["unet"], tab),
]:
    print(f"time: {label}: {median_ms(cmd, env):.0f} ms (median of 9)")
PY'

# Nothing may have been written under /opt by running unet (no __pycache__ misses).
test -z "$(find /opt/unet -newer /tmp/before.txt -name '*.pyc' -print -quit)"

apt-get -qq purge -y unet >/dev/null
test ! -e /opt/unet && test ! -e /usr/bin/unet && test ! -e /etc/unet
snapshot > /tmp/after.txt
if ! diff -u /tmp/before.txt /tmp/after.txt; then
    echo "purge left files behind" >&2
    exit 1
fi
echo "purged: nothing left behind"
INNER

# shellcheck disable=SC2016  # expanded by the inner shell, from its arguments
unshare --mount --fork bash -euo pipefail -c '
    d=$1; cache=$2
    mount --rbind /dev "$d/dev"
    mount -t proc proc "$d/proc"
    mount --bind "$cache" "$d/var/cache/apt/archives"
    chroot "$d" /bin/bash /tmp/test.sh
' _ "$chroot_dir" "$cache/apt-archives"
