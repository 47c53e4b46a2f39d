#!/usr/bin/env bash
# The seed scenario through boto3 (Debian's python3-boto3) only: publish the
# curl and jansson layers and the fetch_todos function as zips (Lambda API),
# make the bucket (S3 API), the state machine (Step Functions API), the
# daily rule cron(0 12 * * ? *) with its target (EventBridge API), fire the
# machine with a one-time at() schedule (Scheduler API), then read the
# stored object with s3.get_object.
. "$(dirname "$0")/lib.sh"
e2e_init api_boto3_seed
need curl
PY=/usr/bin/python3
[ -x "$PY" ] || skip "/usr/bin/python3 is not installed"
"$PY" -c 'import boto3' 2>/dev/null || skip "Debian's python3-boto3 is not installed"

exec 3< <(exec "$TUTTI_TOP/$BUILD/fixtures/http_fixture" 0 </dev/null)
fixture_pid=$!
E2E_PIDS+=("$fixture_pid")
read -r fport <&3
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$TUTTI" serve --listen "127.0.0.1:$PORT" 2>"$W/serve.log" &
E2E_PIDS+=("$!")
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.05; done

AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \
"$PY" - "http://127.0.0.1:$PORT" "http://127.0.0.1:$fport/todos" "$TUTTI_TOP" "$BUILD" "$W" <<'EOF' || fail "the seed scenario through boto3"
import io, json, os, sys, time, zipfile, datetime
import boto3
from botocore.config import Config

endpoint, todos_url, top, build, w = sys.argv[1:6]
cfg = Config(retries={"max_attempts": 1}, inject_host_prefix=False)
def client(name):
    return boto3.client(name, endpoint_url=endpoint, config=cfg)
lam, s3, sfn, events, sched = (client(n) for n in ("lambda", "s3", "stepfunctions", "events", "scheduler"))

def zip_dir(d):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for root, _, files in os.walk(d):
            for f in files:
                p = os.path.join(root, f)
                if os.path.islink(p):
                    continue
                z.write(p, os.path.relpath(p, d))
    return b.getvalue()

layers = []
for name in ("curl", "jansson"):
    r = lam.publish_layer_version(LayerName=name, Content={"ZipFile": zip_dir(f"{top}/{build}/layers/{name}")})
    layers.append(r["LayerVersionArn"])
print("layers:", layers)

code = io.BytesIO()
with zipfile.ZipFile(code, "w") as z:
    z.write(f"{top}/{build}/examples/fetch_todos.so", "fetch_todos.so")
fn = lam.create_function(FunctionName="fetch_todos", Runtime="provided.al2023",
                         Role="arn:aws:iam::000000000000:role/tutti", Handler="fetch_todos.handler",
                         Code={"ZipFile": code.getvalue()}, Layers=layers, Timeout=30,
                         Tags={"tutti:network": "on"})
print("function:", fn["FunctionArn"])

s3.create_bucket(Bucket="todos")
definition = open(f"{top}/examples/daily-todos/daily-todos.asl.json").read()
sm = sfn.create_state_machine(name="daily-todos", definition=definition,
                              roleArn="arn:aws:iam::000000000000:role/tutti")["stateMachineArn"]
print("state machine:", sm)

events.put_rule(Name="daily-todos", ScheduleExpression="cron(0 12 * * ? *)")
events.put_targets(Rule="daily-todos", Targets=[{"Id": "1", "Arn": sm, "Input": json.dumps({"url": todos_url})}])
rules = events.list_rules(NamePrefix="daily")["Rules"]
assert rules and rules[0]["ScheduleExpression"] == "cron(0 12 * * ? *)", rules

at = (datetime.datetime.utcnow() + datetime.timedelta(seconds=3)).strftime("%Y-%m-%dT%H:%M:%S")
sched.create_schedule(Name="todos-now", ScheduleExpression=f"at({at})", FlexibleTimeWindow={"Mode": "OFF"},
                      Target={"Arn": sm, "RoleArn": "arn:aws:iam::000000000000:role/tutti",
                              "Input": json.dumps({"url": todos_url})})
print("fires at", at)

deadline = time.time() + 60
done = None
while time.time() < deadline:
    ex = sfn.list_executions(stateMachineArn=sm)["executions"]
    done = [e for e in ex if e["status"] != "RUNNING"]
    if done:
        break
    time.sleep(0.2)
assert done, "the schedule did not fire"
d = sfn.describe_execution(executionArn=done[0]["executionArn"])
assert d["status"] == "SUCCEEDED", d
out = json.loads(d["output"])
obj = s3.get_object(Bucket="todos", Key=out["key"])
items = json.loads(obj["Body"].read())
assert len(items) == out["items"] == 200, (len(items), out)
hist = sfn.get_execution_history(executionArn=d["executionArn"], maxResults=5)
assert hist["events"][0]["type"] == "ExecutionStarted" and "nextToken" in hist
print("stored", out["key"], "with", len(items), "todos")
EOF
ok "the seed scenario through boto3: layers, function, bucket, state machine, rule, schedule, object"
