#!/usr/bin/env bash
# Installs Debian's libxml2-utils (xmllint) for the JUnit schema test when it
# is missing. Where it cannot (no apt-get, not root), it says why and exits 0:
# the test then skips with that reason.
set -euo pipefail
if command -v xmllint >/dev/null 2>&1; then
	echo "xmllint: $(command -v xmllint)"
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "xmllint: not here and no apt-get: the JUnit schema test will skip"
	exit 0
fi
SUDO=
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		SUDO=sudo
	else
		echo "xmllint: installing it needs root: the JUnit schema test will skip (run: sudo apt-get install libxml2-utils)"
		exit 0
	fi
fi
echo "xmllint: installing Debian's libxml2-utils"
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libxml2-utils >/dev/null; }; then
	echo "xmllint: apt-get could not install libxml2-utils (see above): the JUnit schema test will skip"
	exit 0
fi
echo "xmllint: $(command -v xmllint)"
