#!/usr/bin/env bash
# Installs what the tests drive, from Debian's packages (browser downloads fail here): Chromium,
# Firefox ESR, and WebKitGTK's WebDriver with its MiniBrowser, under Xvfb; and PHP's command line,
# which lints and renders the WordPress plugin. Does nothing when they are there; needs root (or
# sudo) otherwise.
set -euo pipefail
need=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need+=(chromium)
[ -x "${FIREFOX_PATH:-/usr/bin/firefox-esr}" ] || need+=(firefox-esr)
[ -x "${WEBKIT_DRIVER_PATH:-/usr/bin/WebKitWebDriver}" ] || need+=(webkit2gtk-driver)
[ -x /usr/bin/Xvfb ] || need+=(xvfb)
command -v php >/dev/null || need+=(php-cli)
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian's ${need[*]} for the tests…"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${need[@]}" >/dev/null
