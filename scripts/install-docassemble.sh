#!/usr/bin/env bash
# docassemble for the interview tests, in the project's .venv.
#
# The tests load and run the interviews in-process with docassemble.base (the
# interview engine), which installs in about 2.5 minutes; the server
# (docassemble.webapp, about 3.5 minutes, needs python-ldap) is installed with
#   PUENTE_DOCASSEMBLE=webapp bash scripts/install-docassemble.sh
# Both are pinned to 1.10.13 (1.10.14 pins a certifi the registry lacks).
#
# Debian packages: libzbar0 (docassemble.base imports pyzbar), WordNet for the
# NLTK data docassemble loads at import (it cannot download it here; see
# scripts/build-nltk-data.py), and the en_US.UTF-8 locale docassemble sets.
# Runs again at no cost: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
VERSION=1.10.13
FLAVOR=${PUENTE_DOCASSEMBLE:-base}

need=()
dpkg -s libzbar0 >/dev/null 2>&1 || need+=(libzbar0)
[ -f /usr/share/wordnet/data.noun ] || need+=(wordnet-base)
[ -f /usr/share/wordnet/index.sense ] || need+=(wordnet-sense-index)
dpkg -s locales >/dev/null 2>&1 || need+=(locales)
if [ "$FLAVOR" = webapp ]; then
  dpkg -s libldap2-dev >/dev/null 2>&1 || need+=(libldap2-dev)
  dpkg -s libsasl2-dev >/dev/null 2>&1 || need+=(libsasl2-dev)
fi
. scripts/apt-install.sh
apt_install "${need[@]}"
if ! locale -a 2>/dev/null | grep -qi '^en_US\.utf-\?8$'; then
  if [ "$(id -u)" -eq 0 ]; then
    sed -i 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    locale-gen >/dev/null
  else
    echo "The en_US.UTF-8 locale is missing (as root: locale-gen en_US.UTF-8)" >&2
  fi
fi

stamp="$VENV/.docassemble-$FLAVOR-$VERSION"
if [ ! -f "$stamp" ]; then
  start=$(date +%s)
  if [ "$FLAVOR" = webapp ]; then pkg="docassemble.webapp==$VERSION"; else pkg="docassemble.base==$VERSION"; fi
  echo "Installing $pkg and dayamlchecker into $VENV (a few minutes, once)"
  "$VENV/bin/pip" install -q "$pkg" dayamlchecker
  "$VENV/bin/pip" check
  touch "$stamp"
  echo "docassemble installed in $(( $(date +%s) - start )) s"
fi

# NLTK data from Debian's WordNet (the harness also builds it when missing).
[ -f "$VENV/nltk_data/corpora/wordnet/lexnames" ] || "$VENV/bin/python" scripts/build-nltk-data.py "$VENV/nltk_data" >/dev/null
