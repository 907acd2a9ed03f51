#!/usr/bin/env bash
# The bootstrap of a structural model, perval against lavaan in one run: the value chain of the perval-chain
# reference case (tests/fixtures/perval-chain, 465 complete respondents, 25 items, 62 parameters), 1,000
# resamples, alternating the tools. Installs R (Debian packages) itself. Never run in CI.
#
# usage: bash bench/sem_bootstrap.sh [RESAMPLES] [REPS]      (default 1000 resamples, 3 repetitions)
set -euo pipefail
B=${1:-1000}
REPS=${2:-3}
HERE=$(cd "$(dirname "$0")/.." && pwd)
CASE="$HERE/tests/fixtures/perval-chain"
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(lavaan)' >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq r-base-core r-cran-lavaan >/dev/null
fi
cargo build --release --quiet --manifest-path "$HERE/Cargo.toml"
PERVAL=${CARGO_TARGET_DIR:-$HERE/target}/release/perval
R_SCRIPT=$(mktemp --suffix .R)
cat > "$R_SCRIPT" <<R
suppressMessages(library(lavaan))
X <- read.csv("$CASE/data.csv")
X\$QUAL4 <- 8 - X\$QUAL4
X\$QUAL5 <- 8 - X\$QUAL5
model <- paste(readLines("$CASE/value-chain.lav"), collapse = "\n")
set.seed(20011)
f <- sem(model, data = X, se = "bootstrap", bootstrap = $B)
invisible(parameterEstimates(f, boot.ci.type = "perc"))
R
secs() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
echo "value chain, $B resamples, $(nproc) cores, $(date -u +%FT%TZ)"
printf "%-8s %-4s %10s\n" tool rep seconds
declare -A total
for r in $(seq 1 "$REPS"); do
  for tool in perval lavaan; do
    case $tool in
      perval) s=$(secs "$PERVAL" sem "$CASE/data.csv" --instrument "$CASE/instrument.toml" \
                 --model "$CASE/value-chain.lav" --bootstrap "$B" --seed 20011 --quiet --json /dev/null) ;;
      lavaan) s=$(secs Rscript "$R_SCRIPT") ;;
    esac
    printf "%-8s %-4s %10s\n" "$tool" "$r" "$s"
    total[$tool]=$(echo "${total[$tool]:-0} + $s" | bc -l)
  done
done
p=$(echo "${total[perval]} / $REPS" | bc -l)
l=$(echo "${total[lavaan]} / $REPS" | bc -l)
printf "mean: perval %.2f s, lavaan %.2f s, lavaan / perval = %.1f×\n" "$p" "$l" "$(echo "$l / $p" | bc -l)"
rm -f "$R_SCRIPT"
