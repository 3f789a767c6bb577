#!/usr/bin/env bash
# Start RabbitMQ as the rabbitmq user on a volume it owns (a new named volume is root's).
set -Eeuo pipefail
if [ "$1" = rabbitmq-server ]; then
  mkdir -p /var/lib/rabbitmq
  chown -R rabbitmq:rabbitmq /var/lib/rabbitmq
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server
fi
exec "$@"
