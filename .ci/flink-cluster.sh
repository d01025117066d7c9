#!/usr/bin/env bash
# A real standalone Flink cluster, as docs/CLUSTER.md sets one up: ShadowJob's shaded jar submitted through the REST
# API to a JobManager and a TaskManager (two JVMs on 127.0.0.1) assembled from the Maven jars, with Kafka and
# PostgreSQL from `./foreshadow stack`; events published with `./foreshadow publish`; then it checks that every
# sample reached PostgreSQL, that a checkpoint completed, that the job runs without exceptions and that the
# TaskManager's Prometheus reporter serves the job's metrics. Everything it starts is stopped on exit, failed or not.
#
#   .ci/flink-cluster.sh      after `mvn package` (or verify): needs jobs/target/foreshadow-jobs-*-flink.jar
#
# Needs a JDK 17, Maven (the cluster's jars come from Maven Central on first use) and curl (installed with apt-get
# when missing). Files and logs: target/flink-cluster/ (the logs are printed when a step fails). About 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$root/target/flink-cluster
jar=$(ls "$root"/jobs/target/foreshadow-jobs-*-flink.jar 2>/dev/null | head -1 || true)
began=$(date +%s)

step() { printf '[flink-cluster %4ss] %s\n' "$(($(date +%s) - began))" "$*"; }
die() {
    step "FAILED: $*"
    for log in "$work"/log/*.log "$work"/log/*.out; do
        [[ -s $log ]] || continue
        echo "----- last lines of $log"
        tail -n 40 "$log"
    done
    exit 1
}

[[ -n $jar && -f $jar ]] || die "no shaded job jar under jobs/target: run mvn -B package (or verify) first"
if ! command -v curl >/dev/null; then
    step "installing curl"
    (apt-get update -qq && apt-get install -y -qq curl) >/dev/null 2>&1 || die "curl is missing and apt-get could not install it"
fi

# --- everything started here is stopped on exit, in reverse order, by its pid
pids=()
cleanup() {
    local code=$?
    trap - EXIT INT TERM
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        local pid=${pids[i]}
        kill "$pid" 2>/dev/null || continue
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    step "stopped everything it started"
    exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'die "line $LINENO: $BASH_COMMAND"' ERR

rm -rf "$work"
mkdir -p "$work"/{conf,log,tmp,web,checkpoints,savepoints}

# --- free ports on 127.0.0.1 (bash's /dev/tcp: a refused connection means nothing listens)
used=" "
free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 20000))
        [[ $used == *" $p "* ]] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            used="$used$p "
            echo "$p"
            return 0
        fi
    done
    die "no free port found"
}
rest_port=$(free_port); rpc_port=$(free_port); jm_prom=$(free_port); tm_prom=$(free_port)
rest=http://127.0.0.1:$rest_port

# --- the cluster's classpath, from Maven (.ci/flink-cluster/pom.xml)
step "resolving the cluster's jars (flink-runtime-web, clients, RocksDB, Prometheus reporter, log4j)"
mvn -B -q -f .ci/flink-cluster/pom.xml dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" \
    >"$work/log/maven.log" 2>&1 || die "could not resolve the cluster's jars (see $work/log/maven.log)"
cp=$(cat "$work/cp.txt")

# --- conf/: the repository's flink-conf/ as it is; the settings of this host go on the command line (-D)
cp flink-conf/config.yaml flink-conf/log4j.properties "$work/conf/"
host_settings=(
    -D jobmanager.rpc.address=127.0.0.1 -D jobmanager.rpc.port="$rpc_port" -D jobmanager.bind-host=127.0.0.1
    -D taskmanager.host=127.0.0.1 -D taskmanager.bind-host=127.0.0.1
    -D rest.address=127.0.0.1 -D rest.bind-address=127.0.0.1 -D rest.port="$rest_port"
    -D io.tmp.dirs="$work/tmp" -D web.upload.dir="$work/web"
    -D execution.checkpointing.dir="file://$work/checkpoints"
    -D execution.checkpointing.savepoint-dir="file://$work/savepoints"
    # small enough for a CI machine; the job's first checkpoint comes sooner than the configured 30 s
    -D jobmanager.memory.process.size=1g -D taskmanager.memory.process.size=2560m
    -D taskmanager.memory.task.off-heap.size=256m -D taskmanager.numberOfTaskSlots=2 -D parallelism.default=1
    -D execution.checkpointing.interval=10s -D execution.checkpointing.min-pause=1s
    # a loaded CI machine: a TaskManager slow to answer a task deployment (default 10 s) is not the job failing
    -D pekko.ask.timeout=60s
)
opens=$(sed -n 's:.*<flink.jvm.opens>\(.*\)</flink.jvm.opens>.*:\1:p' pom.xml)
[[ -n $opens ]] || die "no flink.jvm.opens in pom.xml"
# env.java.opts.all is applied by Flink's own scripts only: started by hand, it is passed here
java_opts=$(sed -n 's/^ *all: *//p' flink-conf/config.yaml)

resources() { # JVM flags, then dynamic properties, as jobmanager.sh and taskmanager.sh get them
    local out
    out=$(java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$work/conf" \
        "${host_settings[@]}" 2>>"$work/log/resources.log") || die "BashJavaUtils $1 failed"
    grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$out" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}
mapfile -t jm < <(resources GET_JM_RESOURCE_PARAMS)
mapfile -t tm < <(resources GET_TM_RESOURCE_PARAMS)
[[ ${#jm[@]} -eq 2 && ${#tm[@]} -eq 2 ]] || die "unexpected output of BashJavaUtils (see $work/log/resources.log)"

step "starting the JobManager (REST $rest) and the TaskManager"
# shellcheck disable=SC2086 # the flag lists are meant to split
java $opens ${jm[0]} $java_opts -Dlog.file="$work/log/jobmanager.log" \
    -Dlog4j.configurationFile="$work/conf/log4j.properties" -cp "$cp" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$work/conf" \
    "${host_settings[@]}" -D metrics.reporter.prom.port="$jm_prom" ${jm[1]} \
    >"$work/log/jobmanager.out" 2>&1 &
pids+=($!)
# shellcheck disable=SC2086
java $opens ${tm[0]} $java_opts -Dlog.file="$work/log/taskmanager.log" \
    -Dlog4j.configurationFile="$work/conf/log4j.properties" -cp "$cp" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$work/conf" \
    "${host_settings[@]}" -D metrics.reporter.prom.port="$tm_prom" ${tm[1]} \
    >"$work/log/taskmanager.out" 2>&1 &
pids+=($!)

step "starting Kafka and PostgreSQL (./foreshadow stack)"
FORESHADOW_LOG="$work/log/stack.log" ./foreshadow stack --run-dir "$work/stack" >"$work/log/stack.out" 2>&1 &
pids+=($!)

wait_for() { # seconds, description, command...
    local seconds=$1 what=$2
    shift 2
    for _ in $(seq 1 "$seconds"); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || die "a process it started exited while waiting for $what"; done
        sleep 1
    done
    die "$what: not within ${seconds}s"
}
wait_for 120 "the stack's settings file" test -s "$work/stack/stack.properties"
wait_for 120 "a TaskManager registered with the JobManager" \
    bash -c "curl -sf $rest/overview | grep -q '\"taskmanagers\":1'"
step "cluster up: $(curl -sf "$rest/overview")"

bootstrap=$(sed -n 's/^kafka.bootstrap-servers: //p' "$work/stack/stack.properties")
jdbc=$(sed -n 's/^history.jdbc-url: //p' "$work/stack/stack.properties")
settings=$work/shadow.properties
{ cat "$work/stack/stack.properties"; echo "kafka.group-id: cluster-shadow"; } >"$settings"

step "submitting $(basename "$jar") through the REST API"
upload=$(curl -sf -X POST -H "Expect:" -F "jarfile=@$jar" "$rest/jars/upload") || die "jar upload failed"
jar_id=$(sed -n 's#.*"filename":"[^"]*/\([^"/]*\)".*#\1#p' <<<"$upload")
[[ -n $jar_id ]] || die "jar upload answered: $upload"
run=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"programArgsList\": [\"shadow\", \"--config\", \"$settings\"]}" "$rest/jars/$jar_id/run")
job=$(sed -n 's/.*"jobid":"\([0-9a-f]*\)".*/\1/p' <<<"$run")
[[ -n $job ]] || die "the job did not start: $run"
wait_for 120 "job $job RUNNING" bash -c "curl -sf $rest/jobs/$job | grep -q '\"state\":\"RUNNING\"'"
step "job $job running"

step "publishing a day of the bundled trace (./foreshadow publish)"
FORESHADOW_LOG="$work/log/publish.log" FORESHADOW_PROGRESS=plain ./foreshadow publish \
    --bootstrap-servers "$bootstrap" --trace bundled --days 1 | tee "$work/log/publish.out" \
    || die "publishing failed"
expected=$(sed -n 's/^\([0-9,]*\) of them end an action.*/\1/p' "$work/log/publish.out" | tr -d ,)
[[ -n $expected ]] || die "publish did not say how many samples to expect"

step "checking the job on the cluster"
java -cp "$(tr ':' '\n' <jobs/target/classpath-runtime.txt | grep '/postgresql-' | head -1)" \
    .ci/flink-cluster/ClusterCheck.java "$rest" "$job" "$jdbc?user=postgres" "$expected" \
    "http://127.0.0.1:$tm_prom/metrics" 150 || die "the cluster check failed"

# what docs/CLUSTER.md quotes (vertices, operators): kept beside the logs
curl -sf "$rest/jobs/$job" >"$work/log/job.json" || true
curl -sf -X PATCH "$rest/jobs/$job?mode=cancel" >/dev/null || true
step "passed in $(($(date +%s) - began)) s"
