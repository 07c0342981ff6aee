#!/usr/bin/env bash
# Build (once) a Debian 13 "trixie" chroot with Debian's QGIS 3.40 LTR (numpy 2.2,
# Python 3.13) and what the QGIS-side tests need. Idempotent and resumable: each stage
# writes its stamp only after it succeeded, a failed stage is redone on the next run,
# and whatever is mounted is unmounted on exit, failure included. Needs root.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MIRROR="${QGIS340_MIRROR:-http://deb.debian.org/debian}"
PACKAGES=(python3-qgis qgis qgis-providers python3-pip python3-pytest poppler-utils fonts-wqy-microhei ca-certificates)
# pytest-qgis is not packaged by Debian; pinned like requirements.txt.
PIP_PACKAGES=(pytest-qgis==5.0.2)
WANT="$(printf '%s\n' "$MIRROR" "${PACKAGES[@]}" "${PIP_PACKAGES[@]}" | sha256sum | cut -d' ' -f1)"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { log "building the chroot needs root (debootstrap, chroot, mount)"; exit 1; }

unmount_stale
trap unmount_all EXIT
trap 'exit 130' INT TERM  # so that the EXIT trap runs on Ctrl-C or kill too

if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
fi

BASE_STAMP="$CHROOT.base-stamp"
if [ ! -f "$BASE_STAMP" ]; then
  if [ -e "$CHROOT" ]; then
    log "removing an unfinished chroot at $CHROOT"
    [ -z "$(mounts_under "$CHROOT")" ] || { log "still mounted under $CHROOT"; exit 1; }
    rm -rf --one-file-system "$CHROOT"
  fi
  mkdir -p "$(dirname "$CHROOT")"
  log "debootstrap --variant=minbase trixie (about 30 s)"
  start=$SECONDS
  debootstrap --variant=minbase trixie "$CHROOT" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
    || { log "debootstrap failed, see $CACHE/debootstrap.log"; exit 1; }
  log "debootstrap took $((SECONDS - start)) s"
  touch "$BASE_STAMP"
fi

# Services must not start inside the chroot; pip needs the host's CA bundle and DNS.
printf '#!/bin/sh\nexit 101\n' > "$CHROOT/usr/sbin/policy-rc.d"
chmod +x "$CHROOT/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
mkdir -p "$CHROOT/etc/ssl/certs"

mount_system
log "apt-get install ${PACKAGES[*]} (about 2 minutes, 2.5 GB)"
start=$SECONDS
in_chroot apt-get update -qq
in_chroot apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >"$CACHE/apt.log" 2>&1 \
  || { log "apt-get install failed, see $CACHE/apt.log"; exit 1; }
cp /etc/ssl/certs/ca-certificates.crt "$CHROOT/etc/ssl/certs/ca-certificates.crt"
in_chroot python3 -m pip install -q --break-system-packages --root-user-action=ignore \
  --disable-pip-version-check "${PIP_PACKAGES[@]}"
in_chroot apt-get clean
log "packages took $((SECONDS - start)) s; QGIS $(in_chroot python3 -c 'from qgis.core import Qgis; print(Qgis.version())' 2>/dev/null)"
unmount_all
trap - EXIT
echo "$WANT" > "$STAMP"
