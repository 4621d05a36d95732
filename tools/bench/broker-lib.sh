# Sourced by the bench scripts (bash): starts a Release strata-broker for one
# script run and reads its addresses from the ready line.
#
#   start_strata_broker BIN DIR   data in DIR/data, stdout/stderr in DIR;
#                                 sets broker_pid, native and kafka, or
#                                 exits 1 with the broker's stderr
#   field NAME LINE               the value of " NAME=value" in LINE

start_strata_broker() {
  local bin=$1 dir=$2 ready
  "$bin" --data-dir "$dir/data" --listen 127.0.0.1:0 --http-listen 127.0.0.1:0 \
    --kafka-listen 127.0.0.1:0 >"$dir/broker.out" 2>"$dir/broker.err" &
  broker_pid=$!
  for _ in $(seq 200); do
    grep -q '^strata-broker ready' "$dir/broker.out" 2>/dev/null && break
    sleep 0.1
  done
  ready=$(head -1 "$dir/broker.out")
  native=$(sed -n 's/^strata-broker ready.* native=\([^ ]*\).*/\1/p' <<<"$ready")
  kafka=$(sed -n 's/^strata-broker ready.* kafka=\([^ ]*\).*/\1/p' <<<"$ready")
  if [ -z "$native" ] || [ -z "$kafka" ]; then
    echo "broker not ready (ready line: '$ready')" >&2
    cat "$dir/broker.err" >&2
    exit 1
  fi
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
