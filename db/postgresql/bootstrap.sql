-- Creates the role and databases the auth server uses. Run once as a PostgreSQL superuser:
--   psql -h 127.0.0.1 -U postgres -v password=choose-a-password -f db/postgresql/bootstrap.sql
-- Without -v password=..., the role gets the password 'authserver' (fine for a laptop and CI, not production).
-- Liquibase creates the tables when the server starts; the role only needs to own its databases.
\set ON_ERROR_STOP on
\if :{?password}
\else
\set password authserver
\endif

SELECT format('CREATE ROLE authserver LOGIN PASSWORD %L', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'authserver') \gexec
SELECT format('ALTER ROLE authserver LOGIN PASSWORD %L', :'password') \gexec

SELECT 'CREATE DATABASE authserver OWNER authserver'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'authserver') \gexec
-- The tests' database: tests never drop anything, they add rows with unique names.
SELECT 'CREATE DATABASE authserver_test OWNER authserver'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'authserver_test') \gexec
