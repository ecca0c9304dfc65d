#!/usr/bin/env bash
# Builds the robot statically linked in release mode and wraps it in a wheel of maintenance-robot for this
# machine's platform (x86_64 here, aarch64 on an arm64 machine), as the deploy image's build stage does too.
#
#   python/build-wheel.sh [OUT_DIR]      # default OUT_DIR: python/dist; prints the wheel's path
#
# Needs Swift 6, python3 and readelf (binutils). The build goes to .build-static, which bench/run.sh shares.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/python/dist}
build=(swift build -c release --static-swift-stdlib --product robot --scratch-path "$root/.build-static")

cd "$root"
"${build[@]}" >&2
robot="$("${build[@]}" --show-bin-path)/robot"
version=$(sed -n 's/^ *public static let version = "\(.*\)"$/\1/p' Sources/MaintenanceRobot/Runner/Robot.swift)
exec python3 "$root/python/make_wheel.py" --robot "$robot" --version "$version" --out "$out"
