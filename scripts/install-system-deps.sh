#!/usr/bin/env bash
# Debian packages Puente needs to make PDFs and to test them. Installs only
# what is missing, so running it again costs nothing.
set -euo pipefail
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
  exit 1
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
