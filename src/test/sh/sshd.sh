#!/bin/sh
# Starts (or reuses) a private sshd on 127.0.0.1 for the integration tests, as the current user,
# with its own host key and a client key it accepts. Everything lives in $DIR; clients use
# "ssh -F $DIR/ssh_config" and reach it as 127.0.0.1 or 127.0.0.2 (or any 127.x address).
# Usage: sshd.sh start|stop [DIR]. Prints the ssh_config path on success.
set -eu
cmd=${1:-start}
DIR=${2:-/tmp/jpack-sshd}

stop() {
  [ -f "$DIR/sshd.pid" ] && kill "$(cat "$DIR/sshd.pid")" 2>/dev/null || true
}
if [ "$cmd" = stop ]; then stop; exit 0; fi

if [ -f "$DIR/ssh_config" ] && [ -f "$DIR/sshd.pid" ] && kill -0 "$(cat "$DIR/sshd.pid")" 2>/dev/null \
    && ssh -F "$DIR/ssh_config" 127.0.0.1 true </dev/null 2>/dev/null; then
  echo "$DIR/ssh_config"; exit 0
fi
stop
sshd=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd" ] || { echo "sshd.sh: no sshd (install openssh-server)" >&2; exit 1; }
mkdir -p "$DIR" /run/sshd
chmod 700 "$DIR"
[ -f "$DIR/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$DIR/host_key"
[ -f "$DIR/client_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$DIR/client_key"
cp "$DIR/client_key.pub" "$DIR/authorized_keys"
# a spare port: ask the kernel for one (python3), else try a few at random until sshd binds one
pick() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
    2>/dev/null || echo $((20000 + ($$ * 7919 + $1 * 104729) % 40000))
}
start() {
cat > "$DIR/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
ListenAddress 127.0.0.2
HostKey $DIR/host_key
PidFile $DIR/sshd.pid
AuthorizedKeysFile $DIR/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin yes
StrictModes no
UsePAM no
MaxStartups 200
MaxSessions 200
PermitUserEnvironment no
AcceptEnv JPACK_*
LogLevel ERROR
CONF
cat > "$DIR/ssh_config" <<CONF
Host *
  Port $port
  IdentityFile $DIR/client_key
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
  BatchMode yes
CONF
  "$sshd" -f "$DIR/sshd_config" -E "$DIR/sshd.log"
}
for try in 1 2 3 4 5; do
  port=$(pick "$try")
  start && break
done
for _ in $(seq 50); do
  if ssh -F "$DIR/ssh_config" 127.0.0.1 true </dev/null 2>/dev/null; then
    echo "$DIR/ssh_config"; exit 0
  fi
  sleep 0.1
done
echo "sshd.sh: sshd did not answer on 127.0.0.1:$port; see $DIR/sshd.log" >&2
exit 1
