#!/usr/bin/env bash
# Installs the Debian packages that the integration tests run against: dovecot (a real
# IMAP server for the email connector), chromium (browser tests) and openssl (per-run
# certificates) and Python 3 with cryptography, httpx and pytest (the Python SDK's suite).
# Idempotent and quiet; one line per thing it does.
# The tests start their own dovecot instances on free ports, so the system service must
# stay stopped: port 143/993 is never needed.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
SUDO=''
if [ "$(id -u)" -ne 0 ]; then SUDO='sudo'; fi

missing=()
# command -v for tools on PATH; dpkg -s where the binary lives outside PATH (/usr/sbin).
if ! dpkg -s dovecot-imapd >/dev/null 2>&1; then missing+=(dovecot-imapd); fi
if ! command -v chromium >/dev/null 2>&1 && ! dpkg -s chromium >/dev/null 2>&1; then missing+=(chromium); fi
if ! command -v openssl >/dev/null 2>&1; then missing+=(openssl); fi
# /usr/bin/python3 explicitly: a pyenv shim on PATH may hide Debian's modules.
if ! /usr/bin/python3 -c 'import cryptography, httpx, pytest' >/dev/null 2>&1; then
  missing+=(python3 python3-cryptography python3-httpx python3-pytest)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-services: dovecot-imapd, chromium, openssl and the Python SDK modules already installed"
else
  echo "install-services: apt-get update"
  $SUDO apt-get update -qq >/dev/null
  echo "install-services: installing ${missing[*]}"
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The package's postinst may have started the system dovecot (where an init system runs).
# Its pid file lives in the default base_dir; the tests' own instances use temp dirs.
if [ -f /run/dovecot/master.pid ] && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
  echo "install-services: stopping the system dovecot (tests run their own instances)"
  $SUDO service dovecot stop >/dev/null 2>&1 || true
fi
