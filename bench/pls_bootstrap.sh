#!/usr/bin/env bash
# The PLS-SEM bootstrap, perval against seminr in one run, alternating the tools:
#  1. the ECSI mobile-phone model of seminr's `mobi` data (7 constructs, 24 indicators, n = 250; the model of
#     seminr's documentation), 5,000 resamples: `perval pls` vs `seminr::bootstrap_model(cores = 2)`;
#  2. `perval pls` on the perval-chain reference case (6 constructs, 25 indicators, n = 465) with 5,000
#     resamples, PLSpredict (10 folds × 10 repetitions) and the IPMA: the whole command.
# Needs R with seminr: ../shared/tools/r-pls/install.sh installs it into ~/.cache/perval-r-lib. Never run in CI.
#
# usage: bash bench/pls_bootstrap.sh [RESAMPLES] [REPS]      (default 5000 resamples, 3 repetitions)
set -euo pipefail
B=${1:-5000}
REPS=${2:-3}
HERE=$(cd "$(dirname "$0")/.." && pwd)
CASE="$HERE/tests/fixtures/perval-chain"
export R_LIBS=${R_LIBS:-$HOME/.cache/perval-r-lib}
if ! Rscript -e 'library(seminr)' >/dev/null 2>&1; then
  bash "$HERE/../shared/tools/r-pls/install.sh" "$R_LIBS"
fi
cargo build --release --quiet --manifest-path "$HERE/Cargo.toml"
PERVAL=${CARGO_TARGET_DIR:-$HERE/target}/release/perval
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
Rscript -e "suppressMessages(library(seminr)); data(mobi); write.csv(mobi, '$WORK/mobi.csv', row.names = FALSE)"
cat > "$WORK/mobi.lav" <<'LAV'
Image        =~ IMAG1 + IMAG2 + IMAG3 + IMAG4 + IMAG5
Expectation  =~ CUEX1 + CUEX2 + CUEX3
Quality      =~ PERQ1 + PERQ2 + PERQ3 + PERQ4 + PERQ5 + PERQ6 + PERQ7
Value        =~ PERV1 + PERV2
Satisfaction =~ CUSA1 + CUSA2 + CUSA3
Complaints   =~ CUSCO
Loyalty      =~ CUSL1 + CUSL2 + CUSL3
Expectation  ~ Image
Quality      ~ Expectation
Value        ~ Expectation + Quality
Satisfaction ~ Image + Expectation + Quality + Value
Complaints   ~ Satisfaction
Loyalty      ~ Image + Satisfaction + Complaints
LAV
cat > "$WORK/seminr.R" <<R
suppressMessages(library(seminr))
data(mobi)
mm <- constructs(
  composite("Image",        multi_items("IMAG", 1:5)),
  composite("Expectation",  multi_items("CUEX", 1:3)),
  composite("Quality",      multi_items("PERQ", 1:7)),
  composite("Value",        multi_items("PERV", 1:2)),
  composite("Satisfaction", multi_items("CUSA", 1:3)),
  composite("Complaints",   single_item("CUSCO")),
  composite("Loyalty",      multi_items("CUSL", 1:3)))
sm <- relationships(
  paths(from = "Image",        to = c("Expectation", "Satisfaction", "Loyalty")),
  paths(from = "Expectation",  to = c("Quality", "Value", "Satisfaction")),
  paths(from = "Quality",      to = c("Value", "Satisfaction")),
  paths(from = "Value",        to = c("Satisfaction")),
  paths(from = "Satisfaction", to = c("Complaints", "Loyalty")),
  paths(from = "Complaints",   to = "Loyalty"))
pls <- estimate_pls(mobi, mm, sm)
bt <- suppressMessages(bootstrap_model(pls, nboot = $B, cores = 2, seed = 20011))
invisible(summary(bt))
R
secs() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
echo "PLS bootstrap, $B resamples, $(nproc) cores, $(date -u +%FT%TZ)"
printf "%-22s %-4s %10s\n" run rep seconds
declare -A total
for r in $(seq 1 "$REPS"); do
  for tool in perval seminr chain; do
    case $tool in
      perval) s=$(secs "$PERVAL" pls "$WORK/mobi.csv" --model "$WORK/mobi.lav" --bootstrap "$B" --seed 20011 \
                 --folds 0 --quiet --json /dev/null) ;;
      seminr) s=$(secs Rscript "$WORK/seminr.R") ;;
      chain)  s=$(secs "$PERVAL" pls "$CASE/data.csv" --instrument "$CASE/instrument.toml" \
                 --model "$CASE/value-chain.lav" --bootstrap "$B" --seed 20011 --by store --quiet --json /dev/null) ;;
    esac
    printf "%-22s %-4s %10s\n" "$tool" "$r" "$s"
    total[$tool]=$(echo "${total[$tool]:-0} + $s" | bc -l)
  done
done
p=$(echo "${total[perval]} / $REPS" | bc -l)
s=$(echo "${total[seminr]} / $REPS" | bc -l)
c=$(echo "${total[chain]} / $REPS" | bc -l)
printf "mean: mobi perval %.2f s, seminr %.2f s, seminr / perval = %.0f×; perval-chain whole command %.2f s\n" \
  "$p" "$s" "$(echo "$s / $p" | bc -l)" "$c"
