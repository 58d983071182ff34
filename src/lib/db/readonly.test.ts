import { describe, expect, it } from 'vitest';
import { checkReadOnly } from './readonly';

const ok = (sql: string) => checkReadOnly(sql).ok;
const reason = (sql: string) => {
	const c = checkReadOnly(sql);
	return c.ok ? 'ok' : `${c.code}:${c.keyword}`;
};

describe('the console runs one read-only statement', () => {
	it('accepts queries, plans of queries, DESCRIBE, SHOW and PRAGMA table_info', () => {
		for (const q of [
			'SELECT 1',
			'  select * from reports limit 5;  ',
			'WITH x AS (SELECT 1 AS a) SELECT a FROM x',
			'(SELECT 1) UNION ALL (SELECT 2)',
			'EXPLAIN SELECT * FROM facts',
			'EXPLAIN ANALYZE WITH t AS (SELECT 1) SELECT * FROM t',
			'DESCRIBE reports',
			'describe select year from reports',
			'SHOW TABLES',
			'FROM reports',
			'from reports select year where year > 2020',
			'VALUES (1), (2)',
			'SUMMARIZE report_metrics',
			'SUMMARIZE SELECT year FROM reports',
			'PIVOT reports ON year USING count(*)',
			'UNPIVOT report_metrics ON requests_new INTO NAME k VALUE v',
			'EXPLAIN FROM reports',
			"PRAGMA table_info('metrics')",
			"SELECT ';' AS semi, 'DROP TABLE x; --' AS s -- trailing ; comment\n",
			'SELECT $$ ; DELETE $$ AS d',
			// DuckDB refuses COPY, LOAD and SET itself: as names in a query they are only names
			'SELECT 1 AS copy, 2 AS load, 3 AS set',
			'/* leading; comment */ SELECT 2'
		])
			expect(ok(q), q).toBe(true);
	});

	it('says why anything else is refused', () => {
		expect(reason('')).toBe('empty:');
		expect(reason(' ; -- nothing')).toBe('empty:');
		expect(reason('SELECT 1; DROP TABLE reports')).toBe('multiple:2');
		expect(reason('DROP TABLE reports')).toBe('not_read_only:DROP');
		expect(reason('insert into reports select * from reports')).toBe('not_read_only:INSERT');
		expect(reason('WITH x AS (SELECT 1) INSERT INTO reports SELECT * FROM x')).toBe('not_read_only:INSERT');
		expect(reason('WITH x AS (SELECT 1) DELETE FROM reports')).toBe('not_read_only:DELETE');
		expect(reason('EXPLAIN ANALYZE DELETE FROM reports')).toBe('not_read_only:DELETE');
		expect(reason("COPY reports TO 'x.csv'")).toBe('not_read_only:COPY');
		expect(reason("ATTACH 'x.db'")).toBe('not_read_only:ATTACH');
		expect(reason('SET threads = 1')).toBe('not_read_only:SET');
		expect(reason('PRAGMA enable_profiling')).toBe('not_read_only:PRAGMA ENABLE_PROFILING');
		expect(reason("SELECT 'unterminated")).toBe('unterminated:');
		expect(reason('SELECT 1 /* open')).toBe('unterminated:');
	});

	it('returns the statement without comments or the final semicolon', () => {
		const c = checkReadOnly('-- top\nSELECT year FROM reports; ');
		expect(c).toEqual({ ok: true, statement: 'SELECT year FROM reports', kind: 'query' });
	});
});
