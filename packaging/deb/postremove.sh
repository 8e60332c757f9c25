#!/bin/sh
# After removal: delete anything Python created under /opt/unet after installation,
# and give back /opt itself: the package lists ./opt/ (nfpm adds parent directories)
# and no Debian package owns it, so dpkg deletes it when it becomes empty.
set -e
case "$1" in
  remove|purge|0)
    rm -rf /opt/unet
    [ -d /opt ] || install -d -m 0755 /opt
    ;;
esac
