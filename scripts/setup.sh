#!/usr/bin/env bash
# Installs everything the kiosk needs on a Debian machine; safe to run again.
#   1. Debian packages (PC/SC daemon + virtual reader, socat for serial ptys, Chromium, a CJK font)
#   2. the npm packages pinned in package-lock.json (native modules built from source where needed)
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools   # real PC/SC stack with a virtual reader
  socat                                              # pty pairs: simulated serial devices
  chromium fonts-noto-cjk                            # the kiosk UI and its Traditional Chinese glyphs
  python3 make g++                                   # node-gyp for sqlite3 and pcsclite
)

missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: these Debian packages are missing and I am not root:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    echo "then run scripts/setup.sh again." >&2
    exit 1
  fi
else
  echo "setup: Debian packages already installed"
fi

# Electron's own binary cannot be downloaded on our build machines; its types are enough
# to check the shell. Field machines install the binary with `npx electron` as usual.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "setup: node_modules up to date"
else
  echo "setup: npm ci (sqlite3 and pcsclite compile from source: about two minutes)"
  npm ci --no-audit --no-fund
fi
mkdir -p var
echo "setup: done. Start the kiosk with 'npm start', run the tests with 'npm test'."
