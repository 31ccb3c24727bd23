#!/usr/bin/env bash
# Kill -9 one instance in the middle of a 150-voter burst, N times, on the local cluster (deploy/local-cluster.sh), and
# check after each run, in PostgreSQL: every acknowledged ballot stored exactly once, no member twice, every voter
# answered (reconnecting to the survivor), and the closed vote's counts equal the stored ballots.
#   tools/faults/run.sh [runs=20]        (the cluster is started if it is not running; left running afterwards)
#   FAULT_DB=sqlite tools/faults/run.sh  the same against ONE instance on a SQLite file (nginx in front, no Redis): the
#                                        instance is killed and started again at once; voters retry until it is back.
#                                        Start it with: CLUSTER_DB=sqlite CLUSTER_APP_PORTS=5101 deploy/local-cluster.sh up
#   FAULT_KILL_WINDOW_MS=300            the kill moment is drawn from 0 to this many ms after the casts start (default 1000;
#                                        on an idle machine a burst is over in 0.2-0.5 s, so most kills of the default
#                                        window come after it).
# Needs `npm ci` in tools/loadtest. Writes one line per run to tools/faults/results.txt (and stdout).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-20}
voters=${FAULT_VOTERS:-150}
url="http://127.0.0.1:${CLUSTER_PORT:-8088}"
pg_port=${CLUSTER_PG_PORT:-55433}
cluster="$root/deploy/local-cluster.sh"
results="$root/tools/faults/results.txt"
mode=${FAULT_DB:-postgresql}
if [ "$mode" = sqlite ]; then
  export CLUSTER_DB=sqlite CLUSTER_APP_PORTS=${CLUSTER_APP_PORTS:-5101}
  sql() { sqlite3 -separator ' ' "${CLUSTER_DIR:-/tmp/deliberation-cluster}/deliberation.db" "$1"; }
else
  sql() { runuser -u postgres -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d deliberation -tAq -F ' ' -c "$1"; }
fi

# 150 sign-ins and connections from one address each run: the limits meant for one household are lifted.
export CLUSTER_APP_SETTINGS="${CLUSTER_APP_SETTINGS:-RateLimits__SignInPerAddress=100000 RateLimits__HubConnectionsPerUser=100000}"
curl -fsS -o /dev/null "$url/health/ready" 2>/dev/null || "$cluster" up >/dev/null || { echo "cluster did not start"; exit 2; }
echo "# $(date -u +%FT%TZ) $mode: $runs runs, $voters voters, kill within ${FAULT_KILL_WINDOW_MS:-1000} ms, commit $(git -C "$root" rev-parse --short HEAD)" | tee -a "$results"
passed=0
for run in $(seq "$runs"); do
  victim=$((RANDOM % 2 + 1))
  kill_command="$cluster kill $victim"
  if [ "$mode" = sqlite ]; then
    # The only instance: killed, then started again in the background while the voters keep retrying.
    victim=1
    kill_command="$cluster kill 1; ($cluster start 1 >/dev/null 2>&1 &)"
  fi
  kill_after=$((RANDOM % ${FAULT_KILL_WINDOW_MS:-1000}))
  # The chair's part through the UI (a restarted instance compiles its pages first: up to three tries).
  setup=""
  for _ in 1 2 3; do
    setup=$(node "$root/tools/loadtest/setup.mjs" --url "$url" --title "故障测试 $run $(date +%s)" 2>/dev/null) && break
    setup=""
  done
  [ -n "$setup" ] || { echo "run $run: setup failed" | tee -a "$results"; continue; }
  session=$(echo "$setup" | sed -E 's/.*"sessionId":([0-9]+).*/\1/')
  poll=$(echo "$setup" | sed -E 's/.*"pollId":([0-9]+).*/\1/')
  burst=$(node "$root/tools/faults/burst.mjs" --url "$url" --session "$session" --poll "$poll" --voters "$voters" \
    --kill-after "$kill_after" --kill-command "$kill_command" --answer-timeout 180)
  for _ in $(seq 240); do curl -fsS -o /dev/null "$url/health/ready" 2>/dev/null && break; sleep 0.5; done
  node "$root/tools/faults/close.mjs" --url "$url" --session "$session" >/dev/null || echo "run $run: close failed"
  "$cluster" start "$victim" >/dev/null 2>&1

  summary=$(node -e '
    const b = JSON.parse(process.argv[1]);
    const yes = b.answers.filter(a => ["Accepted","Replayed"].includes(a[2]));
    const counts = [0,1,2].map(c => yes.filter(a => a[1] === c).length);
    console.log([b.acknowledged, b.voters, b.reconnected, b.killedAtMs, b.lastAnswerMs, counts.join(","), yes.map(a => a[0]).join(","), JSON.stringify(b.outcomes)].join(" "));
  ' "$burst")
  read -r acked total reconnected killed_at last counts acked_names outcomes <<< "$summary"
  # What the database holds: ballots, distinct members, acknowledged voters without a ballot, stored counts, outcome.
  read -r stored distinct <<< "$(sql "SELECT count(*), count(DISTINCT \"MembershipId\") FROM \"Ballots\" WHERE \"PollId\" = $poll")"
  names_in="'$(echo "$acked_names" | sed "s/,/','/g")'"
  found=$(sql "SELECT count(DISTINCT u.\"UserName\") FROM \"Participations\" p JOIN \"AspNetUsers\" u ON u.\"Id\" = p.\"CastByUserId\"
               WHERE p.\"PollId\" = $poll AND u.\"UserName\" IN ($names_in)")
  missing=$((acked - found))
  if [ "$mode" = sqlite ]; then
    stored_counts=$(sql "SELECT group_concat(v, ',') FROM (SELECT \"Votes\" AS v FROM \"PollOptions\" WHERE \"PollId\" = $poll ORDER BY \"Index\")")
  else
    stored_counts=$(sql "SELECT string_agg(\"Votes\"::text, ',' ORDER BY \"Index\") FROM \"PollOptions\" WHERE \"PollId\" = $poll")
  fi
  read -r status ballot_count <<< "$(sql "SELECT \"Status\", \"BallotCount\" FROM \"Polls\" WHERE \"Id\" = $poll")"
  ok=yes
  [ "$acked" = "$total" ] || ok=no          # every voter got an answer that says its ballot is stored
  [ "$stored" = "$acked" ] || ok=no         # exactly the acknowledged ballots are stored
  [ "$distinct" = "$stored" ] || ok=no      # nobody twice
  [ "$missing" = 0 ] || ok=no               # each acknowledged voter has its participation
  [ "$stored_counts" = "$counts" ] || ok=no # the closed vote counts what the voters chose
  [ "$ballot_count" = "$stored" ] || ok=no
  [ "$status" != "Open" ] || ok=no
  [ $ok = yes ] && passed=$((passed + 1))
  echo "$mode run $run: $ok | killed instance $victim at ${killed_at} ms | answered $acked/$total (${outcomes}), $reconnected reconnected, last answer ${last} ms | stored $stored (distinct members $distinct, acknowledged but missing $missing) | counts voters $counts, stored $stored_counts | poll $status" | tee -a "$results"
done
echo "# $passed of $runs runs correct" | tee -a "$results"
[ "$passed" = "$runs" ]
