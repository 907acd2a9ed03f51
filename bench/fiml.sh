#!/usr/bin/env bash
# FIML CFA on a large incomplete file, perval against lavaan in one run: `perval simulate --n ROWS
# --missing-rate 0.01`, then `perval cfa FILE --missing fiml` and lavaan's `cfa(model, data, missing = "ml")`
# (four factors, marker identification), alternating. Installs R (Debian packages) itself. Never run in CI.
#
# usage: bash bench/fiml.sh [ROWS] [REPS]      (default 1000000 rows, 1 repetition)
set -euo pipefail
ROWS=${1:-1000000}
REPS=${2:-1}
HERE=$(cd "$(dirname "$0")/.." && pwd)
DATA=${DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/perval-bench}
mkdir -p "$DATA"
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(lavaan); library(data.table)' >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq r-base-core r-cran-lavaan r-cran-data.table >/dev/null
fi
cargo build --release --quiet --manifest-path "$HERE/Cargo.toml"
PERVAL=${CARGO_TARGET_DIR:-$HERE/target}/release/perval
F="$DATA/fiml-$ROWS.csv"
[ -f "$F" ] || "$PERVAL" simulate --n "$ROWS" --groups 5 --seed 20011 --missing-rate 0.01 -o "$F"
R_SCRIPT=$(mktemp --suffix .R)
cat > "$R_SCRIPT" <<R
suppressMessages({ library(lavaan); library(data.table) })
X <- as.data.frame(fread("$F"))
X\$QUAL4 <- 8 - X\$QUAL4
X\$QUAL5 <- 8 - X\$QUAL5
m <- "functional =~ QUAL1 + QUAL2 + QUAL3 + QUAL4 + QUAL5 + QUAL6
      emotional =~ EMO1 + EMO2 + EMO3 + EMO4 + EMO5
      price =~ PRICE1 + PRICE2 + PRICE3 + PRICE4
      social =~ SOC1 + SOC2 + SOC3 + SOC4"
f <- cfa(m, data = X, missing = "ml")
cat(fitMeasures(f, "chisq"), "\n")
R
secs() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
echo "file: $F ($(du -h "$F" | cut -f1)), $(nproc) cores, $(date -u +%FT%TZ)"
printf "%-8s %-4s %10s %12s\n" tool rep seconds "peak MiB"
for r in $(seq 1 "$REPS"); do
  read -r s m < <(secs "$PERVAL" cfa "$F" --missing fiml --quiet --json /dev/null)
  printf "%-8s %-4s %10s %12d\n" perval "$r" "$s" "$((m / 1024))"
  read -r s m < <(secs Rscript "$R_SCRIPT")
  printf "%-8s %-4s %10s %12d\n" lavaan "$r" "$s" "$((m / 1024))"
done
rm -f "$R_SCRIPT"
