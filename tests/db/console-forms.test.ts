import { createDuckDB, NODE_RUNTIME, VoidLogger, type DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTableSql } from '../../src/lib/dataset/columns';
import { LOCKDOWN_SETTINGS, OFFLINE_SETTINGS } from '../../src/lib/db/lockdown';
import { checkReadOnly, CONSOLE_SCHEMA, CONSOLE_VIEWS } from '../../src/lib/db/readonly';

// DuckDB's read-only forms in the console, run by the page's own DuckDB (duckdb-wasm 1.32.0) in Node,
// over the console's views as console.ts makes them.

const dist = dirname(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
let conn: DuckDBConnection;

/** Rows of what the console would run for `text` (it must pass the check). */
function run(text: string): Record<string, unknown>[] {
	const check = checkReadOnly(text);
	if (!check.ok) throw new Error(`refused: ${check.code} ${check.keyword}`);
	return conn
		.query(check.statement)
		.toArray()
		.map((r) => r.toJSON());
}

beforeAll(async () => {
	const db = await createDuckDB(
		{ mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' }, eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' } },
		new VoidLogger(),
		NODE_RUNTIME
	);
	await db.instantiate();
	db.open({ query: { castBigIntToDouble: true } });
	conn = db.connect();
	for (const s of OFFLINE_SETTINGS) conn.query(s);
	for (const v of CONSOLE_VIEWS) conn.query(createTableSql(v));
	conn.query("INSERT INTO report_metrics (report_id, agency_id, year) VALUES ('r1', 'a1', 2023), ('r2', 'a1', 2024), ('r3', 'a2', 2024)");
	for (const s of LOCKDOWN_SETTINGS) conn.query(s);
	conn.query(`CREATE SCHEMA ${CONSOLE_SCHEMA}`);
	for (const v of CONSOLE_VIEWS) conn.query(`CREATE VIEW ${CONSOLE_SCHEMA}.${v} AS SELECT * FROM main.${v}`);
	conn.query(`SET search_path = '${CONSOLE_SCHEMA}'`);
});

describe("the console's read-only forms", () => {
	it('runs FROM-first, VALUES, SUMMARIZE and PIVOT over the views', () => {
		expect(run('FROM report_metrics SELECT year ORDER BY year')).toEqual([{ year: 2023 }, { year: 2024 }, { year: 2024 }]);
		expect(run('VALUES (1, 2)')).toHaveLength(1);
		expect(run('SUMMARIZE report_metrics').map((r) => r.column_name)).toContain('agency_id');
		expect(run('PIVOT (FROM report_metrics SELECT agency_id, year) ON year USING count(*) ORDER BY agency_id')).toEqual([
			{ agency_id: 'a1', '2023': 1, '2024': 1 },
			{ agency_id: 'a2', '2023': 0, '2024': 1 }
		]);
	});

	it('SHOW TABLES lists each view once, report_metrics among them', () => {
		expect(run('SHOW TABLES').map((r) => r.name)).toEqual([...CONSOLE_VIEWS].sort());
	});

	it('still refuses writes to the loaded tables in the new forms', () => {
		expect(checkReadOnly('FROM reports; DELETE FROM reports').ok).toBe(false);
		expect(checkReadOnly('WITH x AS (FROM reports) DELETE FROM reports').ok).toBe(false);
		expect(checkReadOnly('CREATE TABLE t AS FROM reports').ok).toBe(false);
	});
});
