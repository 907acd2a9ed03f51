#!/usr/bin/env bash
# perval against the R and Python pipelines of ../shared/bench on the same simulated file, in one run,
# alternating the tools. Installs R (Debian packages) and the Python packages itself. Never run in CI.
#
# usage: bash bench/compare.sh [ROWS] [REPS]      (default 1000000 rows, 3 repetitions)
set -euo pipefail
ROWS=${1:-1000000}
REPS=${2:-3}
HERE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$HERE/../shared/bench}
DATA=${DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/perval-bench}
mkdir -p "$DATA"

if ! command -v Rscript >/dev/null || ! Rscript -e 'library(data.table); library(lavaan); library(psych)' >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq r-base-core r-cran-psych r-cran-lavaan r-cran-gparotation r-cran-data.table >/dev/null
fi
python3 -c 'import pandas, polars, pingouin, factor_analyzer, semopy, scipy' 2>/dev/null || pip install -q pandas polars pingouin factor_analyzer semopy scipy

cargo build --release --quiet --manifest-path "$HERE/Cargo.toml"
PERVAL=${CARGO_TARGET_DIR:-$HERE/target}/release/perval
F="$DATA/perval-sim-$ROWS.csv"
[ -f "$F" ] || "$PERVAL" simulate --n "$ROWS" --groups 5 --seed 20011 -o "$F"
cat "$F" > /dev/null   # warm the page cache

secs() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
echo "file: $F ($(du -h "$F" | cut -f1)), $(nproc) cores, $(date -u +%FT%TZ)"
printf "%-8s %-4s %10s %12s\n" tool rep seconds "peak MiB"
declare -A total
for r in $(seq 1 "$REPS"); do
  for tool in perval R python; do
    case $tool in
      perval) out=$(secs "$PERVAL" analyze "$F" --by store --json "$DATA/perval.json" --quiet) ;;
      R) out=$(secs Rscript "$SHARED/anchor.R" "$F" --no-alt-read) ;;
      python) out=$(secs python3 "$SHARED/anchor.py" "$F" --no-alt-read) ;;
    esac
    s=${out% *}; kb=${out#* }
    printf "%-8s %-4s %10s %12d\n" "$tool" "$r" "$s" $((kb / 1024))
    total[$tool]=$(echo "${total[$tool]:-0} + $s" | bc -l)
  done
done
p=$(echo "${total[perval]} / $REPS" | bc -l); R=$(echo "${total[R]} / $REPS" | bc -l); py=$(echo "${total[python]} / $REPS" | bc -l)
printf "mean seconds: perval %.2f, R %.2f, Python %.2f\n" "$p" "$R" "$py"
printf "ratios: R / perval = %.1fx, Python / perval = %.1fx\n" "$(echo "$R / $p" | bc -l)" "$(echo "$py / $p" | bc -l)"
