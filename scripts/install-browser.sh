#!/usr/bin/env bash
# Installs Debian's chromium for the HTML report's browser test when no
# Chromium or Chrome is on PATH. Where it cannot (no apt-get, not root), it
# says why and exits 0: the test then skips with that reason.
set -euo pipefail
for b in chromium chromium-browser google-chrome google-chrome-stable; do
	if command -v "$b" >/dev/null 2>&1; then
		echo "browser: $(command -v "$b") ($("$b" --version 2>/dev/null || echo 'version unknown'))"
		exit 0
	fi
done
if ! command -v apt-get >/dev/null 2>&1; then
	echo "browser: no chromium and no apt-get here: the browser test will skip (set ACSCONFORM_CHROMIUM to a Chrome binary)"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		SUDO=sudo
	else
		echo "browser: no chromium, and installing it needs root: the browser test will skip (run: sudo apt-get install chromium)"
		exit 0
	fi
fi
echo "browser: installing Debian's chromium"
if ! { ${SUDO:-} apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -qq chromium >/dev/null; }; then
	echo "browser: apt-get could not install chromium (see above): the browser test will skip"
	exit 0
fi
echo "browser: $(command -v chromium) ($(chromium --version))"
