import { createDuckDB, NODE_RUNTIME, VoidLogger, type DuckDBBindings, type DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableSql } from '../../src/lib/dataset/columns';
import { LOCKDOWN_SETTINGS, OFFLINE_SETTINGS } from '../../src/lib/db/lockdown';

// The page's DuckDB (duckdb-wasm 1.32.0, DuckDB 1.4.3), in Node: its file
// system here is the disk, so a file stands in for the canary URL of the
// browser test (tests/e2e/console-egress.test.ts), where it is HTTP.

const dist = join(dirname(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm')));
const dir = mkdtempSync(join(tmpdir(), 'nianbao-lockdown-'));
const secret = join(dir, 'secret.csv');
let db: DuckDBBindings;

async function open(): Promise<DuckDBConnection> {
	const d = await createDuckDB(
		{ mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' }, eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' } },
		new VoidLogger(),
		NODE_RUNTIME
	);
	await d.instantiate();
	d.open({});
	db = d;
	const conn = d.connect();
	for (const s of OFFLINE_SETTINGS) conn.query(s);
	conn.query(createTableSql('facts'));
	return conn;
}

/** The error a statement ends in, or null when it runs. */
function failure(conn: DuckDBConnection, text: string): string | null {
	try {
		conn.query(text);
		return null;
	} catch (e) {
		return e instanceof Error ? e.message : String(e);
	}
}

/** Ways SQL can name a file (the browser test points them at a URL); each reads it without the lockdown. */
const READS = (path: string) => [
	`SELECT * FROM read_csv('${path}')`,
	`select * from READ_CSV_AUTO ( ['${path}'] )`,
	`SELECT * FROM read_text('${path}')`,
	`SELECT * FROM read_blob('${path}')`,
	`SELECT * FROM '${path}'`,
	`FROM "${path}"`,
	`SELECT * FROM glob('${path}')`,
	`SELECT * FROM sniff_csv('${path}')`,
	`DESCRIBE SELECT * FROM '${path}'`,
	`DESCRIBE '${path}'`,
	`SHOW SELECT * FROM read_csv('${path}')`,
	`EXPLAIN SELECT * FROM read_text('${path}')`,
	`EXPLAIN ANALYZE SELECT * FROM read_csv('${path}')`,
	`SUMMARIZE SELECT * FROM '${path}'`,
	`WITH x AS (SELECT * FROM read_text('${path}')) SELECT * FROM x`,
	`SELECT (SELECT content FROM read_text('${path}')) AS c`,
	// SQL inside a string: no check of the text can see these.
	`SELECT * FROM query_table('${path}')`,
	`SELECT * FROM query('SELECT * FROM read_text(''${path}'')')`
];
// (INSTALL only records a name in DuckDB-WASM; LOAD is what would fetch.)
const WRITES = (path: string) => [
	`COPY (SELECT 1 AS a) TO '${path}'`,
	`COPY facts FROM '${secret}'`,
	`ATTACH '${path}' AS other`,
	`EXPORT DATABASE '${path}'`,
	`IMPORT DATABASE '${dir}'`,
	`LOAD '${path}'`,
	'LOAD httpfs'
];

beforeAll(() => writeFileSync(secret, 'a,b\n1,2\n'));
afterAll(() => {
	db?.reset();
	rmSync(dir, { recursive: true, force: true });
});

describe('DuckDB after the lockdown', () => {
	it('reads and writes files before it (what the lockdown must stop)', async () => {
		const conn = await open();
		for (const text of READS(secret)) expect(failure(conn, text), text).toBeNull();
		expect(failure(conn, `COPY (SELECT 1 AS a) TO '${join(dir, 'before.csv')}'`)).toBeNull();
		expect(existsSync(join(dir, 'before.csv'))).toBe(true);
		conn.close();
	});

	it('refuses every spelling of a file, and any setting back', async () => {
		const conn = await open();
		for (const s of LOCKDOWN_SETTINGS) conn.query(s);
		for (const text of READS(secret)) expect(failure(conn, text), text).toMatch(/Permission Error: .* disabled by configuration/);
		const out = join(dir, 'after.db');
		for (const text of WRITES(out)) expect(failure(conn, text), text).not.toBeNull();
		expect(existsSync(out)).toBe(false);
		for (const text of [
			'SET enable_external_access = true',
			'RESET enable_external_access',
			'SET lock_configuration = false',
			'SET GLOBAL lock_configuration = false',
			'SET autoload_known_extensions = true',
			`SET custom_extension_repository = 'http://127.0.0.2:9'`,
			`SET allowed_directories = ['${dir}']`
		])
			expect(failure(conn, text), text).toMatch(/locked/);
		expect(readFileSync(secret, 'utf8')).toBe('a,b\n1,2\n');
		conn.close();
	});

	it('still takes rows as Arrow, and the console still sets up its views and search path', async () => {
		const conn = await open();
		for (const s of LOCKDOWN_SETTINGS) conn.query(s);
		const rows = tableFromArrays({
			report_id: ['a-2021', 'b-2022'],
			table_no: ['三', '四'],
			row_key: ['x', 'y'],
			column_key: ['total', 'total'],
			value: Float64Array.from([3, 4]),
			how: ['read', 'inferred'],
			printed_row: ['x', 'y'],
			page: Int32Array.from([3, 4]),
			reason: [null, '正文：“本年度制发规范性文件12件。”']
		});
		conn.insertArrowFromIPCStream(tableToIPC(rows, 'stream'), { name: 'facts', create: false });
		conn.query(`DELETE FROM facts WHERE report_id = 'b-2022'`);
		const other = db.connect();
		other.query('CREATE SCHEMA console');
		other.query('CREATE VIEW console.facts AS SELECT * FROM main.facts');
		other.query(`SET search_path = 'console'`);
		expect(
			other
				.query('SELECT report_id, value FROM facts')
				.toArray()
				.map((r) => r.toJSON())
		).toEqual([{ report_id: 'a-2021', value: 3 }]);
		other.close();
		conn.close();
	});
});
