#!/bin/sh
# Runs once, when the Postgres volume is first initialised: the API's login role, a member
# of `bitticket_api` (which the migrations give SELECT on the mirror under row-level
# security, and nothing else). The indexer's migration tolerates the role existing.
set -eu
password=$(cat "$BITTICKET_API_DB_PASSWORD_FILE")
psql -v ON_ERROR_STOP=1 -v pw="$password" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE bitticket_api NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
CREATE ROLE bitticket_api_login LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE
  PASSWORD :'pw' IN ROLE bitticket_api;
SQL
