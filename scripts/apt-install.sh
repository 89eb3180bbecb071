# Sourced by the install scripts: apt_install PACKAGE... installs the missing
# Debian packages given (as root), or says which are missing and fails.
apt_install() {
  [ $# -gt 0 ] || return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: $* (run as root, or: sudo apt-get install $*)" >&2
    return 1
  fi
  echo "Installing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
