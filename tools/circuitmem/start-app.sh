#!/usr/bin/env bash
# Starts the Release build of the app in Production on a fresh SQLite file with the demo data, as tools/loadtest does,
# on 127.0.0.1:${PORT:-5099}; prints its process id. Data and log in ${DATA:-/tmp/circuitmem}.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
data="${DATA:-/tmp/circuitmem}"
port="${PORT:-5099}"
rm -rf "$data" && mkdir -p "$data"
secret() { head -c 32 /dev/urandom | base64; }
cd "$root/src/App"
env ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="http://127.0.0.1:$port" \
  Database__Provider=Sqlite Database__SqlitePath="$data/cm.db" Database__SeedFolder="$root/seeds" Database__LoadDemoData=true \
  AllowedHosts='127.0.0.1;localhost' Logging__LogLevel__Default=Warning \
  Topics__SourceKeySecret="$(secret)" SessionLog__SigningKey="$(secret)" DataProtection__KeyEncryptionSecret="$(secret)" \
  Voting__BallotSealingKey="$(secret)" Hearings__IdentityKeySecret="$(secret)" \
  RateLimits__SignInPerAddress=10000 RateLimits__HubConnectionsPerUser=10000 \
  ${EXTRA_ENV:-} \
  dotnet "$root/src/App/bin/Release/net10.0/CommunityDeliberation.App.dll" --contentRoot "$root/src/App" >"$data/app.log" 2>&1 &
pid=$!
for _ in $(seq 1 180); do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; then echo "$pid"; exit 0; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$data/app.log" >&2; exit 1; fi
  sleep 0.5
done
echo "the app did not answer within 90 s" >&2; cat "$data/app.log" >&2; exit 1
