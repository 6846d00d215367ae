#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh into an EMPTY database and media directory, checking
# the files' checksums first. Then run `sac migrate` (a newer binary applies what is missing)
# and `sac audit verify` (the access log's chain must still hold).
#
#   deploy/restore.sh <backup-dir> <database-url> <media-dir>
set -euo pipefail
if [[ $# -ne 3 ]]; then
  echo "usage: $0 <backup-dir> <database-url> <media-dir>" >&2
  exit 2
fi
backup=$1
database_url=$2
media_dir=$3
(cd "$backup" && sha256sum --check --quiet SHA256SUMS)
if [[ -n "$(psql --dbname="$database_url" -Atc "SELECT 1 FROM pg_tables WHERE tablename = 'boleta'")" ]]; then
  echo "restore.sh: the database already has SAC's tables; restore into an empty one" >&2
  exit 1
fi
# The application's role is the cluster's, not the dump's: make sure it exists so the grants
# (and the revokes that keep the logs append-only) are restored with the tables.
psql --dbname="$database_url" -q -v ON_ERROR_STOP=1 -c \
  "DO \$\$ BEGIN CREATE ROLE sac_app NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$;"
pg_restore --no-owner --exit-on-error --dbname="$database_url" "$backup/database.dump"
mkdir -p "$media_dir"
tar -C "$media_dir" -xf "$backup/media.tar"
echo "restored $backup"
