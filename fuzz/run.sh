#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with AFL++ and SharpFuzz (docs/robustness.md).
# usage: fuzz/run.sh TARGET [SECONDS]   targets: handshake frames message trigger signature config dotenv
# Findings go to /tmp/soketi-fuzz/TARGET/findings; a crash there is an input that broke a rule of
# the target (fuzz/SoketiOrleans.Fuzz/FuzzTargets.cs): add it to fuzz/corpus/TARGET once fixed.
set -euo pipefail
target=${1:?usage: fuzz/run.sh TARGET [SECONDS]}
seconds=${2:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
work=/tmp/soketi-fuzz/$target

command -v afl-fuzz >/dev/null || apt-get install -y afl++
command -v sharpfuzz >/dev/null || export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || dotnet tool install -g SharpFuzz.CommandLine --version 2.3.0

rm -rf "$work" && mkdir -p "$work"
dotnet publish "$root/fuzz/SoketiOrleans.Fuzz" -c Release -o "$work/bin" --nologo -v quiet
# Only this server's assemblies are instrumented: coverage is measured where its parsers are.
for assembly in SoketiOrleans.Grains.Abstractions.dll SoketiOrleans.Gateway.dll SoketiOrleans.Silo.dll; do
  sharpfuzz "$work/bin/$assembly"
done

# SharpFuzz speaks AFL's classic fork-server protocol with a 64 KiB map; the .NET runtime is
# neither an AFL-instrumented binary nor fork-safe, so AFL's checks of both are skipped.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_MAP_SIZE=65536
export DOTNET_TieredCompilation=0
afl-fuzz -V "$seconds" -t 5000 -m none -x "$root/fuzz/pusher.dict" -i "$root/fuzz/corpus/$target" -o "$work/findings" -- dotnet "$work/bin/SoketiOrleans.Fuzz.dll" "$target"
stats=$work/findings/default/fuzzer_stats
grep -E '^(execs_done|execs_per_sec|corpus_count|bitmap_cvg|saved_crashes|saved_hangs) ' "$stats"
crashes=$(awk '$1 == "saved_crashes" { print $3 }' "$stats")
[ "$crashes" = 0 ] || { echo "crashes in $work/findings/default/crashes"; exit 1; }
