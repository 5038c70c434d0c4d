#!/usr/bin/env bash
# Installs the Debian packages PortraitCL builds and tests against, when any is missing.
# Safe to run repeatedly: it does nothing when everything is already installed.
set -euo pipefail

packages=(
  ocl-icd-opencl-dev opencl-headers pocl-opencl-icd clinfo
  libpng-dev
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev
  libavdevice59    # `portrait live`: V4L2 cameras/loopback and lavfi: sources (loaded at run time, not linked)
  libopenblas-dev
  pkg-config
  oclgrind    # the OpenCL device simulator of make gpu-lint (and its subset in make test)
  chromium chromium-driver    # the studio's browser test (tests/browser, run by make test)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# The C API test program needs a C compiler, the Python package's tests NumPy and pytest (from
# the distribution unless the python3 on PATH already has them).
command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
if ! python3 -c 'import numpy, pytest' >/dev/null 2>&1; then
  missing+=(python3 python3-numpy python3-pytest)
fi

# Selenium for the studio's browser test, from PyPI into the python3 on PATH (a user install
# when that python is the system's).
install_selenium() {
  python3 -c 'import selenium' >/dev/null 2>&1 && return 0
  echo "install-deps: installing selenium (PyPI)"
  python3 -m pip install -q selenium 2>/dev/null || python3 -m pip install -q --user --break-system-packages selenium
}

if ((${#missing[@]} == 0)); then
  install_selenium
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: missing packages (${missing[*]}) and no apt-get; install them with your package manager." >&2
  exit 1
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_selenium
echo "install-deps: done"
