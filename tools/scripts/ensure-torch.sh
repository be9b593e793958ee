#!/usr/bin/env bash
# `npm run train` prerequisite: Debian's python3-torch (CPU) for the fine-tuning step; training only,
# nothing it installs ships (the shipped model is tfjs). Set PYTHON to use another python with torch.
set -euo pipefail
if "${PYTHON:-/usr/bin/python3}" -c 'import torch, numpy' 2>/dev/null; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "python3-torch is missing: run 'sudo apt-get install -y python3-torch python3-numpy' (or set PYTHON)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch python3-numpy >/dev/null
