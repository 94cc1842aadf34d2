#!/usr/bin/env bash
# A private Redis on loopback, all of it under DIR (no persistence: rate-limit state only).
#   redis.sh start DIR [PORT]   starts, prints its URL
#   redis.sh stop DIR
# Debian's redis-server comes from scripts/setup.sh.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cmd=${1:?usage: redis.sh start|stop DIR [PORT]}
dir=${2:?usage: redis.sh start|stop DIR [PORT]}
port=${3:-56379}
need redis-server redis-server
case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then
      echo "redis://127.0.0.1:$(cat "$dir/redis.port")"
      exit 0
    fi
    echo "$port" > "$dir/redis.port"
    redis-server --bind 127.0.0.1 --port "$port" --protected-mode yes --save "" --appendonly no \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --daemonize yes
    for _ in $(seq 1 50); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
      sleep 0.1
    done
    echo "redis://127.0.0.1:$port"
    ;;
  stop)
    if [ -f "$dir/redis.pid" ]; then
      pid=$(cat "$dir/redis.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$dir/redis.pid"
    fi
    ;;
  *) echo "usage: redis.sh start|stop DIR [PORT]" >&2; exit 2 ;;
esac
