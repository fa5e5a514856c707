#!/usr/bin/env bash
# CowGuard benchmarks (issue 8; figures and method in docs/performance.md).
#
#   bash bench.sh --quick   CI smoke (~2 min): small corpora and page counts, every assertion still checked
#   bash bench.sh --full    the figures of docs/performance.md (tens of minutes; run on an otherwise idle machine)
#
# Options: --out DIR (results; default /tmp/cowguard-bench-<mode>), --artifacts DIR (build output; default
# /tmp/cg-bench, so benchmark builds never write into the repository's bin/obj folders).
# Every step runs even when an earlier one fails; the script exits non-zero if any step failed. A missed performance
# target is reported in the results, not as a failure: failures are broken assertions (wrong diagnostic counts,
# a corpus that does not compile, the model running out of its 2 GiB heap) and broken tools.
set -uo pipefail

mode=""
out=""
artifacts="/tmp/cg-bench"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --out) out="${2:?--out needs a directory}"; shift ;;
    --artifacts) artifacts="${2:?--artifacts needs a directory}"; shift ;;
    *) echo "bench.sh: unknown argument '$1' (use --quick or --full)" >&2; exit 2 ;;
  esac
  shift
done
if [[ -z "$mode" ]]; then
  echo "usage: bash bench.sh --quick|--full [--out DIR] [--artifacts DIR]" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${out:-/tmp/cowguard-bench-$mode}"
mkdir -p "$out"
started=$(date +%s)

echo "== build (Release, artifacts in $artifacts)"
if ! dotnet build "$root/Benchmarks/CowGuard.Benchmarks.csproj" -c Release --artifacts-path "$artifacts" -v:q -nologo; then
  echo "bench.sh: the benchmark project does not build" >&2
  exit 1
fi
harness="$artifacts/bin/CowGuard.Benchmarks/release/CowGuard.Benchmarks.dll"
# The scenario catalogue is benchmarked through the public `cowguard matrix` command.
cli="$artifacts/bin/CowGuard.Cli/release/cowguard.dll"
if ! dotnet build "$root/Cli/CowGuard.Cli.csproj" -c Release --artifacts-path "$artifacts" -v:q -nologo; then
  echo "bench.sh: the command-line tool does not build; the catalogue step will fail" >&2
fi

# The analyzers as a user's compiler loads them on this machine: the package's ReadyToRun copy where the SDK runs on
# linux-x64 (Package/build/CowGuard.props picks it there), the IL build anywhere else.
analyzer=()
if dotnet msbuild "$root/Analyzers/CowGuard.Analyzers.csproj" -restore -t:CowGuardReadyToRun -p:Configuration=Release \
     -p:ArtifactsPath="$artifacts" -p:UseArtifactsOutput=true -v:q -nologo; then
  r2r="$artifacts/obj/CowGuard.Analyzers/release/readytorun/linux-x64/CowGuard.Analyzers.dll"
  if [[ -f "$r2r" ]]; then analyzer=(--analyzer "$r2r"); fi
fi
echo "== csc steps measure CowGuard from: ${analyzer[1]:-the IL build (no ReadyToRun copy on this machine)}"

failed=()
step() {
  local name="$1"; shift
  echo "== $name"
  if ! (cd "$out" && "$@"); then
    failed+=("$name")
  fi
}

if [[ "$mode" == quick ]]; then
  step "analyzer overhead"     dotnet "$harness" analyzer --lines 2000,10000 --repetitions 1 --out "$out"
  step "dotnet build report"   dotnet "$harness" build-report --lines 5000 --out "$out"
  step "compiler CPU (csc)"    dotnet "$harness" compiler-cpu "${analyzer[@]}" --lines 2000 --pairs 1 --perf true --out "$out"
  step "compiler CPU (csc), plain+ref"  dotnet "$harness" compiler-cpu "${analyzer[@]}" --lines 2000 --profile plain+ref --pairs 1 --perf true --out "$out"
  step "model vs kernel"       dotnet "$harness" model --pages 256 --mode quick --out "$out"
  step "scenario catalogue"    dotnet "$harness" catalogue --cli "$cli" --repetitions 1 --out "$out"
  step "random operations"     dotnet "$harness" random-ops --ops 300000 --out "$out"
  step "scale (1 GiB, 2 GiB heap limit)" env DOTNET_GCHeapHardLimit=0x80000000 dotnet "$harness" scale --pages 262144 --out "$out"
else
  step "analyzer overhead"     dotnet "$harness" analyzer --lines 20000,200000,1000000 --repetitions 3 --out "$out"
  step "dotnet build report"   dotnet "$harness" build-report --lines 200000 --out "$out"
  step "compiler CPU (csc), 100 lines"   dotnet "$harness" compiler-cpu "${analyzer[@]}" --lines 100 --pairs 8 --perf true --out "$out"
  step "compiler CPU (csc), no VmModel"  dotnet "$harness" compiler-cpu "${analyzer[@]}" --lines 20000 --profile plain --pairs 5 --out "$out"
  step "compiler CPU (csc), 20k lines"   dotnet "$harness" compiler-cpu "${analyzer[@]}" --lines 20000 --pairs 5 --perf true --out "$out"
  step "compiler CPU (csc), serial"      dotnet "$harness" compiler-cpu "${analyzer[@]}" --lines 20000 --pairs 4 --parallel false --out "$out"
  step "compiler CPU (csc), 200k lines"  dotnet "$harness" compiler-cpu "${analyzer[@]}" --lines 200000 --pairs 3 --perf true --out "$out"
  step "compiler CPU (csc), 200k lines, no-op baseline in both"  dotnet "$harness" compiler-cpu "${analyzer[@]}" --lines 200000 --pairs 3 --baseline no-op --out "$out"
  step "compiler CPU (csc), 200k lines, no /reportanalyzer"  dotnet "$harness" compiler-cpu "${analyzer[@]}" --lines 200000 --pairs 3 --reportanalyzer false --out "$out"
  step "model vs kernel"       dotnet "$harness" model --pages 1024,8192,65536 --mode full --out "$out"
  step "scenario catalogue"    dotnet "$harness" catalogue --cli "$cli" --repetitions 3 --out "$out"
  step "random operations"     dotnet "$harness" random-ops --ops 5000000 --out "$out"
  step "random operations, steady state"  dotnet "$harness" random-ops --ops 5000000 --warmup 5000000 --out "$out"
  step "scale (16 GiB, 2 GiB heap limit)" env DOTNET_GCHeapHardLimit=0x80000000 dotnet "$harness" scale --pages 4194304 --out "$out"
fi

echo "== results in $out ($(( $(date +%s) - started )) s, load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
if [[ ${#failed[@]} -gt 0 ]]; then
  printf 'bench.sh: failed step: %s\n' "${failed[@]}" >&2
  exit 1
fi
