#!/usr/bin/env bash
# Benchmarks the auth server's hot paths on PostgreSQL, over loopback only:
#   GET /oauth2/jwks, GET /.well-known/openid-configuration, POST /oauth2/token (client_credentials).
# Writes bench/target/results.md (and prints it). See bench/README.md for the knobs.
#
# Self-contained and idempotent: every run starts from a freshly created database, builds the jar only when
# missing (or when BENCH_REBUILD=1), and stops the server it started, however the script ends.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=$ROOT/bench/target
JAR=$ROOT/auth-server/target/auth-server.jar

# --- Knobs (see bench/README.md) -------------------------------------------------------------------------------
WARMUP_SECONDS=${BENCH_WARMUP:-10}
# The token endpoint runs far more code (client look-up, JSON, JDBC, JWT signing) than the GETs, and at a few
# hundred requests/s it takes longer to get JIT-compiled: measured here (JFR), after a 10 s warm-up the C2
# compiler still used ~0.28 cores during the measured run and the server spent 1.9-2.0 ms CPU per token; after
# 30 s the compiler was idle and a token cost 1.2-1.4 ms.
TOKEN_WARMUP_SECONDS=${BENCH_TOKEN_WARMUP:-30}
DURATION_SECONDS=${BENCH_DURATION:-20}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
THREADS=${BENCH_THREADS:-2}
# A hard cap on the responses of one wrk run, on top of its duration: a run stops at whichever comes first.
MAX_REQUESTS=${BENCH_MAX_REQUESTS:-2000000}
PORT=${BENCH_PORT:-9100}
REBUILD=${BENCH_REBUILD:-0}
JFR=${BENCH_JFR:-0}
# Seconds to wait, at most, for the machine to be idle before measuring (0: do not wait, only report).
WAIT_IDLE=${BENCH_WAIT_IDLE:-0}
read -r -a JAVA_OPTS <<<"${BENCH_JAVA_OPTS:-}"

# Load goes to the loopback address only, by construction: the host is not a knob.
HOST=127.0.0.1
BASE_URL="http://$HOST:$PORT"
PG=(psql -h 127.0.0.1 -p 5432 -U postgres -v ON_ERROR_STOP=1 -X -q)
DB=authserver_bench
CLIENT_ID=bench-client
CLIENT_SECRET=bench-secret-0123456789abcdef0123456789abcdef
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
CLK_TCK=$(getconf CLK_TCK)

[[ $WAIT_IDLE =~ ^[0-9]+$ ]] || { echo "bench: BENCH_WAIT_IDLE must be a number of seconds" >&2; exit 2; }
for n in "$WARMUP_SECONDS" "$TOKEN_WARMUP_SECONDS" "$DURATION_SECONDS" "$CONNECTIONS" "$THREADS" "$MAX_REQUESTS" "$PORT"; do
	[[ $n =~ ^[0-9]+$ && $n -gt 0 ]] || { echo "bench: knobs must be positive integers (got '$n')" >&2; exit 2; }
done
((CONNECTIONS >= THREADS)) || { echo "bench: BENCH_CONNECTIONS must be >= BENCH_THREADS" >&2; exit 2; }

log() { printf '\n== %s\n' "$*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

# --- Tools: only Debian packages, installed when missing ------------------------------------------------------
need() { # need COMMAND PACKAGE
	command -v "$1" >/dev/null && return 0
	local sudo=()
	[[ $(id -u) -eq 0 ]] || sudo=(sudo)
	log "installing $2"
	# The package lists may be stale or absent on a fresh machine: update only when the plain install fails.
	DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "$2" >/dev/null ||
		{ "${sudo[@]}" apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "$2" >/dev/null; }
}
need wrk wrk
need curl curl
need psql postgresql-client
need timeout coreutils
command -v "$JAVA" >/dev/null || die "no java on PATH (the project needs a JDK 17+)"

mkdir -p "$OUT"

# --- A server left behind by an earlier run that was killed hard (no trap ran) --------------------------------
# Only a process this script started is stopped: the pid file's process, and only if it is still our jar on our port.
if [[ -f $OUT/server.pid ]]; then
	old=$(cat "$OUT/server.pid")
	if [[ -r /proc/$old/cmdline ]] && tr '\0' ' ' <"/proc/$old/cmdline" | grep -q -- "auth-server.jar.*--server.port=$PORT"; then
		log "stopping the server left by an earlier run (pid $old)"
		kill "$old" 2>/dev/null || true
		for _ in $(seq 1 30); do kill -0 "$old" 2>/dev/null || break; sleep 1; done
	fi
	rm -f "$OUT/server.pid"
fi
if (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
	die "port $PORT is already taken by another process: free it or set BENCH_PORT"
fi
# An earlier run's outputs must not pass for this run's (a JFR file when BENCH_JFR is now off, say).
rm -f "$OUT"/results.md "$OUT"/wrk-*.txt "$OUT"/check-*.json "$OUT"/procs-*.txt "$OUT"/times.txt "$OUT"/*.jfr

# --- 1. Role and databases -----------------------------------------------------------------------------------
log "PostgreSQL: role, databases, fresh $DB"
"${PG[@]}" -d postgres -f db/postgresql/bootstrap.sql >/dev/null
# Dropped and re-created on every run: the token benchmark inserts one oauth2_authorization row per request, so
# an old, bigger table (and its hash indexes) would make runs incomparable. FORCE ends sessions left by a dead run.
"${PG[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB OWNER authserver"

# --- 2. The jar ----------------------------------------------------------------------------------------------
if [[ ! -f $JAR || $REBUILD == 1 ]]; then
	log "building $JAR"
	./mvnw -q -pl auth-server -am package -DskipTests
elif [[ -n $(find auth-server/src/main config db -type f -newer "$JAR" -print -quit) ]]; then
	# Not rebuilt automatically (the knob decides), but a stale jar would measure code that no longer exists.
	echo "bench: WARNING: sources are newer than $JAR; set BENCH_REBUILD=1 to measure the current code" >&2
	STALE_JAR=1
fi

# --- The RS256 floor: measured before the server starts, so the two cores are free ---------------------------
log "RS256 signing floor (one thread, 2048-bit key)"
FLOOR_LINE=$("$JAVA" "$ROOT/bench/RsaSignFloor.java" 3000 | grep '^RSA_FLOOR')
FLOOR_CPU_MS=$(sed -E 's/.*cpu_ms=([0-9.]+).*/\1/' <<<"$FLOOR_LINE")
echo "$FLOOR_LINE" >&2

# --- 3. The server -------------------------------------------------------------------------------------------
SERVER_PID=
stop_server() {
	[[ -n $SERVER_PID ]] || return 0
	if kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID" 2>/dev/null || true
		# Graceful first (Spring closes the pool and Tomcat), then forcibly: the script must always end.
		for _ in $(seq 1 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 1; done
		kill -9 "$SERVER_PID" 2>/dev/null || true
	fi
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
	rm -f "$OUT/server.pid"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# The server runs from a copy: Spring Boot reads the nested jars from the file lazily, and another Maven build
# (tests running at the same time) may rewrite auth-server/target/auth-server.jar under a running server.
cp "$JAR" "$OUT/auth-server.jar"
log "starting the server on port $PORT (log: bench/target/server.log)"
# data-dir: the dev profile writes a generated master password there (and H2 would keep its files there); under
# bench/target it stays out of the quick start's ./data.
"$JAVA" "${JAVA_OPTS[@]}" -jar "$OUT/auth-server.jar" --spring.profiles.active=dev --server.port="$PORT" \
	--authserver.issuer="http://localhost:$PORT" --authserver.data-dir="$OUT/data" \
	--spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$DB" \
	--spring.datasource.username=authserver --spring.datasource.password=authserver \
	>"$OUT/server.log" 2>&1 &
SERVER_PID=$!
echo "$SERVER_PID" >"$OUT/server.pid"

deadline=$((SECONDS + 90))
until curl -fsS -o /dev/null --max-time 2 "http://localhost:$PORT/.well-known/openid-configuration" 2>/dev/null; do
	kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 40 "$OUT/server.log" >&2; die "the server exited during start-up"; }
	((SECONDS < deadline)) || { tail -n 40 "$OUT/server.log" >&2; die "the server did not answer within 90 s"; }
	sleep 1
done
STARTUP_SECONDS=$(grep -oE 'Started AuthServerApplication in [0-9.]+ seconds' "$OUT/server.log" | grep -oE '[0-9.]+' | head -n 1 || true)

# --- 4. The benchmark's client -------------------------------------------------------------------------------
# The dev seeder is an ApplicationRunner: it runs after Tomcat already answers, so wait for its row.
deadline=$((SECONDS + 30))
until [[ $("${PG[@]}" -d "$DB" -Atc "SELECT count(*) FROM oauth2_registered_client WHERE client_id = 'demo-client'") == 1 ]]; do
	((SECONDS < deadline)) || die "the dev profile did not seed demo-client within 30 s"
	sleep 1
done
# Inserted directly in SQL (there is no registration endpoint), with the demo client's settings JSON copied so
# that they are exactly what Spring's JDBC repository writes. Secrets are stored as {sha256} + lowercase hex.
"${PG[@]}" -d "$DB" -c "INSERT INTO oauth2_registered_client (id, client_id, client_id_issued_at, client_secret,
		client_name, client_authentication_methods, authorization_grant_types, redirect_uris,
		post_logout_redirect_uris, scopes, client_settings, token_settings)
	SELECT 'bench-client-id', '$CLIENT_ID', now(),
		'{sha256}' || encode(sha256(convert_to('$CLIENT_SECRET', 'UTF8')), 'hex'), 'Benchmark client',
		'client_secret_basic', 'client_credentials', NULL, NULL, 'api.read', client_settings, token_settings
	FROM oauth2_registered_client WHERE client_id = 'demo-client'"

# Each endpoint must answer correctly once before it is measured: a benchmark of 401s would be meaningless.
check_get() {
	local code
	code=$(curl -sS -o "$OUT/check-$1.json" -w '%{http_code}' --max-time 10 "$BASE_URL$2")
	[[ $code == 200 ]] || die "GET $2 answered $code, not 200"
}
check_get jwks /oauth2/jwks
check_get discovery /.well-known/openid-configuration
grep -q '"keys"' "$OUT/check-jwks.json" || die "/oauth2/jwks has no keys"
TOKEN_BODY='grant_type=client_credentials&scope=api.read'
# The database's own counters around the whole token phase (check, warm-up, measured) tell how many statements
# and transactions each token costs. They are read again after the server stops: a backend flushes its
# statistics when it exits, so the counts are then complete.
db_counters() {
	"${PG[@]}" -d "$DB" -Atc "SELECT
		(SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) || ' ' ||
		(SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'oauth2_registered_client') || ' ' ||
		(SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'oauth2_authorization') || ' ' ||
		(SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'oauth2_authorization')"
}
read -r -a DBC0 <<<"$(db_counters)"
code=$(curl -sS -o "$OUT/check-token.json" -w '%{http_code}' --max-time 10 -u "$CLIENT_ID:$CLIENT_SECRET" \
	-d "$TOKEN_BODY" "$BASE_URL/oauth2/token")
[[ $code == 200 ]] || { cat "$OUT/check-token.json" >&2; die "POST /oauth2/token answered $code, not 200"; }
grep -q '"access_token"' "$OUT/check-token.json" || die "the token response has no access_token"
TOKEN_CHARS=$(sed -E 's/.*"access_token":"([^"]*)".*/\1/' "$OUT/check-token.json" | tr -d '\n' | wc -c)

# --- 5. Load -------------------------------------------------------------------------------------------------
proc_cpu_ticks() { # utime + stime of the given pids, in clock ticks (fields 14 and 15 of /proc/PID/stat)
	local total=0 pid f
	for pid in "$@"; do
		[[ -r /proc/$pid/stat ]] || continue
		# The fields after "(comm)": state is the 1st there, utime the 12th, stime the 13th.
		read -r -a f <<<"$(sed 's/^.*) //' "/proc/$pid/stat")"
		total=$((total + f[11] + f[12]))
	done
	echo "$total"
}
machine_ticks() { # "busy total interrupts" jiffies of all cores, from /proc/stat
	awk '/^cpu /{ busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6, $7 + $8; exit }' /proc/stat
}
children_cpu_ms() { # children_cpu_ms FILE: the children's user + sys CPU in a saved "times" output, in ms
	awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /m|s/); t += a[1] * 60 + a[2] } printf "%.0f", t * 1000 }' "$1"
}
all_proc_ticks() { # "pid comm ticks" for every process, to name what else used the CPU during a run
	local f
	for f in /proc/[0-9]*/stat; do
		sed -E 's/^([0-9]+) \((.*)\) [A-Za-z] ([^ ]+ ){10}([0-9]+) ([0-9]+).*/\1 \2 \4 \5/' "$f" 2>/dev/null || true
	done | awk 'NF >= 4 { gsub(/ /, "_", $2); print $1, $2, $(NF - 1) + $NF }'
}
pg_backend_pids() { # the server's pooled connections: their backends do the SQL work of each request
	"${PG[@]}" -d postgres -Atc "SELECT pid FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()"
}

RESULT_ROWS=()
CPU_ROWS=()
OTHER_NOTES=()
declare -A REQUESTS=()

run_wrk() { # run_wrk OUTPUT_FILE SECONDS URL -- runs one bounded wrk with bench/wrk.lua, output to OUTPUT_FILE
	local out=$1 seconds=$2 url=$3
	# timeout is a second stop, in case wrk itself hangs: the script must end on its own.
	BENCH_MAX_REQUESTS_PER_THREAD=$((MAX_REQUESTS / THREADS)) \
		timeout --kill-after=5 $((seconds + 30)) \
		wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 10s --latency -s "$ROOT/bench/wrk.lua" "$url" >"$out"
	grep -q '^BENCH_RESULT ' "$out" || die "wrk printed no result (see $out)"
}

field() { sed -E "s/.* $2=([^ ]+).*/\1/" <<<" $1"; }

bench_endpoint() { # bench_endpoint NAME LABEL PATH WARMUP_SECONDS  (BENCH_BODY / BENCH_AUTHORIZATION set for POST)
	local name=$1 label=$2 path=$3 warmup=$4 result pids s0 s1 p0 p1 m0 m1 wall0 wall1 i0 i1 w0 w1
	log "$label: ${warmup}s warm-up"
	run_wrk "$OUT/wrk-$name-warmup.txt" "$warmup" "$BASE_URL$path"
	REQUESTS[$name-warmup]=$(field "$(grep '^BENCH_RESULT ' "$OUT/wrk-$name-warmup.txt")" requests)
	# A pause so the next window starts with no responses in flight and the JIT's and GC's after-work done.
	sleep 2
	if [[ $JFR == 1 ]]; then # a CPU profile of the measured window only, to see where the time goes
		"${JAVA%java}jcmd" "$SERVER_PID" JFR.start name=bench settings=profile filename="$OUT/$name.jfr" >/dev/null
	fi
	log "$label: ${DURATION_SECONDS}s measured, -t$THREADS -c$CONNECTIONS"
	mapfile -t pids < <(pg_backend_pids)
	all_proc_ticks >"$OUT/procs-before.txt"
	s0=$(proc_cpu_ticks "$SERVER_PID"); p0=$(proc_cpu_ticks "${pids[@]}"); read -r m0 wall0 i0 < <(machine_ticks)
	# The "times" builtin gives the CPU of this shell's finished children (wrk, through timeout); it must run in
	# this shell, not in a $(...) subshell, whose counters start at zero.
	times >"$OUT/times.txt"; w0=$(children_cpu_ms "$OUT/times.txt")
	run_wrk "$OUT/wrk-$name.txt" "$DURATION_SECONDS" "$BASE_URL$path"
	times >"$OUT/times.txt"; w1=$(children_cpu_ms "$OUT/times.txt")
	s1=$(proc_cpu_ticks "$SERVER_PID"); p1=$(proc_cpu_ticks "${pids[@]}"); read -r m1 wall1 i1 < <(machine_ticks)
	all_proc_ticks >"$OUT/procs-after.txt"
	if [[ $JFR == 1 ]]; then
		"${JAVA%java}jcmd" "$SERVER_PID" JFR.stop name=bench >/dev/null
	fi
	result=$(grep '^BENCH_RESULT ' "$OUT/wrk-$name.txt")
	echo "$result" >&2
	local requests seconds
	requests=$(field "$result" requests)
	seconds=$(field "$result" seconds)
	REQUESTS[$name]=$requests
	RESULT_ROWS+=("$(awk -v l="$label" -v r="$(field "$result" rps)" -v a="$(field "$result" p50_ms)" \
		-v b="$(field "$result" p90_ms)" -v c="$(field "$result" p99_ms)" -v m="$(field "$result" max_ms)" \
		-v n="$requests" -v x="$(field "$result" non2xx)" -v e="$(field "$result" socket_errors)" \
		'BEGIN { printf "| %s | %.0f | %.2f | %.2f | %.2f | %.1f | %d | %d | %d |", l, r, a, b, c, m, n, x, e }')")
	# CPU per request: the server JVM (all its threads: requests, GC, JIT), the PostgreSQL backends of its pool,
	# wrk, and the rest of the machine: the load generator shares the same two cores, and anything else running
	# (a build, a test suite) shows up as "other" and makes the run suspect.
	CPU_ROWS+=("$(awk -v l="$label" -v n="$requests" -v t="$seconds" -v hz="$CLK_TCK" -v s=$((s1 - s0)) \
		-v p=$((p1 - p0)) -v w=$((w1 - w0)) -v mb=$((m1 - m0)) -v mt=$((wall1 - wall0)) -v np="$(nproc)" \
		'BEGIN { busy = (mt > 0) ? np * mb / mt : 0; other = busy - (s + p) / hz / t - w / 1000 / t;
			printf "| %s | %.3f | %.2f | %.3f | %.2f | %.2f | %.2f | %.2f of %d |", l, s * 1000 / hz / n, s / hz / t,
			p * 1000 / hz / n, p / hz / t, w / 1000 / t, (other > 0) ? other : 0, busy, np }')")
	# Name the other processes that used at least 0.02 cores: another build or test suite, PostgreSQL's own
	# background processes (WAL writer), ...; interrupt time (loopback networking) is in "other" too, but belongs
	# to no process.
	local others others_total
	others_total=$(awk -v exclude=" $SERVER_PID ${pids[*]} " -v hz="$CLK_TCK" -v t="$seconds" '
		NR == FNR { before[$1] = $3; next }
		index(exclude, " " $1 " ") == 0 { sum += $3 - (($1 in before) ? before[$1] : 0) }
		END { printf "%.2f", sum / hz / t }' "$OUT/procs-before.txt" "$OUT/procs-after.txt")
	others=$(awk -v exclude=" $SERVER_PID ${pids[*]} " -v hz="$CLK_TCK" -v t="$seconds" '
		NR == FNR { before[$1] = $3; next }
		index(exclude, " " $1 " ") == 0 { c = ($3 - (($1 in before) ? before[$1] : 0)) / hz / t; if (c >= 0.02) printf "%s %.2f\n", $1, c }
		' "$OUT/procs-before.txt" "$OUT/procs-after.txt" | sort -k2 -rn | head -n 5 |
		while read -r pid cores; do
			# The command line says which PostgreSQL process or which JVM it was; kernel threads have none.
			local what
			what=$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | cut -c1-70 | sed 's/ *$//' || true)
			[[ -n $what ]] || what=$(awk -v p="$pid" '$1 == p { print $2 }' "$OUT/procs-after.txt")
			printf '%s (pid %s) %s; ' "$what" "$pid" "$cores"
		done)
	others=${others%; }
	local interrupts
	interrupts=$(awk -v i=$((i1 - i0)) -v mt=$((wall1 - wall0)) -v np="$(nproc)" 'BEGIN { printf "%.2f", (mt > 0) ? np * i / mt : 0 }')
	OTHER_NOTES+=("- other CPU during $label: other processes $others_total cores (${others:-none above 0.02 cores}), interrupts $interrupts cores")
	if [[ $name == token ]]; then
		TOKEN_SERVER_MS=$(awk -v n="$requests" -v hz="$CLK_TCK" -v s=$((s1 - s0)) 'BEGIN { printf "%.3f", s * 1000 / hz / n }')
	fi
	sleep 2
}

# Anything else busy on the machine (a build, a test suite) competes for the same two cores and skews every
# figure: measure the background load over 3 s with the server idle, and say so in the results.
background_cores() { # cores busy over the next 3 s, all processes
	local m0 t0 m1 t1
	read -r m0 t0 _ < <(machine_ticks); sleep 3; read -r m1 t1 _ < <(machine_ticks)
	awk -v b=$((m1 - m0)) -v t=$((t1 - t0)) -v np="$(nproc)" 'BEGIN { printf "%.2f", (t > 0) ? np * b / t : 0 }'
}
deadline=$((SECONDS + WAIT_IDLE))
BACKGROUND_CORES=$(background_cores)
while awk -v c="$BACKGROUND_CORES" 'BEGIN { exit !(c > 0.2) }' && ((SECONDS < deadline)); do
	log "waiting for the machine to be idle ($BACKGROUND_CORES cores busy; BENCH_WAIT_IDLE=$WAIT_IDLE)"
	sleep 7
	BACKGROUND_CORES=$(background_cores)
done
if awk -v c="$BACKGROUND_CORES" 'BEGIN { exit !(c > 0.2) }'; then
	echo "bench: WARNING: the machine is already busy ($BACKGROUND_CORES cores) before the load starts: figures will be low" >&2
	BUSY_WARNING=1
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
bench_endpoint jwks 'GET /oauth2/jwks' /oauth2/jwks "$WARMUP_SECONDS"
bench_endpoint discovery 'GET /.well-known/openid-configuration' /.well-known/openid-configuration "$WARMUP_SECONDS"
BENCH_BODY=$TOKEN_BODY BENCH_AUTHORIZATION="Basic $(printf '%s:%s' "$CLIENT_ID" "$CLIENT_SECRET" | base64 -w0)" \
	bench_endpoint token 'POST /oauth2/token (client_credentials)' /oauth2/token "$TOKEN_WARMUP_SECONDS"

# Every successful token request stores one authorization row: a cross-check of the counts, and of the DB work.
AUTHZ_ROWS=$("${PG[@]}" -d "$DB" -Atc "SELECT count(*) FROM oauth2_authorization")
AUTHZ_BYTES=$("${PG[@]}" -d "$DB" -Atc "SELECT pg_size_pretty(pg_total_relation_size('oauth2_authorization'))")

log "stopping the server"
stop_server
read -r -a DBC1 <<<"$(db_counters)"
DB_PER_TOKEN=$(awk -v n="$AUTHZ_ROWS" -v x=$((DBC1[0] - DBC0[0])) -v c=$((DBC1[1] - DBC0[1])) -v a=$((DBC1[2] - DBC0[2])) \
	-v i=$((DBC1[3] - DBC0[3])) 'BEGIN { printf "%.2f committed transactions, %.2f reads of oauth2_registered_client," \
	" %.2f reads of oauth2_authorization, %.2f inserts into oauth2_authorization", x / n, c / n, a / n, i / n }')

# --- 6. Summary ----------------------------------------------------------------------------------------------
LOG_PROBLEMS=$(grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[^ ]+ +(WARN|ERROR) ' "$OUT/server.log" || true)
GIT_REV=$(git --no-optional-locks rev-parse --short HEAD 2>/dev/null || echo "unknown (not a git checkout)")
GIT_DIRTY=$(git --no-optional-locks status --porcelain -- auth-server/src/main config db 2>/dev/null | head -n 1 || true)
{
	echo "# Auth server benchmark"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $GIT_REV${GIT_DIRTY:+ (uncommitted changes under auth-server/src/main, config or db)}${STALE_JAR:+, jar older than the sources (BENCH_REBUILD=1 not set)}."
	echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
		"$("$JAVA" -version 2>&1 | head -n 1); $("${PG[@]}" -d postgres -Atc 'SHOW server_version');" \
		"$(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2). Load average before the runs: $LOAD_BEFORE;" \
		"background CPU with the server idle: $BACKGROUND_CORES cores${BUSY_WARNING:+ (WARNING: something else was running, the figures are low)}."
	echo
	echo "The server, PostgreSQL and wrk share the same $(nproc) cores: the figures are for this machine as a whole," \
		"not for the server alone. wrk -t$THREADS -c$CONNECTIONS; per endpoint a warm-up (${WARMUP_SECONDS}s, token ${TOKEN_WARMUP_SECONDS}s) then ${DURATION_SECONDS}s measured," \
		"to $BASE_URL (loopback). Server start-up: ${STARTUP_SECONDS:-?} s."
	echo
	echo "| endpoint | req/s | p50 ms | p90 ms | p99 ms | max ms | requests | non-2xx | socket errors |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	printf '%s\n' "${RESULT_ROWS[@]}"
	echo
	echo "CPU during the measured runs, in cores used (of $(nproc)) and ms per request: from /proc in clock ticks of" \
		"$((1000 / CLK_TCK)) ms. Server = the whole JVM (GC and JIT included); PostgreSQL = the backends of the" \
		"server's connection pool; other = the rest of the machine's busy time: other processes (should be near 0)" \
		"and interrupt time (loopback networking: a few tenths of a core at tens of thousands of requests/s)."
	echo
	echo "| endpoint | server CPU ms/req | server cores | PostgreSQL CPU ms/req | PostgreSQL cores | wrk cores | other cores | machine busy |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	printf '%s\n' "${CPU_ROWS[@]}"
	echo
	printf '%s\n' "${OTHER_NOTES[@]}"
	echo
	echo "- RS256 signing floor on this machine: $FLOOR_CPU_MS ms CPU per signature (bench/RsaSignFloor.java: SHA256withRSA," \
		"2048-bit key, one thread, idle machine). Server CPU per token request: $TOKEN_SERVER_MS ms, i.e." \
		"$(awk -v a="$TOKEN_SERVER_MS" -v b="$FLOOR_CPU_MS" 'BEGIN { printf "%.1f", a / b }')x the floor."
	echo "- Access token (JWT) length: $TOKEN_CHARS characters. oauth2_authorization after the runs: $AUTHZ_ROWS rows," \
		"$AUTHZ_BYTES: one row per token (1 check + ${REQUESTS[token-warmup]} warm-up + ${REQUESTS[token]} measured," \
		"plus up to $((2 * CONNECTIONS)) answered after wrk stopped counting)."
	echo "- PostgreSQL work per token request (its statistics over the whole token phase): $DB_PER_TOKEN."
	if [[ -z $LOG_PROBLEMS ]]; then
		echo "- server.log: no WARN or ERROR lines."
	else
		echo "- server.log: $(wc -l <<<"$LOG_PROBLEMS") WARN/ERROR lines (expected in the dev profile: DevProfileSeeder's" \
			"banner, and CryptoEnvironmentPostProcessor's notice of the generated master password):"
		echo
		echo '```'
		cut -c1-300 <<<"$LOG_PROBLEMS" | head -n 20
		echo '```'
	fi
	[[ $JFR != 1 ]] || echo "- JFR recordings of the measured runs (they add some overhead): bench/target/{jwks,discovery,token}.jfr"
	echo
	echo "Raw wrk output: bench/target/wrk-*.txt. Server log: bench/target/server.log."
} >"$OUT/results.md"
cat "$OUT/results.md"
