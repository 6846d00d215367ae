#!/usr/bin/env bash
# Backs up SAC: the database (pg_dump custom format: every table, the access log's chain
# included) and the media store (content-addressed files), into one dated directory.
#
#   deploy/backup.sh <database-url> <media-dir> <backup-dir>
#
# Both hold citizens' personal data: keep backups encrypted and as guarded as the server.
# Restore with deploy/restore.sh. A backup taken while SAC runs is consistent for the database
# (one snapshot); a media file written during the copy is at worst missing from it, and a file
# is only ever referenced after it is on disk.
set -euo pipefail
if [[ $# -ne 3 ]]; then
  echo "usage: $0 <database-url> <media-dir> <backup-dir>" >&2
  exit 2
fi
database_url=$1
media_dir=$2
backup_root=$3
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$backup_root/sac-$stamp"
umask 077
mkdir -p "$target"
pg_dump --format=custom --no-owner --dbname="$database_url" --file="$target/database.dump"
if [[ -d "$media_dir" ]]; then
  tar -C "$media_dir" -cf "$target/media.tar" .
else
  tar -cf "$target/media.tar" --files-from /dev/null
fi
(cd "$target" && sha256sum database.dump media.tar > SHA256SUMS)
echo "$target"
