#!/usr/bin/env bash
# The CowGuard demo:
#   1. packs CowGuard (runtime + analyzers + fixes) into artifacts/feed,
#   2. builds samples/DmaDriver against that package, the way a user's project would, and shows the diagnostics,
#   3. runs the sample (the model at work), then replays the kernel's COW reproducers under every era (the matrix).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

banner() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

banner "Packing CowGuard into artifacts/feed"
rm -rf artifacts/feed artifacts/sample-packages
dotnet pack Package/CowGuard.Package.csproj -o artifacts/feed -nologo -v:q

banner "Building samples/DmaDriver against the package (from clean: the analyzer runs on every build)"
dotnet build samples/DmaDriver/DmaDriver.csproj --no-incremental -nologo -v:q -clp:NoSummary

banner "Running samples/DmaDriver"
dotnet run --project samples/DmaDriver/DmaDriver.csproj --no-build

banner "The kernel's COW reproducers on base pages under every era (the full catalogue: cowguard matrix without --filter)"
dotnet run --project Cli/CowGuard.Cli.csproj -v:q -- matrix --filter "base page"
