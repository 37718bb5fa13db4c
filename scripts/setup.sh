#!/usr/bin/env bash
# Installs everything the kiosk needs on a Debian machine; safe to run again.
#   1. Debian packages (PC/SC daemon + virtual reader, socat for serial ptys, Chromium, a CJK font)
#   2. the npm packages pinned in package-lock.json (native modules built from source where needed)
set -euo pipefail
cd "$(dirname "$0")/.."

# Node.js and npm first: nothing below works without them, and no Debian package is new enough
# (Debian 12's nodejs is 18). vite 8 needs Node ^20.19 || >=22.12, and npm 11's install behaviour:
# package-lock.json is made with npm 11, and an older npm ci installs it differently.
node_found=$(node --version 2>/dev/null || true)   # v22.12.0
npm_found=$(npm --version 2>/dev/null || true)     # 11.0.0
node_ok=0
if [[ $node_found =~ ^v([0-9]+)\.([0-9]+)\. ]]; then
  node_major=${BASH_REMATCH[1]} node_minor=${BASH_REMATCH[2]}
  if { [ "$node_major" -eq 20 ] && [ "$node_minor" -ge 19 ]; } || { [ "$node_major" -eq 22 ] && [ "$node_minor" -ge 12 ]; } || [ "$node_major" -ge 23 ]; then
    node_ok=1
  fi
fi
npm_ok=0
if [[ $npm_found =~ ^([0-9]+)\. ]] && [ "${BASH_REMATCH[1]}" -ge 11 ]; then npm_ok=1; fi
if [ "$node_ok" -eq 0 ] || [ "$npm_ok" -eq 0 ]; then
  as_root=""
  [ "$(id -u)" -eq 0 ] || as_root="sudo "
  {
    echo "setup: the kiosk needs Node.js 20.19+ or 22.12+ and npm 11+; found Node.js ${node_found:-(none)}, npm ${npm_found:-(none)}."
    if [ "$node_ok" -eq 0 ]; then
      echo "Install Node.js 22 from NodeSource (Debian's own nodejs is too old), then npm 11:"
      echo "  ${as_root}apt-get install -y ca-certificates curl"
      echo "  curl -fsSL https://deb.nodesource.com/setup_22.x | ${as_root}bash -"
      echo "  ${as_root}apt-get install -y nodejs"
      echo "  ${as_root}npm install -g npm@11"
    else
      echo "Install npm 11 (for a Node.js installed with nvm, leave out sudo):"
      echo "  ${as_root}npm install -g npm@11"
    fi
    echo "then run scripts/setup.sh again."
  } >&2
  exit 1
fi
echo "setup: Node.js $node_found, npm $npm_found"

debian_packages=(
  pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools   # real PC/SC stack with a virtual reader
  socat                                              # pty pairs: simulated serial devices
  chromium fonts-noto-cjk                            # the kiosk UI and its Traditional Chinese glyphs (also prints session reports to PDF)
  poppler-utils                                      # pdftotext/pdftoppm: tests read the session reports back
  espeak-ng sox                                      # spoken guidance: prompts synthesised offline at build time; sox measures them
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
