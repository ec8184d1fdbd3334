#!/usr/bin/env bash
# Installs Debian's podman, and runc beside it, for the container image test
# when no container builder is on PATH. runc is there for machines whose
# cgroups are mounted in hybrid mode, where podman's default runtime (crun)
# refuses to start a container; the test runs the image with runc when it is
# installed. Where it cannot install (no apt-get, not root), it says why and
# exits 0: the test then skips with that reason.
set -euo pipefail
. "$(dirname "$0")/apt-install.sh"
if command -v podman >/dev/null 2>&1; then
	echo "container: $(podman --version)"
	exit 0
fi
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
	echo "container: $(docker --version)"
	exit 0
fi
apt_install container podman || exit 0
apt_install container runc || true
echo "container: $(podman --version)"
