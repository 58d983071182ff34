/**
 * Settings every DuckDB of the project runs with once its data is in. The
 * data arrives through JavaScript (Arrow in the page, Parquet read before
 * this in Node), so DuckDB itself never needs to reach a file or a URL:
 * after these, no statement can — read_csv('http://…'), a URL as a table
 * name, ATTACH, COPY, LOAD — and no statement can turn that back on
 * (lock_configuration; only the search path and schema stay settable).
 */

/** Before any data: never fetch an extension from extensions.duckdb.org (the page works offline). */
export const OFFLINE_SETTINGS = ['SET autoinstall_known_extensions = false', 'SET autoload_known_extensions = false'] as const;

/** After the data: no file or network access, and no setting changes any more. */
export const LOCKDOWN_SETTINGS = ['SET enable_external_access = false', 'SET lock_configuration = true'] as const;
