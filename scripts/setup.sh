#!/usr/bin/env bash
# What the test suite and the benchmarks need on this machine: installs it when it can (as root,
# from Debian), starts PostgreSQL and Mosquitto when they are not running, otherwise says exactly
# what is missing and exits 1. Called by scripts/test.sh and scripts/bench.sh; safe to run again.
set -euo pipefail

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$1 (Debian package $2)"); }

apt_updated=""
install_debian() {
  local pkgs=("$@")
  if [[ $(id -u) -ne 0 ]]; then
    return 1
  fi
  if [[ -z "$apt_updated" ]]; then
    echo "setup: apt-get update" >&2
    apt-get update -qq >&2 || return 1
    apt_updated=yes
  fi
  echo "setup: apt-get install ${pkgs[*]}" >&2
  # dpkg's hundreds of lines go to a log, shown only when the install fails
  local log
  log=$(mktemp)
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" > "$log" 2>&1; then
    tail -30 "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

# tool -> Debian package; installed when absent.
declare -A tools=([ogrinfo]=gdal-bin [node]=nodejs [npm]=npm [wrk]=wrk [curl]=curl)
for tool in "${!tools[@]}"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    install_debian "${tools[$tool]}" || true
  fi
done

# No fonts are installed: glyph PBFs are drawn from the Noto Sans SC fonts the build ships in the
# jar (styles/fonts-npm, from npm), so the suite tests the fonts the demo has, not the machine's.

# Chromium: the viewer's browser tests (tools/browser-test drives it with playwright-core).
if ! command -v chromium >/dev/null 2>&1; then
  install_debian chromium || true
fi

# PostGIS: the independent oracle for CQL2 (and later the second store and the tile baseline).
pg_version=15
if ! dpkg -s "postgresql-$pg_version-postgis-3" >/dev/null 2>&1; then
  install_debian "postgresql-$pg_version" "postgresql-$pg_version-postgis-3" || true
fi
dpkg -s "postgresql-$pg_version-postgis-3" >/dev/null 2>&1 || missing+=("PostGIS (Debian package postgresql-$pg_version-postgis-3)")
if command -v pg_lsclusters >/dev/null 2>&1 && ! pg_lsclusters -h 2>/dev/null | grep -q "^$pg_version main .* online"; then
  echo "setup: starting PostgreSQL $pg_version" >&2
  pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start >&2 || true
fi
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  missing+=("a PostgreSQL server on 127.0.0.1:5432 accepting user postgres (pg_ctlcluster $pg_version main start)")
fi

# Mosquitto: the MQTT broker device alarms come from (map-server's devices tests, docs/devices.md).
if ! dpkg -s mosquitto >/dev/null 2>&1; then
  install_debian mosquitto || true
fi
# mosquitto_pub: the incident screen's browser test publishes a wristband's alarm with it
if ! command -v mosquitto_pub >/dev/null 2>&1; then
  install_debian mosquitto-clients || true
fi
need mosquitto_pub mosquitto-clients
mqtt_up() { (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; }
if [[ -x /usr/sbin/mosquitto ]] && ! mqtt_up; then
  echo "setup: starting Mosquitto" >&2
  # its pid file's directory lives in /run, which a container without systemd starts without
  if [[ $(id -u) -eq 0 ]]; then mkdir -p /run/mosquitto && chown mosquitto: /run/mosquitto || true; fi
  /usr/sbin/mosquitto -d -c /etc/mosquitto/mosquitto.conf >&2 || true
  for _ in $(seq 50); do mqtt_up && break; sleep 0.1; done
fi
if ! mqtt_up; then
  missing+=("an MQTT broker on 127.0.0.1:1883 (Debian package mosquitto; mosquitto -d -c /etc/mosquitto/mosquitto.conf)")
fi

# nginx: the benchmarks' measure of a request's fixed cost and of cached tiles (scripts/bench.sh runs
# its own on a loopback port). Debian starts the packaged one on port 80 when it installs it: stopped.
if ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then
  if install_debian nginx-light; then
    /usr/sbin/nginx -s quit >/dev/null 2>&1 || true
  fi
fi
[[ -x /usr/sbin/nginx ]] || need nginx nginx-light

need java openjdk-17-jdk
need jcmd openjdk-17-jdk
need taskset util-linux
need mvn maven
need ogrinfo gdal-bin
need wrk wrk
need curl curl
need node nodejs
need npm npm
need chromium chromium
if (( ${#missing[@]} )); then
  echo "setup: cannot run the tests or benchmarks; missing: ${missing[*]}" >&2
  echo "setup: install them (apt-get install ...) or run this script as root to have it install them" >&2
  exit 1
fi

java_major=$(java -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
if (( java_major < 17 )); then
  echo "setup: Java 17 or newer is needed, found $java_major" >&2
  exit 1
fi

