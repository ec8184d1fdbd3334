# Sourced by the install-*.sh scripts: apt_install LABEL PACKAGE installs a
# Debian package when apt-get is here and root (or passwordless sudo) is at
# hand; otherwise it says why and returns 1, so the script can exit 0 and the
# test that needs the package skips with that reason.
apt_install() {
	local label=$1 package=$2 sudo=
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "$label: not here and no apt-get: the test that needs it will skip"
		return 1
	fi
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo=sudo
		else
			echo "$label: installing it needs root: the test that needs it will skip (run: sudo apt-get install $package)"
			return 1
		fi
	fi
	echo "$label: installing Debian's $package"
	if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package" >/dev/null; }; then
		echo "$label: apt-get could not install $package (see above): the test that needs it will skip"
		return 1
	fi
}
