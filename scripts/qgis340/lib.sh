# Shared by build_chroot.sh and run.sh: where the Debian 13 (QGIS 3.40 LTR) chroot lives
# and how to mount and unmount what a chroot needs. Sourced, not run.
# QGIS340_CHROOT overrides the place (default: .cache/qgis340/root in the checkout).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.cache/qgis340"
CHROOT="${QGIS340_CHROOT:-$CACHE/root}"
STAMP="$CHROOT.stamp"

log() { echo "qgis340: $*" >&2; }

# Every mount point at or under $1, deepest first (from this process's mount table;
# the kernel escapes spaces as \040, which our paths do not contain).
mounts_under() {
  local dir
  dir="$(realpath -m "$1")"
  awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# Unmount everything under the chroot: what this run mounted, or what an aborted run
# left behind (a stale mount). Lazy unmount only when a normal one is refused (busy).
unmount_all() {
  local point
  for point in $(mounts_under "$CHROOT"); do
    umount "$point" 2>/dev/null || umount -l "$point"
  done
  if [ -n "$(mounts_under "$CHROOT")" ]; then
    log "could not unmount: $(mounts_under "$CHROOT" | tr '\n' ' ')"
    return 1
  fi
}

unmount_stale() {
  local stale
  stale="$(mounts_under "$CHROOT")"
  if [ -n "$stale" ]; then
    log "unmounting what an aborted run left mounted: $(echo "$stale" | tr '\n' ' ')"
    unmount_all
  fi
}

# /proc, /dev and /sys for as long as the caller needs them; the caller sets the trap.
mount_system() {
  mount -t proc proc "$CHROOT/proc"
  mount --bind /dev "$CHROOT/dev"
  mount -t sysfs sysfs "$CHROOT/sys"
}

# Run a command inside the chroot with a clean environment.
in_chroot() {
  env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive chroot "$CHROOT" "$@"
}
