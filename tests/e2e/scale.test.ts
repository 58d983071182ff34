import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeScaleDataset } from '../../src/cli/bench/data';
import type { Manifest } from '../../src/lib/dataset/columns';
import { PART_AGENCIES, START_TABLES, startFile } from '../../src/lib/db/start';
import { MATRIX_LIMIT } from '../../src/lib/db/queries';
import { MAX_AGENCIES } from '../../src/lib/state/url';
import { datasetTable, launch, openPage, ROOT, serve, type StaticServer } from './harness';

// The site built against a generated dataset of 7,000 reports (1.4 million
// facts) in three parts, as ingest writes a million in ten: the page starts
// with the build's start tables (db/start.ts); the dataset's tables are
// checked at start but read only when a view or the SQL console needs them,
// and then only the part it needs.

const COUNT = 7000;
const PART_REPORTS = 2500;
/** Agencies with stored answers (NIANBAO_STORED_AGENCIES), of the 1,000: a profile of another is DuckDB's. */
const STORED = 500;
const dir = mkdtempSync(join(tmpdir(), 'nianbao-scale-'));
const data = join(dir, 'static', 'data');
let manifest: Manifest;
let server: StaticServer;
let browser: Browser;
/** The agencies the build stored answers for (its answer files say which). */
let stored: Set<string>;

const table = (name: keyof Manifest['files']) => datasetTable(data, name);
/** Bytes the server sent of a table's parts. */
const sent = (t: keyof Manifest['files']) => manifest.files[t].reduce((n, f) => n + (server.sent.get(`/data/${f}`) ?? 0), 0);
const sentStart = (file: string) => server.sent.get(`/start/${file}`) ?? 0;
/** The parts of agencies and report_metrics the server sent (start.ts). */
const partsSent = () =>
	[...server.sent.keys()]
		.filter((p) => /^\/start\/(agencies|report_metrics)-\d+\.parquet$/.test(p))
		.map((p) => p.slice('/start/'.length))
		.sort();
/** Text order as DuckDB sorts it (UTF-8 bytes). */
const compareUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function open(path: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
	const { context, page, errors } = await openPage(browser, server.origin + path);
	await page.waitForSelector('[data-engine="ready"]', { timeout: 60_000 });
	return { page, errors, close: () => context.close() };
}

beforeAll(async () => {
	manifest = await writeScaleDataset(COUNT, data, 5, () => {}, PART_REPORTS);
	const out = join(dir, 'build');
	const r = spawnSync('npx', ['vite', 'build'], {
		cwd: ROOT,
		env: { ...process.env, NIANBAO_STATIC: join(dir, 'static'), NIANBAO_BUILD: out, NIANBAO_STORED_AGENCIES: String(STORED) },
		encoding: 'utf8'
	});
	if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
	const answers = join(out, 'answers');
	stored = new Set(
		readdirSync(answers)
			.filter((f) => /^agencies-\d+\.json$/.test(f))
			.flatMap((f) => (JSON.parse(readFileSync(join(answers, f), 'utf8')) as { capped?: { here: string[] } }).capped?.here ?? [])
	);
	server = await serve(out);
	browser = await launch();
});

afterAll(async () => {
	await browser?.close();
	await server?.close();
	rmSync(dir, { recursive: true, force: true });
});

describe(`dashboard on ${COUNT.toLocaleString('en')} generated reports`, () => {
	it('starts with the build’s start tables only; the dataset’s tables are checked or read on demand', async () => {
		server.sent.clear();
		const v = await open('/');
		for (const t of START_TABLES) expect(sentStart(startFile(t)), t).toBeGreaterThan(0);
		// agencies and report_metrics come from the build's parts, read when a view needs them
		expect(sent('report_metrics')).toBe(0);
		expect(sent('agencies')).toBe(0);
		expect(partsSent()).toEqual([]);
		// facts, metrics and reports: the last 8 bytes of each part (footer length and magic)
		expect(manifest.files.facts).toHaveLength(3);
		for (const t of ['facts', 'metrics', 'reports'] as const) expect(sent(t), t).toBe(8 * manifest.files[t].length);

		// a filter change answers from the cubes, with the numbers of the Parquet rows
		const agencies = await table('agencies');
		const reports = await table('report_metrics');
		const township = new Set(agencies.filter((a) => a.level === '乡').map((a) => a.id));
		const own = reports.filter((r) => township.has(r.agency_id) && r.scope === 'own');
		await v.page.selectOption('select[name=level]', '乡');
		await v.page.waitForSelector('[data-view="overview"][data-source="duckdb"][data-busy="false"]');
		expect(await v.page.textContent('[data-testid="scope"]')).toMatch(
			new RegExp(`^${new Set(own.map((r) => r.agency_id)).size} 个机关 · ${own.length} 份报告`)
		);
		// the report matrix: the first agencies by name, from the parts as far as its last one, not all of them
		const byName = [...agencies].sort((a, b) => compareUtf8(String(a.name), String(b.name)) || compareUtf8(String(a.id), String(b.id)));
		const listed = byName.filter((a) => township.has(a.id)).slice(0, MATRIX_LIMIT);
		expect(await v.page.locator('section.matrix tbody tr').first().textContent()).toContain(String(listed[0].name));
		const last = Math.floor(byName.indexOf(listed.at(-1)!) / PART_AGENCIES);
		expect(partsSent()).toEqual(
			Array.from({ length: last + 1 }, (_, i) => [`agencies-${i}.parquet`, `report_metrics-${i}.parquet`])
				.flat()
				.sort()
		);
		for (const t of ['facts', 'metrics', 'reports'] as const) expect(sent(t), t).toBe(8 * manifest.files[t].length);
		expect(v.errors).toEqual([]);
		await v.close();
	});

	it('an agency profile with stored answers draws its printed tables from its detail file: DuckDB reads no facts', async () => {
		const reports = await table('report_metrics');
		expect(stored.size).toBe(STORED);
		const ids = [...new Set(reports.map((r) => String(r.agency_id)))].filter((id) => stored.has(id)).sort();
		const id = ids[Math.floor(ids.length / 2)];
		const last = reports.filter((r) => r.agency_id === id).sort((a, b) => Number(b.year) - Number(a.year))[0];
		server.sent.clear();
		const v = await open(`/agency?a=${id}`);
		await v.page.waitForSelector('[data-view="agency"][data-ready="true"] table[data-table="三"]', { timeout: 60_000 });
		const cell = await v.page.locator(`[data-testid="key-metrics"] tr[data-metric="requests_received"] td[data-year="${last.year}"]`).innerText();
		expect(cell.trim()).toBe(Number(last.requests_received).toLocaleString('zh-CN'));
		// Only the check at start of each part: the cells came with the agency's answers.
		for (const t of ['facts', 'reports'] as const) expect(sent(t), t).toBe(8 * manifest.files[t].length);
		expect([...server.sent.keys()].filter((p) => /^\/answers\/detail-\d+\.json$/.test(p))).toHaveLength(1);
		expect(v.errors).toEqual([]);
		await v.close();
	});

	it('an agency profile without stored answers reads its own part and row groups of facts, of the one dataset part holding it', async () => {
		const reports = await table('report_metrics');
		const agencies = await table('agencies');
		const ids = [...new Set(reports.map((r) => String(r.agency_id)))].filter((id) => !stored.has(id)).sort();
		const id = ids[Math.floor(ids.length / 2)];
		const last = reports.filter((r) => r.agency_id === id).sort((a, b) => Number(b.year) - Number(a.year))[0];
		// its part: its place in name order, PART_AGENCIES to a part
		const byName = [...agencies].sort((a, b) => compareUtf8(String(a.name), String(b.name)) || compareUtf8(String(a.id), String(b.id)));
		const part = Math.floor(byName.findIndex((a) => a.id === id) / PART_AGENCIES);
		expect(Math.ceil(agencies.length / PART_AGENCIES)).toBeGreaterThan(1);
		server.sent.clear();
		const v = await open(`/?tab=agency&a=${id}`);
		await v.page.waitForSelector('[data-view="agency"][data-ready="true"] table[data-table="三"]', { timeout: 60_000 });
		const cell = await v.page.locator(`[data-testid="key-metrics"] tr[data-metric="requests_received"] td[data-year="${last.year}"]`).innerText();
		expect(cell.trim()).toBe(Number(last.requests_received).toLocaleString('zh-CN'));
		expect(sent('facts')).toBeGreaterThan(8);
		expect(sent('facts')).toBeLessThan(manifest.bytes!.facts.reduce((a, b) => a + b, 0) / 3);
		expect(sent('metrics')).toBe(8 * manifest.files.metrics.length);
		// Of the dataset's parts, only the one holding the agency is opened (the build's spans): the others saw only the check at start.
		for (const t of ['facts', 'reports'] as const) expect(manifest.files[t].filter((f) => (server.sent.get(`/data/${f}`) ?? 0) > 8)).toHaveLength(1);
		expect(partsSent()).toContain(`report_metrics-${part}.parquet`);
		expect(v.errors).toEqual([]);
		await v.close();
	});

	it('the builder says how many of a category the cap on chosen agencies left out, and points to the filters', async () => {
		const count = new Map<string, number>();
		for (const a of await table('agencies')) count.set(String(a.category), (count.get(String(a.category)) ?? 0) + 1);
		const [category, n] = [...count].sort((a, b) => b[1] - a[1])[0];
		expect(n).toBeGreaterThan(MAX_AGENCIES);
		const v = await open('/builder');
		await v.page.selectOption('select[name="add-category"]', category);
		await v.page.locator('.add-group:has(select[name="add-category"]) button').click();
		const note = v.page.locator('[data-picker-full]');
		await note.waitFor();
		expect(await v.page.locator('[data-testid="chips"] li').count()).toBe(MAX_AGENCIES);
		expect(await note.getAttribute('data-picker-full')).toBe(String(n - MAX_AGENCIES));
		expect(await note.innerText()).toContain(`最多选 ${MAX_AGENCIES} 个机关：另有 ${n - MAX_AGENCIES} 个未加入。`);
		expect(await note.innerText()).toContain('改用上方筛选');
		await v.page.screenshot({ path: join(ROOT, 'test-results', 'scale-builder-picker-full.png') });
		// Clearing the choice clears the note with it.
		await v.page.getByRole('button', { name: '清空', exact: true }).click();
		await v.page.locator('[data-testid="chips"]').waitFor({ state: 'detached' });
		expect(await note.count()).toBe(0);
		expect(v.errors).toEqual([]);
		await v.close();
	});

	it('the SQL console sees every row of facts', async () => {
		const v = await open('/?tab=data');
		await v.page.fill('[data-testid="sql-input"]', 'SELECT count(*) AS n FROM facts');
		await v.page.click('[data-testid="sql-run"]');
		await v.page.waitForSelector('[data-testid="sql-status"][data-state="done"]', { timeout: 60_000 });
		expect((await v.page.locator('[data-testid="sql-result"] tbody td').first().innerText()).replace(/\D/g, '')).toBe(String(manifest.counts.facts));
		expect(v.errors).toEqual([]);
		await v.close();
	});
});
