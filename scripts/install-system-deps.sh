#!/usr/bin/env bash
# The tests read the outputs as a person would: pdftotext/pdftoppm (poppler-utils) for the PDF and
# headless Chromium for the HTML. Install them from Debian's packages when they are missing.
set -euo pipefail
missing=()
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v chromium >/dev/null || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "install these for the tests: ${missing[*]} (no apt-get here)" >&2; exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing ${missing[*]} from Debian's packages"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
