#!/usr/bin/env bash
# Send benchmark: `shisa send` of a 20,000-recipient campaign (a ~10 KB personalised HTML mail)
# into Postfix's smtp-sink on this computer, at 1 and 8 connections, side by side in the same
# run with smtp-source (Postfix's load generator: the same sink, messages of the same size as
# Shisa's, nothing built per recipient) and the Python `mailmerge` tool sending the same
# recipients the same mail. Then one run of Shisa sending 100,000 recipients at 8 connections,
# for peak memory.
#
#   bash benches/send/run.sh            # everything (a few minutes on 2 cores)
#   bash benches/send/run.sh --quick    # without the 100,000-recipient row
#
# Environment: RUNS (runs per 20,000-message row, default 3; the median is shown), COUNT
# (default 20000), LARGE_COUNT (default 100000), CONNECTIONS (default "1 8"), LIMIT (seconds
# one timed command may take, default 600: past it the row shows what was delivered by then);
# KEEP=1 keeps the temporary folder (data, each command's last output, the sink's log).
#
# Installs what is missing: Debian's postfix (for /usr/sbin/smtp-sink and smtp-source, with
# "No configuration", so nothing becomes the system's mail server) and time; `mailmerge` from
# PyPI into target/bench-venv. Prints a Markdown table on stdout (Messages: as counted by the
# sink), progress on stderr. A row whose command fails shows "failed", with the command's error
# on stderr; the others go on.
set -euo pipefail
cd "$(dirname "$0")/../.."

quick=0
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    -h | --help) sed -n '2,/^set /s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done
runs=${RUNS:-3}
count=${COUNT:-20000}
large_count=${LARGE_COUNT:-100000}
connections=${CONNECTIONS:-1 8}
limit=${LIMIT:-600}

say() { echo "[send bench] $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- What is missing -------------------------------------------------------------------------
missing=()
[ -x /usr/sbin/smtp-sink ] && [ -x /usr/sbin/smtp-source ] || missing+=(postfix)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" > /dev/null
fi
venv=target/bench-venv
if [ ! -x "$venv/bin/mailmerge" ]; then
  say "installing mailmerge into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check mailmerge
fi
work=$(mktemp -d)
sink_pid=
cleanup() {
  if [ -n "$sink_pid" ]; then
    kill "$sink_pid" 2> /dev/null || true
    wait "$sink_pid" 2> /dev/null || true
  fi
  if [ -n "${KEEP:-}" ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "building the release CLI"
shisa=$PWD/target/release/shisa
if ! cargo build --release --quiet --bin shisa 2> "$work/build.err"; then
  # The baselines are still measured; an older binary left in target/ is not used.
  say "cargo build --release --bin shisa failed; the Shisa rows will show \"failed\":"
  head -n 40 "$work/build.err" | sed 's/^/    /' >&2
  shisa=
fi

# --- The sink --------------------------------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# smtp-sink refuses to run as root without -u (it drops to that user once the socket is open).
# No -n: it takes any number of sessions; -m raises the simultaneous connections it serves
# (default 256). -c keeps running counters on stdout, read below to check what arrived.
sink_args=(-c -m 1000)
[ "$(id -u)" -eq 0 ] && sink_args+=(-u nobody)
/usr/sbin/smtp-sink "${sink_args[@]}" "127.0.0.1:$port" 1000 > "$work/sink.log" 2>&1 &
sink_pid=$!
for _ in $(seq 50); do
  if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then break; fi
  sleep 0.1
done
if ! kill -0 "$sink_pid" 2> /dev/null; then
  say "smtp-sink did not start:"; cat "$work/sink.log" >&2; exit 1
fi
say "smtp-sink on 127.0.0.1:$port"

# --- The data --------------------------------------------------------------------------------
python3 - "$work" "$count" "$([ $quick = 1 ] && echo 0 || echo "$large_count")" << 'EOF'
import csv, os, sys

work, count, large = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
family = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
given = ["太郎", "花子", "一郎", "美咲", "健太", "由美", "翔", "さくら", "大輔", "陽子", "誠"]

def contacts(path, n):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["email", "氏名", "会社名"])
        for i in range(1, n + 1):
            name = f"{family[i % len(family)]} {given[i % len(given)]}"
            w.writerow([f"user{i:05d}@example.jp", name, f"株式会社サンプル{i % 997:03d}"])

contacts(os.path.join(work, "contacts.csv"), count)
if large:
    contacts(os.path.join(work, "contacts-large.csv"), large)

# About 10 KB: a greeting with both merge fields, then paragraphs of ordinary office prose.
paragraph = (
    "<p style=\"margin:0 0 12px;line-height:1.7\">平素より格別のお引き立てを賜り、誠にありがとうございます。"
    "このたび弊社では、新しいサービスの提供を開始いたしました。詳細につきましては下記をご覧ください。"
    "ご不明な点がございましたら、お気軽に担当までお問い合わせください。</p>\n"
)
head = (
    "<div style=\"font-family:sans-serif;color:#333\">\n"
    "<p>{{会社名}}<br>{{氏名}} 様</p>\n"
    "<h2 style=\"color:#1a5490\">新サービスのご案内</h2>\n"
)
tail = (
    "<p>{{氏名}} 様のご活躍を心よりお祈り申し上げます。</p>\n"
    "<p><a href=\"https://example.jp/service\">サービスの詳細はこちら</a></p>\n</div>\n"
)
body = head
# About 3 KB of Japanese HTML: with its plain-text part, both base64-encoded, Shisa's message
# is about 10 KB on the wire.
while len((body + paragraph + tail).encode()) <= 3072:
    body += paragraph
body += tail
with open(os.path.join(work, "body.html"), "w", encoding="utf-8") as f:
    f.write(body)

# mailmerge: the same recipients, the same subject and body (its Jinja reads {{氏名}} as-is).
mm = os.path.join(work, "mailmerge")
os.makedirs(mm)
with open(os.path.join(mm, "mailmerge_template.txt"), "w", encoding="utf-8") as f:
    f.write(
        "TO: {{email}}\nSUBJECT: {{氏名}} 様へのご案内\nFROM: bench@example.jp\n"
        "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" + body
    )
os.link(os.path.join(work, "contacts.csv"), os.path.join(mm, "mailmerge_database.csv"))
EOF
cat > "$work/mailmerge/mailmerge_server.conf" << EOF
[smtp_server]
host = 127.0.0.1
port = $port
security = Never
ratelimit = 0
EOF
say "$count contacts, body.html $(wc -c < "$work/body.html") bytes, in $work"

# --- Measuring -------------------------------------------------------------------------------
# The sink's message counter: the last "mesg=N" of its -c output ("sess=N quit=N mesg=N\r").
sink_messages() {
  local m
  m=$(tr '\r' '\n' < "$work/sink.log" | sed -n 's/.*mesg=\([0-9]*\).*/\1/p' | tail -n 1)
  echo "${m:-0}"
}

# timed NAME CMD...: runs CMD under /usr/bin/time and `timeout $limit`, with stdout and stderr
# in $work/NAME.out and .err, and prints "wall_seconds peak_mb delivered", delivered counted at
# the sink. On failure prints the command's error to stderr and returns 1; on time-out prints
# the same line (seconds = the limit) and returns 2.
timed() {
  local name=$1 t0 t1 before after status=0
  shift
  if ! kill -0 "$sink_pid" 2> /dev/null; then
    say "smtp-sink has stopped:"; tail -c 2000 "$work/sink.log" | tr "\r" "\n" | tail -n 5 >&2; exit 1
  fi
  before=$(sink_messages)
  t0=$(date +%s%N)
  /usr/bin/time -f %M -o "$work/rss" timeout "$limit" "$@" < /dev/null > "$work/$name.out" 2> "$work/$name.err" ||
    status=$?
  t1=$(date +%s%N)
  sleep 0.2 # let the sink write its last counter
  after=$(sink_messages)
  if [ $status -ne 0 ] && [ $status -ne 124 ]; then
    say "$name failed (exit $status): $*"
    head -n 20 "$work/$name.err" | sed 's/^/    /' >&2
    return 1
  fi
  tail -n 1 "$work/rss" | awk -v ns=$((t1 - t0)) -v n=$((after - before)) \
    '{ printf "%.3f %.0f %d\n", ns / 1e9, $1 / 1024, n }'
  if [ $status -eq 124 ]; then
    say "$name stopped after ${limit}s (LIMIT), $((after - before)) messages delivered by then"
    return 2
  fi
}

# step NAME CMD...: a step that is not timed; its stdout stays in $work/NAME.out.
step() {
  local name=$1
  shift
  if ! "$@" < /dev/null > "$work/$name.out" 2> "$work/$name.err"; then
    say "$name failed: $*"
    head -n 20 "$work/$name.err" | sed 's/^/    /' >&2
    return 1
  fi
}

# One Shisa run on a fresh database: import, campaign, review, account; only the send is timed.
shisa_run() {
  local n=$1 csv=$2 dir db digest
  [ -n "$shisa" ] || { say "no release build of shisa"; return 1; }
  dir=$(mktemp -d "$work/shisa.XXXX")
  db=$dir/shisa.sqlite3
  step shisa-import "$shisa" --db "$db" import "$csv" --list bench || return 1
  step shisa-campaign "$shisa" --db "$db" campaign new --list bench \
    --subject '{{氏名}} 様へのご案内' --html "$work/body.html" --from bench@example.jp || return 1
  step shisa-review "$shisa" --db "$db" --json review 1 || return 1
  digest=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["digest"])' \
    < "$work/shisa-review.out") || { say "no digest in shisa review --json"; return 1; }
  step shisa-account "$shisa" --db "$db" account add sink \
    --smtp "smtp+insecure://127.0.0.1:$port" --connections "$n" || return 1
  timed shisa-send "$shisa" --db "$db" --json send 1 --confirm "$digest" --account sink ||
    return $?
  # What Shisa recorded, beside what the sink counted.
  python3 - "$work/shisa-send.out" << 'EOF' || true
import json, sys
r = json.load(open(sys.argv[1]))
if r["sent"] != r["total"]:
    print("[send bench] shisa send recorded {sent} of {total} sent, {failed} failed, "
          "{deferred} deferred, {unknown} unknown".format(**r), file=sys.stderr)
EOF
  rm -rf "$dir"
}

# row WHAT CONNECTIONS RUNS CMD...: runs CMD RUNS times and adds the median run (by seconds)
# to $work/table. A failed run makes the row "failed"; a run stopped at LIMIT shows what was
# delivered by then. Either way the row's remaining runs are skipped.
row() {
  local what=$1 conns=$2 n=$3 status
  shift 3
  say "$what — connections: $conns, runs: $n"
  : > "$work/results"
  for _ in $(seq "$n"); do
    status=0
    "$@" >> "$work/results" || status=$?
    if [ $status -eq 1 ]; then
      echo "| $what | $conns | failed | | | |" >> "$work/table"
      return 0
    elif [ $status -ne 0 ]; then
      tail -n 1 "$work/results" | awk -v what="$what" -v conns="$conns" '{
        printf "| %s | %s | %d (stopped at the limit) | %.0f | %.0f | %d |\n", what, conns, $3, $1, $3 / $1, $2
      }' >> "$work/table"
      return 0
    fi
  done
  sort -n "$work/results" | awk -v what="$what" -v conns="$conns" '{ r[NR] = $0 } END {
    split(r[int((NR + 1) / 2)], f, " ")
    printf "| %s | %s | %d | %.2f | %.0f | %d |\n", what, conns, f[3], f[1], f[3] / f[1], f[2]
  }' >> "$work/table"
}

: > "$work/table"
# smtp-source sends messages of exactly the size of Shisa's (the first recipient's, as sent).
size=10240
if [ -n "$shisa" ]; then
  sample=$(mktemp -d "$work/sample.XXXX")
  head -n 2 "$work/contacts.csv" > "$sample/one.csv"
  if "$shisa" --db "$sample/s.sqlite3" import "$sample/one.csv" --list one > /dev/null &&
    "$shisa" --db "$sample/s.sqlite3" campaign new --list one --subject '{{氏名}} 様へのご案内' \
      --html "$work/body.html" --from bench@example.jp > /dev/null &&
    "$shisa" --db "$sample/s.sqlite3" preview 1 --to "$(tail -n 1 "$sample/one.csv" | cut -d, -f1)" \
      --eml "$sample/one.eml"; then
    size=$(wc -c < "$sample/one.eml")
  fi
fi
say "messages of $size bytes"
for n in $connections; do
  row "smtp-source -d (Postfix's load generator)" "$n" "$runs" \
    timed smtp-source /usr/sbin/smtp-source -d -s "$n" -m "$count" -l "$size" "127.0.0.1:$port"
done
for n in $connections; do
  row "shisa send" "$n" "$runs" shisa_run "$n" "$work/contacts.csv"
done
row "mailmerge $("$venv/bin/mailmerge" --version | awk '{ print $NF }') (Python)" \
  "1, new per message" "$runs" \
  timed mailmerge "$venv/bin/mailmerge" --no-dry-run --no-limit --output-format raw \
  --template "$work/mailmerge/mailmerge_template.txt" \
  --database "$work/mailmerge/mailmerge_database.csv" \
  --config "$work/mailmerge/mailmerge_server.conf"
if [ $quick = 0 ]; then
  row "shisa send, $large_count recipients (target ≤ 200 MB)" 8 1 \
    shisa_run 8 "$work/contacts-large.csv"
fi

echo "| What | Connections | Messages | Seconds | Msg/s | Peak MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
cat "$work/table"
