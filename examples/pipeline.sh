#!/usr/bin/env bash
# The complete Open Service Broker workflow, done right: check the broker, provision Cassandra and Kafka,
# wait for both (failing fast), bind both, run a test Job with the credentials mapped into its
# environment, judge it, then unbind and deprovision in order. Built only from `kubectl osb` verbs and
# plain kubectl. Any failure or interruption cleans up what this run created; the exit code names the
# stage that failed. See --help, and examples/README.md.
# shellcheck disable=SC2001 # sed for indenting is clearer here
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
    cat <<EOF
Usage: examples/pipeline.sh [OPTIONS]

Provision a Cassandra cluster (from flags) and a Kafka cluster (from an Instaclustr JSON payload), wait
for both, bind both, run a Job of N pods whose environment holds the binding credentials, judge it, then
unbind and deprovision. Every stage is printed as it starts and ends, with its elapsed time. When a stage
fails, or on Ctrl-C / SIGTERM, whatever this run created is removed (Job, bindings and their Secrets,
instances) before the script exits.

Options (each also from the environment variable shown):
  -n, --namespace NS          namespace (PIPELINE_NAMESPACE; default: kubectl's current namespace)
      --kubeconfig FILE       kubeconfig (KUBECONFIG)
      --context NAME          kubeconfig context (PIPELINE_CONTEXT)
      --cassandra NAME        Cassandra instance and binding name (PIPELINE_CASSANDRA; pipeline-cassandra)
      --cassandra-plan PLAN   its plan (PIPELINE_CASSANDRA_PLAN; developer)
      --cassandra-payload FILE  Instaclustr v2 create body for Cassandra (PIPELINE_CASSANDRA_PAYLOAD;
                              examples/cassandra-v2.json); its "name" is set to the instance's name
      --cassandra-param K=V   extra Cassandra provision parameter over the payload, repeatable (typed, as
                              'kubectl osb provision -p': K=V for a string, K:=JSON for a typed value; a.b=V nests)
      --kafka NAME            Kafka instance and binding name (PIPELINE_KAFKA; pipeline-kafka)
      --kafka-payload FILE    Instaclustr v1 provisioning JSON for Kafka, as in the 2019 article
                              (PIPELINE_KAFKA_PAYLOAD; examples/kafka.json)
      --kafka-param K=V       extra Kafka provision parameter over the payload, repeatable (as above)
      --job NAME              the test Job (PIPELINE_JOB; pipeline-app)
      --image IMAGE           its container image (PIPELINE_IMAGE; busybox:1.36)
      --command SH            shell command the pods run (PIPELINE_COMMAND; default: check and print
                              the mapped connection details, or repeat that until the deadline with --soak)
      --pods N                pods in parallel, all must succeed (PIPELINE_PODS; 2)
      --deadline SECONDS      the Job's activeDeadlineSeconds (PIPELINE_DEADLINE; 600)
      --soak                  soak test: the pods run until the deadline, and a Job ended by its deadline
                              (DeadlineExceeded) passes; any other failure fails (PIPELINE_SOAK=1)
      --pod-label K=V         a label on the Job's pods (its pod template), repeatable
                              (PIPELINE_POD_LABELS: a space-separated K=V list)
      --pod-annotation K=V    an annotation on the Job's pods, repeatable (PIPELINE_POD_ANNOTATIONS)
      --cassandra-annotation K=V, --kafka-annotation K=V, --job-annotation K=V
                              an annotation on the Cassandra instance, the Kafka instance, the Job
                              (repeatable; PIPELINE_CASSANDRA_ANNOTATIONS, PIPELINE_KAFKA_ANNOTATIONS,
                              PIPELINE_JOB_ANNOTATIONS as space-separated K=V lists)
      --provision-timeout D   how long to wait for both instances (PIPELINE_PROVISION_TIMEOUT; 30m)
      --bind-timeout D        how long to wait for both bindings (PIPELINE_BIND_TIMEOUT; 10m)
      --job-timeout D         how long to wait for the Job's verdict (PIPELINE_JOB_TIMEOUT;
                              default: the deadline plus 5m)
      --cleanup-timeout D     how long to wait for unbind and deprovision (PIPELINE_CLEANUP_TIMEOUT; 30m)
  -h, --help                  this help

Durations are Go-style: 90s, 30m, 1h30m.

Exit codes:
   0  passed: the Job succeeded and everything was removed
   2  usage: bad option or value (nothing created)
  10  broker: not Ready, or the names are already taken (nothing created)
  20  provision failed              21  provision timed out
  30  bind failed                   31  bind timed out
  40  the Job failed (the verdict)  41  the Job timed out
  50  cleanup failed after a pass   51  cleanup timed out after a pass
 130  interrupted (SIGINT)         143  terminated (SIGTERM)
A failed stage's code wins over a failed cleanup after it; anything cleanup could not remove is listed.

Examples:
  examples/pipeline.sh -n ci --pods 10 --image registry.example.com/anomalia:1.4 --command 'java -jar app.jar'
  examples/pipeline.sh -n ci --soak --deadline 1800 --image registry.example.com/anomalia:1.4
  examples/pipeline.sh -n ci --pod-label team=payments --pod-annotation sidecar.istio.io/inject=false
  examples/sandbox-run            # the same against a local sandbox, end to end
EOF
}

# ---- parameters ---------------------------------------------------------------------------------------

NAMESPACE=${PIPELINE_NAMESPACE:-}
CONTEXT=${PIPELINE_CONTEXT:-}
KUBECONFIG_FLAG=
CASSANDRA=${PIPELINE_CASSANDRA:-pipeline-cassandra}
CASSANDRA_PLAN=${PIPELINE_CASSANDRA_PLAN:-developer}
KAFKA=${PIPELINE_KAFKA:-pipeline-kafka}
KAFKA_PAYLOAD=${PIPELINE_KAFKA_PAYLOAD:-$here/kafka.json}
CASSANDRA_PAYLOAD=${PIPELINE_CASSANDRA_PAYLOAD:-$here/cassandra-v2.json}
JOB=${PIPELINE_JOB:-pipeline-app}
IMAGE=${PIPELINE_IMAGE:-busybox:1.36}
COMMAND=${PIPELINE_COMMAND:-}
PODS=${PIPELINE_PODS:-2}
DEADLINE=${PIPELINE_DEADLINE:-600}
SOAK=${PIPELINE_SOAK:-0}
PROVISION_TIMEOUT=${PIPELINE_PROVISION_TIMEOUT:-30m}
BIND_TIMEOUT=${PIPELINE_BIND_TIMEOUT:-10m}
JOB_TIMEOUT=${PIPELINE_JOB_TIMEOUT:-}
CLEANUP_TIMEOUT=${PIPELINE_CLEANUP_TIMEOUT:-30m}
read -r -a CASSANDRA_ANNOTATIONS <<<"${PIPELINE_CASSANDRA_ANNOTATIONS:-}"
read -r -a KAFKA_ANNOTATIONS <<<"${PIPELINE_KAFKA_ANNOTATIONS:-}"
read -r -a JOB_ANNOTATIONS <<<"${PIPELINE_JOB_ANNOTATIONS:-}"
read -r -a POD_LABELS <<<"${PIPELINE_POD_LABELS:-}"
read -r -a POD_ANNOTATIONS <<<"${PIPELINE_POD_ANNOTATIONS:-}"
KAFKA_PARAMS=()
# Cassandra comes from Instaclustr's current (v2) create body, Kafka from a v1 body as in the article;
# the v2 cluster takes the instance's name.
CASSANDRA_PARAMS=()

die_usage() {
    echo "pipeline: $1" >&2
    echo "Run 'examples/pipeline.sh --help' for usage." >&2
    exit 2
}

need() { [[ $# -ge 2 && -n $2 ]] || die_usage "option $1 needs a value"; }

while [[ $# -gt 0 ]]; do
    case $1 in
    -h | --help) usage; exit 0 ;;
    -n | --namespace) need "$@"; NAMESPACE=$2; shift 2 ;;
    --kubeconfig) need "$@"; KUBECONFIG_FLAG=$2; shift 2 ;;
    --context) need "$@"; CONTEXT=$2; shift 2 ;;
    --cassandra) need "$@"; CASSANDRA=$2; shift 2 ;;
    --cassandra-plan) need "$@"; CASSANDRA_PLAN=$2; shift 2 ;;
    --cassandra-param) need "$@"; CASSANDRA_PARAMS+=(-p "$2"); shift 2 ;;
    --cassandra-payload) need "$@"; CASSANDRA_PAYLOAD=$2; shift 2 ;;
    --kafka) need "$@"; KAFKA=$2; shift 2 ;;
    --kafka-payload) need "$@"; KAFKA_PAYLOAD=$2; shift 2 ;;
    --kafka-param) need "$@"; KAFKA_PARAMS+=(-p "$2"); shift 2 ;;
    --job) need "$@"; JOB=$2; shift 2 ;;
    --image) need "$@"; IMAGE=$2; shift 2 ;;
    --command) need "$@"; COMMAND=$2; shift 2 ;;
    --pods) need "$@"; PODS=$2; shift 2 ;;
    --deadline) need "$@"; DEADLINE=$2; shift 2 ;;
    --soak) SOAK=1; shift ;;
    --provision-timeout) need "$@"; PROVISION_TIMEOUT=$2; shift 2 ;;
    --bind-timeout) need "$@"; BIND_TIMEOUT=$2; shift 2 ;;
    --job-timeout) need "$@"; JOB_TIMEOUT=$2; shift 2 ;;
    --cleanup-timeout) need "$@"; CLEANUP_TIMEOUT=$2; shift 2 ;;
    --cassandra-annotation) need "$@"; CASSANDRA_ANNOTATIONS+=("$2"); shift 2 ;;
    --kafka-annotation) need "$@"; KAFKA_ANNOTATIONS+=("$2"); shift 2 ;;
    --job-annotation) need "$@"; JOB_ANNOTATIONS+=("$2"); shift 2 ;;
    --pod-label) need "$@"; POD_LABELS+=("$2"); shift 2 ;;
    --pod-annotation) need "$@"; POD_ANNOTATIONS+=("$2"); shift 2 ;;
    *) die_usage "unknown option '$1'" ;;
    esac
done

[[ $PODS =~ ^[1-9][0-9]*$ ]] || die_usage "--pods must be a positive integer, got '$PODS'"
[[ $DEADLINE =~ ^[1-9][0-9]*$ ]] || die_usage "--deadline must be a positive number of seconds, got '$DEADLINE'"
[[ $SOAK =~ ^(0|1|true|false)$ ]] || die_usage "PIPELINE_SOAK must be 0 or 1, got '$SOAK'"
[[ $SOAK == true ]] && SOAK=1
[[ $SOAK == false ]] && SOAK=0
[[ -r $KAFKA_PAYLOAD ]] || die_usage "cannot read the Kafka payload '$KAFKA_PAYLOAD'"
[[ -r $CASSANDRA_PAYLOAD ]] || die_usage "cannot read the Cassandra payload '$CASSANDRA_PAYLOAD'"
# Label and annotation keys: an optional DNS-subdomain prefix and '/', then a name of at most 63
# characters; label values: at most 63 characters of the same alphabet (or empty).
key_re='^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$'
value_re='^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$'
valid_key() { local k=$1 n=${1##*/}; [[ $k =~ $key_re && ${#n} -le 63 && ${#k} -le 317 ]]; }
for a in "${CASSANDRA_ANNOTATIONS[@]}" "${KAFKA_ANNOTATIONS[@]}" "${JOB_ANNOTATIONS[@]}" "${POD_ANNOTATIONS[@]}"; do
    [[ $a == ?*=* ]] || die_usage "an annotation must be KEY=VALUE, got '$a'"
    valid_key "${a%%=*}" || die_usage "'${a%%=*}' is not a valid annotation key"
done
for l in "${POD_LABELS[@]}"; do
    [[ $l == ?*=* ]] || die_usage "a label must be KEY=VALUE, got '$l'"
    valid_key "${l%%=*}" || die_usage "'${l%%=*}' is not a valid label key"
    v=${l#*=}
    [[ $v =~ $value_re && ${#v} -le 63 ]] || die_usage "'$v' is not a valid label value (of ${l%%=*})"
done
name_re='^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'
for n in "$CASSANDRA" "$KAFKA" "$JOB"; do
    [[ $n =~ $name_re && ${#n} -le 63 ]] || die_usage "'$n' is not a valid name (lower-case DNS label)"
done
[[ $CASSANDRA != "$KAFKA" ]] || die_usage "--cassandra and --kafka must differ"
JOB_TIMEOUT=${JOB_TIMEOUT:-$((DEADLINE + 300))s}
command -v kubectl >/dev/null || die_usage "kubectl is not on PATH"

if [[ -z $COMMAND ]]; then
    # shellcheck disable=SC2016 # expanded by the pod's shell, not here
    check='echo "cassandra: hosts $CASSANDRA_HOSTS port $CASSANDRA_PORT user $CASSANDRA_USERNAME"
echo "kafka: $KAFKA_BOOTSTRAP_SERVERS ($KAFKA_SECURITY_PROTOCOL) user $KAFKA_USERNAME"
test -n "$CASSANDRA_PASSWORD" && test -n "$KAFKA_PASSWORD"'
    if [[ $SOAK == 1 ]]; then
        COMMAND="set -eu; while true; do $check; sleep 10; done"
    else
        COMMAND="set -eu; $check"
    fi
fi

# kubectl flags every command gets (after the verb: kubectl rejects flags before a plugin's name).
KFLAGS=()
[[ -n $NAMESPACE ]] && KFLAGS+=(--namespace "$NAMESPACE")
[[ -n $CONTEXT ]] && KFLAGS+=(--context "$CONTEXT")
[[ -n $KUBECONFIG_FLAG ]] && KFLAGS+=(--kubeconfig "$KUBECONFIG_FLAG")

# ---- running commands, signals, stages ---------------------------------------------------------------

now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "${t:-$((SECONDS * 1000000))}"; }
secs() { local us=$(($(now_us) - $1)); printf '%d.%01ds' $((us / 1000000)) $((us % 1000000 / 100000)); }

START=$(now_us)
CHILD=
SIGNAL=0      # 130 after SIGINT, 143 after SIGTERM
STAGE=
STAGE_START=

on_signal() {
    SIGNAL=$1
    echo >&2
    if [[ $STAGE == cleanup ]]; then
        echo "pipeline: $([[ $1 == 130 ]] && echo interrupted || echo terminated) again; abandoning the cleanup" >&2
    else
        echo "pipeline: $([[ $1 == 130 ]] && echo interrupted || echo terminated)" \
            "during ${STAGE:-start-up}; stopping and cleaning up" >&2
    fi
    if [[ -n $CHILD ]]; then
        # The child, and a pipeline's members when the child is a subshell.
        command -v pkill >/dev/null && pkill -TERM -P "$CHILD" 2>/dev/null
        kill -TERM "$CHILD" 2>/dev/null
    fi
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

# Run a command in the background and wait for it, so that a signal is handled at once (bash defers
# traps until a foreground command ends; `wait` returns as soon as a trapped signal arrives).
run() {
    local rc
    "$@" &
    CHILD=$!
    while :; do
        wait "$CHILD"
        rc=$?
        if [[ $rc -gt 128 ]] && kill -0 "$CHILD" 2>/dev/null; then continue; fi
        break
    done
    CHILD=
    return "$rc"
}

# Arguments as one would type them: plain words bare, anything else in single quotes.
quote() {
    local a out=()
    for a in "$@"; do
        if [[ $a =~ ^[-A-Za-z0-9_./:=,@%+]+$ ]]; then out+=("$a"); else out+=("'${a//\'/\'\\\'\'}'"); fi
    done
    echo "${out[*]}"
}

# kubectl with the common flags appended, echoed first, through run (kubectl execs the plugin, so the
# background process is the plugin itself and a signal reaches it directly).
k() {
    echo "\$ kubectl $(quote "$@")"
    run kubectl "$@" "${KFLAGS[@]}"
}

stage_begin() {
    STAGE=$1
    STAGE_START=$(now_us)
    echo "==> [$STAGE] $2"
}

stage_end() { echo "<== [$STAGE] ok ($(secs "$STAGE_START"))"; }

# Resources this run created (registered before the create call, so an interrupted call is covered too;
# the broker stage made sure none of these names existed before).
JOB_CREATED=0
BINDINGS=()
INSTANCES=()

# Map a wait/verb exit code to the stage's code: 3 failed → base, 4 timed out → base+1.
stage_code() {
    case $2 in
    4) echo $(($1 + 1)) ;;
    *) echo "$1" ;;
    esac
}

# Remove what this run created, in order: the Job, then the bindings (their Secrets go with them), then
# the instances. Returns the first failing command's exit code.
teardown() {
    local rc=0 r names=()
    if [[ $JOB_CREATED == 1 ]]; then
        k delete job "$JOB" --ignore-not-found --cascade=background --wait=true --timeout="$CLEANUP_TIMEOUT"
        r=$?; [[ $rc == 0 ]] && rc=$r
        [[ $SIGNAL != 0 && $INTERRUPTIBLE == 1 ]] && return "$rc"
    fi
    if [[ ${#BINDINGS[@]} -gt 0 ]]; then
        k osb unbind "${BINDINGS[@]}" --ignore-not-found --wait --timeout "$CLEANUP_TIMEOUT"
        r=$?; [[ $rc == 0 ]] && rc=$r
        [[ $SIGNAL != 0 && $INTERRUPTIBLE == 1 ]] && return "$rc"
    fi
    if [[ ${#INSTANCES[@]} -gt 0 ]]; then
        # Both deprovisions run at the broker at once; one wait watches both until they are gone.
        for i in "${INSTANCES[@]}"; do
            k osb deprovision "$i" --ignore-not-found
            r=$?; [[ $rc == 0 ]] && rc=$r
            [[ $SIGNAL != 0 && $INTERRUPTIBLE == 1 ]] && return "$rc"
            names+=("si/$i")
        done
        k osb wait "${names[@]}" --for=deleted --timeout "$CLEANUP_TIMEOUT"
        r=$?; [[ $rc == 0 ]] && rc=$r
    fi
    return "$rc"
}

# KIND/NAME if it exists, marked when its deletion is under way.
exists() {
    kubectl get "$1" "$2" --ignore-not-found "${KFLAGS[@]}" \
        -o go-template="$1/{{.metadata.name}}{{if .metadata.deletionTimestamp}} (being deleted){{end}}{{\"\\n\"}}"
}

# What of this run's resources still exists (one line each).
leftovers() {
    local out
    out=$(
        {
            [[ $JOB_CREATED == 1 ]] && exists job.batch "$JOB"
            for b in "${BINDINGS[@]}"; do
                exists servicebinding.servicecatalog.k8s.io "$b"
                exists secret "$b"
            done
            for i in "${INSTANCES[@]}"; do
                exists serviceinstance.servicecatalog.k8s.io "$i"
            done
        } 2>&1
    )
    [[ -n $out ]] && echo "$out"
}

INTERRUPTIBLE=0

# A stage failed (or a signal arrived): clean up, report, exit with the stage's code.
fail() {
    local code=$1 why=$2
    [[ $SIGNAL != 0 ]] && code=$SIGNAL
    echo "<== [$STAGE] FAILED after $(secs "$STAGE_START"): $why"
    local failed_stage=$STAGE
    stage_begin cleanup "remove what this run created"
    local saved_signal=$SIGNAL
    SIGNAL=0
    INTERRUPTIBLE=1   # a second Ctrl-C abandons the cleanup
    teardown
    local left
    left=$(leftovers)
    if [[ $SIGNAL != 0 ]]; then
        echo "<== [cleanup] interrupted after $(secs "$STAGE_START")"
    elif [[ -n $left ]]; then
        echo "<== [cleanup] incomplete after $(secs "$STAGE_START")"
    else
        echo "<== [cleanup] ok, nothing left behind ($(secs "$STAGE_START"))"
    fi
    if [[ -n $left ]]; then
        echo "pipeline: left behind (remove by hand, e.g. kubectl osb deprovision NAME --unbind --wait;" \
            "kubectl osb abandon for an orphan):"
        echo "$left" | sed 's/^/  /'
    fi
    [[ $saved_signal != 0 ]] && code=$saved_signal
    echo "pipeline: FAILED at stage $failed_stage (exit $code) after $(secs "$START")"
    exit "$code"
}

# After each command: a signal ends the stage with 130/143 whatever the command returned.
check() {
    local rc=$1 base=$2 what=$3
    # A verb exits 130 on SIGINT: the terminal's Ctrl-C reached it, even if this shell did not see it
    # (a shell started with SIGINT ignored cannot trap it).
    [[ $rc == 130 && $SIGNAL == 0 ]] && SIGNAL=130
    if [[ $SIGNAL != 0 ]]; then fail "$SIGNAL" "interrupted"; fi
    if [[ $rc != 0 ]]; then fail "$(stage_code "$base" "$rc")" "$what (exit $rc)"; fi
}

ann_flags() { local a; for a in "$@"; do printf '%s\0' --annotation "$a"; done; }

# A YAML double-quoted scalar.
yaml_str() {
    local s=$1
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//$'\n'/\\n}
    s=${s//$'\t'/\\t}
    printf '"%s"' "$s"
}

# K=V pairs as "K: "V"" lines indented by $1; of pairs with the same key, the last one counts.
yaml_pairs() {
    local indent=$1 i j
    shift
    local pairs=("$@")
    for ((i = 0; i < ${#pairs[@]}; i++)); do
        for ((j = i + 1; j < ${#pairs[@]}; j++)); do
            [[ ${pairs[j]%%=*} == "${pairs[i]%%=*}" ]] && continue 2
        done
        printf '%s%s: %s\n' "$indent" "${pairs[i]%%=*}" "$(yaml_str "${pairs[i]#*=}")"
    done
}

job_manifest() {
    local soak_note=""
    [[ $SOAK == 1 ]] && soak_note="    kubectl-osb.dev/soak: \"true\""
    cat <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: $JOB
  labels:
    app.kubernetes.io/name: $JOB
    app.kubernetes.io/part-of: kubectl-osb-pipeline
  annotations:
    kubectl-osb.dev/instances: "$CASSANDRA,$KAFKA"
$soak_note
spec:
  parallelism: $PODS
  completions: $PODS
  backoffLimit: 0
  activeDeadlineSeconds: $DEADLINE
  template:
    metadata:
      labels:
$(yaml_pairs '        ' "app.kubernetes.io/name=$JOB" "${POD_LABELS[@]}")
$([[ ${#POD_ANNOTATIONS[@]} -gt 0 ]] && echo '      annotations:' && yaml_pairs '        ' "${POD_ANNOTATIONS[@]}")
    spec:
      restartPolicy: Never
      containers:
      - name: app
        image: "$IMAGE"
        command: ["sh", "-c"]
        args:
        - |
$(sed 's/^/          /' <<<"$COMMAND")
EOF
}

# The Job's manifest, plus extra annotations, plus both bindings' credentials as secretKeyRef env vars
# (never the values), created in one go.
create_job() {
    local annotate=(cat)
    [[ ${#JOB_ANNOTATIONS[@]} -gt 0 ]] && annotate=(kubectl annotate --local -f - "${JOB_ANNOTATIONS[@]}" -o yaml)
    echo "\$ kubectl osb bind env $CASSANDRA --prefix CASSANDRA_ -f job.yaml" \
        "| kubectl osb bind env $KAFKA --prefix KAFKA_ -f - | kubectl create -f -"
    job_manifest | "${annotate[@]}" |
        kubectl osb bind env "$CASSANDRA" --prefix CASSANDRA_ -f - "${KFLAGS[@]}" |
        kubectl osb bind env "$KAFKA" --prefix KAFKA_ -f - "${KFLAGS[@]}" |
        kubectl create -f - "${KFLAGS[@]}"
}

# ---- the workflow -------------------------------------------------------------------------------------

echo "pipeline: namespace ${NAMESPACE:-(current)}, instances $CASSANDRA + $KAFKA, job $JOB" \
    "($PODS pods, deadline ${DEADLINE}s$([[ $SOAK == 1 ]] && echo ', soak'))"

stage_begin broker "the broker is Ready and the names are free"
k osb catalog --check
check $? 10 "the broker is not ready"
taken=$(
    {
        for n in "$CASSANDRA" "$KAFKA"; do
            kubectl get serviceinstances.servicecatalog.k8s.io "$n" --ignore-not-found -o name "${KFLAGS[@]}"
            kubectl get servicebindings.servicecatalog.k8s.io "$n" --ignore-not-found -o name "${KFLAGS[@]}"
            kubectl get secret "$n" --ignore-not-found -o name "${KFLAGS[@]}"
        done
        kubectl get job "$JOB" --ignore-not-found -o name "${KFLAGS[@]}"
    } 2>&1
)
check $? 10 "cannot list the namespace"
if [[ -n $taken ]]; then
    echo "$taken" | sed 's/^/  exists: /'
    fail 10 "these names are taken (by an earlier run?); remove them or choose other names"
fi
stage_end

stage_begin provision "Cassandra $CASSANDRA ($(basename "$CASSANDRA_PAYLOAD")) and Kafka $KAFKA ($(basename "$KAFKA_PAYLOAD")), then wait for both"
INSTANCES+=("$CASSANDRA")
mapfile -d '' -t ca < <(ann_flags "${CASSANDRA_ANNOTATIONS[@]}")
k osb provision "$CASSANDRA" --from-instaclustr "$CASSANDRA_PAYLOAD" --plan "$CASSANDRA_PLAN" \
    -p name="$CASSANDRA" "${CASSANDRA_PARAMS[@]}" \
    -l app.kubernetes.io/part-of=kubectl-osb-pipeline "${ca[@]}"
check $? 20 "provisioning $CASSANDRA"
INSTANCES+=("$KAFKA")
mapfile -d '' -t ka < <(ann_flags "${KAFKA_ANNOTATIONS[@]}")
k osb provision "$KAFKA" --from-instaclustr "$KAFKA_PAYLOAD" "${KAFKA_PARAMS[@]}" \
    -l app.kubernetes.io/part-of=kubectl-osb-pipeline "${ka[@]}"
check $? 20 "provisioning $KAFKA"
# One wait for both: it ends the moment either fails, with the broker's reason.
k osb wait "si/$CASSANDRA" "si/$KAFKA" --for=ready --timeout "$PROVISION_TIMEOUT"
check $? 20 "waiting for the instances"
stage_end

stage_begin bind "bind both instances; the credentials go to Secrets $CASSANDRA and $KAFKA"
for i in "$CASSANDRA" "$KAFKA"; do
    BINDINGS+=("$i")
    k osb bind "$i" --instance "$i" -l app.kubernetes.io/part-of=kubectl-osb-pipeline
    check $? 30 "binding $i"
done
k osb wait "sb/$CASSANDRA" "sb/$KAFKA" --for=ready --timeout "$BIND_TIMEOUT"
check $? 30 "waiting for the bindings"
stage_end

stage_begin job "run Job $JOB ($PODS pods) with the credentials in its environment, and judge it"
JOB_CREATED=1
run create_job
check $? 40 "creating the Job"
deadline_ok=()
[[ $SOAK == 1 ]] && deadline_ok=(--deadline-ok)
k osb wait "job/$JOB" --for=complete "${deadline_ok[@]}" --timeout "$JOB_TIMEOUT"
rc=$?
if [[ $rc == 0 && $SIGNAL == 0 ]]; then
    echo "verdict: PASSED$([[ $SOAK == 1 ]] && echo ' (soak: ran until its deadline)')"
elif [[ $SIGNAL == 0 ]]; then
    echo "verdict: FAILED (logs: kubectl logs -l job-name=$JOB --prefix${NAMESPACE:+ -n $NAMESPACE})"
fi
check $rc 40 "the Job did not pass"
stage_end

stage_begin teardown "delete the Job, unbind, deprovision, and wait until all is gone"
teardown
rc=$?
if [[ $SIGNAL != 0 ]]; then
    fail "$SIGNAL" "interrupted"
fi
if [[ $rc != 0 ]]; then
    code=$(stage_code 50 "$rc")
    echo "<== [teardown] FAILED after $(secs "$STAGE_START") (exit $rc)"
    left=$(leftovers)
    if [[ -n $left ]]; then
        echo "pipeline: left behind (e.g. kubectl osb abandon for an orphan):"
        echo "$left" | sed 's/^/  /'
    fi
    echo "pipeline: the Job passed, but cleanup FAILED (exit $code) after $(secs "$START")"
    exit "$code"
fi
stage_end
echo "pipeline: PASSED in $(secs "$START")"
