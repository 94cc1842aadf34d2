#!/bin/sh
# Runs once, when the Postgres volume is first initialised: the login roles of the
# indexer and the API, members of `bitticket_indexer` (DML on the mirror's tables) and
# `bitticket_api` (SELECT on the mirror under row-level security), which the migrations
# give their rights; neither owns anything. The tables' owner (POSTGRES_USER) applies the
# migrations (the `migrate` service), which tolerate the roles existing.
set -eu
api=$(cat "$BITTICKET_API_DB_PASSWORD_FILE")
indexer=$(cat "$BITTICKET_INDEXER_DB_PASSWORD_FILE")
psql -v ON_ERROR_STOP=1 -v api="$api" -v indexer="$indexer" \
  --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE bitticket_api NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
CREATE ROLE bitticket_api_login LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE
  PASSWORD :'api' IN ROLE bitticket_api;
CREATE ROLE bitticket_indexer NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
CREATE ROLE bitticket_indexer_login LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE
  PASSWORD :'indexer' IN ROLE bitticket_indexer;
SQL
