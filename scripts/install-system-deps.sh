#!/usr/bin/env bash
# Debian packages Puente needs to make PDFs and to test them. Installs only
# what is missing, so running it again costs nothing.
set -euo pipefail
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# LibreOffice's UNO bindings: the batch's warm converters (documents/converters.py)
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need+=(python3-uno)
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
. "$(dirname "$0")/apt-install.sh"
apt_install "${need[@]}"
