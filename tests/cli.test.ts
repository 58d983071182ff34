/**
 * The `parse` command as a user runs it: `npx tsx src/cli/main.ts parse …` on
 * two fixtures and one bad file.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const GOOD_A = 'tests/fixtures/gbk-meta.html';
const GOOD_B = 'tests/fixtures/official-2019.html';
const BAD = 'tests/fixtures/bad/news-article.html';

const JSON_KEYS = [
	'schema',
	'agency',
	'year',
	'template',
	'active',
	'requests',
	'review',
	'litigation_direct',
	'litigation_after_review',
	'file',
	'issues',
	'provenance',
	'scope'
];

function cli(...args: string[]): SpawnSyncReturns<string> {
	return spawnSync('npx', ['tsx', 'src/cli/main.ts', ...args], {
		cwd: process.cwd(),
		encoding: 'utf8',
		timeout: 60_000,
		env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }
	});
}

function lines(s: string): string[] {
	return s.split('\n').filter((l) => l.trim() !== '');
}

function expected(fixture: string): Record<string, unknown> {
	return JSON.parse(readFileSync(fixture.replace(/\.[^./]+$/, '.expected.json'), 'utf8'));
}

function noStackTrace(r: SpawnSyncReturns<string>) {
	for (const l of [...lines(r.stdout), ...lines(r.stderr)]) expect(l, 'a stack-trace line').not.toMatch(/^\s*at\s/);
	expect(r.stderr).not.toMatch(/TypeError|ReferenceError|RangeError|SyntaxError|node:internal/);
}

describe('cli parse', () => {
	it('--json: one JSON line per good file in schema.md key order, one stderr line for the bad file, exit 1', () => {
		const r = cli('parse', '--json', GOOD_A, GOOD_B, BAD);
		expect(r.error).toBeUndefined();
		expect(r.status).toBe(1);

		const out = lines(r.stdout);
		expect(out).toHaveLength(2);
		const records = out.map((l) => JSON.parse(l));
		for (const [i, file] of [GOOD_A, GOOD_B].entries()) {
			const rec = records[i];
			expect(Object.keys(rec)).toEqual(JSON_KEYS);
			expect(rec.file).toBe(file);
			expect(Array.isArray(rec.issues)).toBe(true);
			// The report's scope, decided as ingest decides it (agencies/scope.ts), beside the record.
			expect(['own', 'aggregate', 'unknown']).toContain(rec.scope.value);
			expect(rec.scope.evidence).toBeTruthy();
			const { file: _f, issues: _i, scope: _s, provenance, ...record } = rec;
			expect(record).toEqual(expected(file));
			// Every cell of the record is placed: table, printed row label, column, and how it was read.
			expect(provenance['requests.granted.natural']).toMatchObject({ how: 'read', table: '三', column: 'natural' });
			expect(Object.keys(provenance).length).toBeGreaterThan(150);
		}

		const err = lines(r.stderr);
		expect(err).toHaveLength(1);
		expect(err[0]).toContain(BAD);
		expect(err[0]).toMatch(/不是政府信息公开工作年度报告/);
		noStackTrace(r);
	});

	it('human summary names agency, year and template; exit 0 when every file parses', () => {
		const r = cli('parse', GOOD_A, GOOD_B);
		expect(r.status).toBe(0);
		expect(r.stdout).toContain(GOOD_A);
		expect(r.stdout).toContain('样例市水务局');
		expect(r.stdout).toMatch(/2022/);
		expect(r.stdout).toMatch(/template\s*2021/);
		expect(r.stdout).toContain('示范县人民政府');
		expect(r.stdout).toMatch(/2020/);
		expect(r.stdout).toMatch(/template\s*2019/);
		expect(lines(r.stderr)).toEqual([]);
		noStackTrace(r);
	});

	it('a missing file is one stderr line, not a stack trace', () => {
		const r = cli('parse', '--json', 'tests/fixtures/does-not-exist.html');
		expect(r.status).toBe(1);
		expect(lines(r.stdout)).toEqual([]);
		const err = lines(r.stderr);
		expect(err).toHaveLength(1);
		expect(err[0]).toContain('tests/fixtures/does-not-exist.html');
		noStackTrace(r);
	});
});
