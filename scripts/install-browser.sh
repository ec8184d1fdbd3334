#!/usr/bin/env bash
# Installs Debian's chromium for the HTML report's browser test when no
# Chromium or Chrome is on PATH. Where it cannot (no apt-get, not root), it
# says why and exits 0: the test then skips with that reason.
set -euo pipefail
. "$(dirname "$0")/apt-install.sh"
for b in chromium chromium-browser google-chrome google-chrome-stable; do
	if command -v "$b" >/dev/null 2>&1; then
		echo "browser: $(command -v "$b") ($("$b" --version 2>/dev/null || echo 'version unknown'))"
		exit 0
	fi
done
apt_install browser chromium || exit 0
echo "browser: $(command -v chromium) ($(chromium --version))"
