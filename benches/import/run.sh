#!/usr/bin/env bash
# Import benchmark: `shisa import` of a 100,000-row workbook and a 1,000,000-row CSV, each
# side by side with pandas (read_excel/read_csv + to_sql) on the same file in the same run.
# Prints a Markdown table with wall time and peak memory (max RSS), the median of RUNS runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin shisa --example bench_files
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pandas openpyxl
./target/release/examples/bench_files "$work" "${XLSX_ROWS:-100000}" "${CSV_ROWS:-1000000}"

# Runs a command under /usr/bin/time into an empty database, RUNS times (default 3); prints
# the median run's "seconds max_rss_mb".
measure() {
  for _ in $(seq "${RUNS:-3}"); do
    rm -f "$work/shisa.db"* "$work/pandas.db"
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null
    awk '{ printf "%.2f %.0f\n", $1, $2 / 1024 }' "$work/time"
  done | sort -n | awk '{ runs[NR] = $0 } END { print runs[int((NR + 1) / 2)] }'
}

echo "| file | tool | seconds | peak MB |"
echo "| --- | --- | ---: | ---: |"
for file in contacts.xlsx contacts.csv; do
  read -r s m < <(measure ./target/release/shisa --db "$work/shisa.db" import "$work/$file" --list bench)
  echo "| $file | shisa import | $s | $m |"
  read -r s m < <(measure "$work/venv/bin/python" benches/import/baseline.py "$work/$file" "$work/pandas.db")
  echo "| $file | pandas + to_sql | $s | $m |"
done
