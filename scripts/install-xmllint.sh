#!/usr/bin/env bash
# Installs Debian's libxml2-utils (xmllint) for the JUnit schema test when it
# is missing. Where it cannot (no apt-get, not root), it says why and exits 0:
# the test then skips with that reason.
set -euo pipefail
. "$(dirname "$0")/apt-install.sh"
if command -v xmllint >/dev/null 2>&1; then
	echo "xmllint: $(command -v xmllint)"
	exit 0
fi
apt_install xmllint libxml2-utils || exit 0
echo "xmllint: $(command -v xmllint)"
