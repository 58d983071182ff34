import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAgency } from '../src/lib/agencies/index';
import { reportId, factsOf } from '../src/lib/dataset/tables';
import type { Manifest } from '../src/lib/dataset/columns';
import { generateReport } from '../src/lib/synthetic/index';
import { toRecord } from '../src/lib/report/validate';
import { parseReport } from '../src/lib/report/index';
import { runCli, startCli } from './helpers/cli';
import { readParquet } from './helpers/parquet';
import { CORPUS, hasCorpus } from './corpus';

const work = mkdtempSync(join(tmpdir(), 'nianbao-ingest-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function manifestOf(out: string): Manifest {
	return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
}

function table(out: string, name: keyof Manifest['files'], sql?: string) {
	return readParquet(
		manifestOf(out).files[name].map((f) => join(out, f)),
		sql
	);
}

function truthFiles(dir: string): { file: string; record: Record<string, unknown> }[] {
	const out: { file: string; record: Record<string, unknown> }[] = [];
	const walk = (d: string) => {
		for (const e of readdirSync(d, { withFileTypes: true })) {
			const p = join(d, e.name);
			if (e.isDirectory()) walk(p);
			else if (e.name.endsWith('.json')) out.push({ file: p, record: JSON.parse(readFileSync(p, 'utf8')) });
		}
	};
	walk(dir);
	return out;
}

describe.skipIf(!hasCorpus)('ingest of ../shared/corpus', () => {
	const out = join(work, 'corpus-data');
	let result: ReturnType<typeof runCli>;
	beforeAll(() => {
		result = runCli(['ingest', join(CORPUS, 'reports'), join(CORPUS, 'records'), '--out', out, '--quiet']);
	});

	it('succeeds and names every file it could not use', () => {
		expect(result.code, result.stderr).toBe(0);
		const m = manifestOf(out);
		for (const f of m.failed) expect(result.stdout).toContain(f.file);
		// *.truth.json beside documents are test data, never input
		expect(m.skipped.filter((s) => s.includes('.truth.json')).length).toBe(
			readdirSync(join(CORPUS, 'reports')).filter((f) => f.endsWith('.truth.json')).length
		);
		const sources: { file: string }[] = JSON.parse(readFileSync(join(out, m.sources_file!), 'utf8'));
		expect(sources.length).toBe(m.counts.files_read);
		expect(sources.every((s) => !s.file.endsWith('.truth.json'))).toBe(true);
	});

	it('stores every number of every truth file and record exactly', async () => {
		const facts = await table(out, 'facts');
		const byReport = new Map<string, string[]>();
		for (const f of facts) {
			const key = `${f.table_no}|${f.row_key}|${f.column_key}|${f.value}`;
			byReport.set(f.report_id as string, [...(byReport.get(f.report_id as string) ?? []), key]);
		}
		const m = manifestOf(out);
		const failedDocs = new Set(m.failed.map((f) => f.file.replace(/\.[^.]+$/, '')));
		const truths = [
			...truthFiles(join(CORPUS, 'records')),
			...truthFiles(join(CORPUS, 'reports')).filter((t) => !failedDocs.has(`reports/${t.file.split('/').pop()!.replace('.truth.json', '')}`))
		];
		expect(truths.length).toBeGreaterThanOrEqual(86);
		for (const t of truths) {
			const record = toRecord(t.record);
			const id = reportId(describeAgency(record.agency).id, record.year);
			const want = factsOf(id, record)
				.map((f) => `${f.table_no}|${f.row_key}|${f.column_key}|${f.value}`)
				.sort();
			expect(byReport.get(id)?.sort(), t.file).toEqual(want);
		}
	});

	it('places every agency in its region and category', async () => {
		const agencies = await table(out, 'agencies');
		const got = Object.fromEntries(agencies.map((a) => [a.name, [a.county_code ?? a.city_code ?? a.province_code, a.level, a.category]]));
		const pingtan = (category: string) => ['350128', '县', category];
		expect(got).toMatchObject({
			周口市公安局: ['4116', '市', '公安'],
			上海市人民政府办公厅: ['3101', '省', '办公室/办公厅'],
			沭阳县发展和改革局: ['321322', '县', '发展改革'],
			平潭综合实验区: pingtan('人民政府'),
			平潭综合实验区公安局: pingtan('公安'),
			平潭综合实验区农业农村局: pingtan('农业农村'),
			平潭综合实验区财政金融局: pingtan('财政'),
			平潭综合实验区市场监督管理局: pingtan('市场监管'),
			平潭综合实验区管委会办公室: pingtan('办公室/办公厅')
		});
		for (const a of agencies) {
			expect(a.province_code, `${a.name} has a province`).toBeTruthy();
			expect(a.note, `${a.name}`).toBeNull();
		}
	});

	it('merges one body whose title changed between years (洪泽区人民政府 / 淮安市洪泽区人民政府)', () => {
		expect(describeAgency('洪泽区人民政府').id).toBe(describeAgency('淮安市洪泽区人民政府').id);
	});

	it('computes metrics from the catalog, with fee revenue only for 2021-template reports', async () => {
		const metrics = await table(out, 'metrics');
		const reports = await table(out, 'reports');
		const templateOf = new Map(reports.map((r) => [r.report_id, r.template]));
		const fees = metrics.filter((m) => m.metric === 'fee_revenue');
		expect(fees.length).toBeGreaterThan(10);
		expect(fees.every((m) => templateOf.get(m.report_id) === '2021')).toBe(true);
		const zhoukou = reportId(describeAgency('周口市公安局').id, 2023);
		const z = Object.fromEntries(metrics.filter((m) => m.report_id === zhoukou).map((m) => [m.metric, m.value]));
		expect(z.requests_received).toBe(15);
		expect(z.grant_rate).toBeCloseTo(4 / 15, 10);
		expect(z.not_held_rate).toBeCloseTo(10 / 15, 10);
		expect(z.fee_revenue).toBe(12592.22);
		expect(z.review_correction_rate).toBe(0);
	});

	it('keeps broken rules as issues, per report', async () => {
		const issues = await table(out, 'issues');
		const shanghai = reportId(describeAgency('上海市人民政府办公厅').id, 2019);
		expect(issues.filter((i) => i.report_id === shanghai && i.code === 'rule_row_total')).toHaveLength(11);
	});
});

/** A folder of generated reports (fast to parse, realistic). */
function generated(dir: string, count: number, start = 1) {
	mkdirSync(dir, { recursive: true });
	for (let i = start; i < start + count; i++) {
		const g = generateReport(i, { format: i % 2 ? 'html' : 'text', index: i });
		writeFileSync(join(dir, g.fileName), g.bytes);
	}
}

describe('ingest behaviour', () => {
	it('reports bad files by name and reason and ingests the rest', () => {
		const dir = join(work, 'bad');
		generated(dir, 3);
		writeFileSync(join(dir, 'empty.txt'), '');
		writeFileSync(join(dir, 'binary.html'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]));
		writeFileSync(join(dir, 'scan.pdf'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
		writeFileSync(join(dir, 'news.html'), '<html><head><title>本市召开会议</title></head><body><p>今天召开了全市工作会议。</p></body></html>');
		const g = generateReport(99, { format: 'text', index: 99 });
		writeFileSync(join(dir, 'no-year.txt'), g.text.replace(/\d{4}(?=\s*年)/g, ''));
		writeFileSync(join(dir, 'bad-record.json'), JSON.stringify({ schema: 1, agency: '样例局', year: 2023, template: '2021' }));
		writeFileSync(join(dir, 'notes.docx.bak'), 'x');
		const out = join(work, 'bad-data');
		const r = runCli(['ingest', dir, '--out', out, '--quiet']);
		expect(r.code, r.stderr).toBe(0);
		expect(r.stdout).toMatch(/empty\.txt: 文件为空/);
		expect(r.stdout).toMatch(/binary\.html: 二进制文件/);
		expect(r.stdout).toMatch(/scan\.pdf: 图片文件/);
		expect(r.stdout).toMatch(/news\.html: 不是政府信息公开工作年度报告/);
		expect(r.stdout).toMatch(/no-year\.txt: 找不到报告年度/);
		expect(r.stdout).toMatch(/bad-record\.json: 记录不符合 schema\.md：active: 应为对象或 null|bad-record\.json: 记录不符合 schema\.md/);
		expect(r.stdout).toMatch(/notes\.docx\.bak（不支持的文件类型/);
		expect(r.stdout).not.toMatch(/\n\s+at /);
		const m = manifestOf(out);
		expect(m.counts.reports).toBe(3);
		expect(m.counts.failed).toBe(6);
		const strict = runCli(['ingest', dir, '--out', out, '--quiet', '--strict']);
		expect(strict.code).toBe(1);
	});

	it('parses only what changed, and a changed file replaces its rows', async () => {
		const dir = join(work, 'incremental');
		generated(dir, 6);
		const out = join(work, 'incremental-data');
		const first = runCli(['ingest', dir, '--out', out]);
		expect(first.code, first.stderr).toBe(0);
		expect(first.stderr).toContain('6 个待解析');
		const again = runCli(['ingest', dir, '--out', out]);
		expect(again.stderr).toContain('6 个未改变');
		expect(again.stderr).toContain('0 个待解析');
		// Change one report: same agency and year, 1000 more new requests from natural persons.
		const g = generateReport(2, { format: 'text', index: 2 });
		const lines = g.text.split('\n');
		const i = lines.findIndex((l) => l.startsWith('一、本年新收'));
		const fields = lines[i].split('\t');
		const numeric = fields.map((f, k) => (/^\d+$/.test(f) ? k : -1)).filter((k) => k >= 0);
		const [natural, total] = [numeric[0], numeric[numeric.length - 1]];
		fields[natural] = String(Number(fields[natural]) + 1000);
		fields[total] = String(Number(fields[total]) + 1000);
		lines[i] = fields.join('\t');
		writeFileSync(join(dir, g.fileName), lines.join('\n'));
		const third = runCli(['ingest', dir, '--out', out]);
		expect(third.stderr).toContain('1 个待解析');
		const reports = await table(out, 'reports');
		expect(reports).toHaveLength(6);
		const id = reportId(describeAgency(g.record.agency).id, g.record.year);
		const facts = await table(out, 'facts', `SELECT value FROM t WHERE report_id = '${id}' AND row_key = 'new_received' AND column_key = 'natural'`);
		expect(facts).toEqual([{ value: g.record.requests.new_received!.natural + 1000 }]);
		const issues = await table(out, 'issues', `SELECT code FROM t WHERE report_id = '${id}'`);
		expect(issues.map((x) => x.code)).toContain('rule_balance');
	});

	it('keeps the sentence that decided a cell in facts.reason, through the cache and into the CSV zip', async () => {
		// A run-together report (seed 8) whose 总体情况 states 制发规范性文件 N 件: the prose alone settles that split.
		const g = generateReport(8, { format: 'glued', template: '2021' });
		const parsed = parseReport(g.bytes, g.fileName);
		const decided = Object.entries(parsed.provenance ?? {})
			.filter(([, p]) => p.reason)
			.map(([path, p]) => [path.slice(path.lastIndexOf('.') + 1), p.reason]);
		expect(decided.length).toBeGreaterThan(0);
		const dir = join(work, 'reason');
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, g.fileName), g.bytes);
		const out = join(work, 'reason-data');
		const id = reportId(describeAgency(g.record.agency).id, g.record.year);
		const withReason = async () =>
			(await table(out, 'facts', `SELECT column_key, reason FROM t WHERE report_id = '${id}' AND reason IS NOT NULL ORDER BY column_key`)).map((f) => [
				f.column_key,
				f.reason
			]);
		const first = runCli(['ingest', dir, '--out', out, '--quiet']);
		expect(first.code, first.stderr).toBe(0);
		const want = [...decided].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
		expect(await withReason()).toEqual(want);
		// Every other cell has none: 正文 decides only where it states the cell.
		const [{ n }] = await table(out, 'facts', `SELECT count(*) AS n FROM t WHERE reason IS NULL`);
		expect(n).toBe(factsOf(id, parsed).length - decided.length);
		// A second file makes a new dataset; the first report's entry now comes from the cache, and keeps its reason.
		generated(dir, 1, 30);
		const second = runCli(['ingest', dir, '--out', out]);
		expect(second.stderr).toContain('1 个待解析');
		expect(await withReason()).toEqual(want);
		if (spawnSync('unzip', ['-v']).status === 0) {
			const csv = spawnSync('unzip', ['-p', join(out, manifestOf(out).csv_zip ?? ''), 'facts.csv'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
			expect(csv.split('\n')[0]).toMatch(/,reason\r?$/);
			for (const [, reason] of decided) expect(csv).toContain(String(reason).replace(/"/g, '""'));
		}
	});

	it('keeps one report per agency and year and says which and why', () => {
		const dir = join(work, 'dups');
		generated(dir, 2);
		const g = generateReport(1, { format: 'text', index: 1 });
		writeFileSync(join(dir, 'copy-of-1.txt'), g.bytes);
		writeFileSync(join(dir, 'record-1.json'), JSON.stringify(g.record));
		const out = join(work, 'dups-data');
		const r = runCli(['ingest', dir, '--out', out, '--quiet']);
		expect(r.code, r.stderr).toBe(0);
		const m = manifestOf(out);
		expect(m.counts.reports).toBe(2);
		expect(m.duplicates.length).toBe(2);
		// the hand-made record wins over the parsed copies
		expect(m.duplicates.every((d) => d.kept === 'dups/record-1.json')).toBe(true);
		expect(r.stdout).toContain('保留 kept dups/record-1.json');
	});

	it('a killed ingest leaves the previous dataset readable and unchanged', async () => {
		const dir = join(work, 'kill');
		generated(dir, 4);
		const out = join(work, 'kill-data');
		expect(runCli(['ingest', dir, '--out', out, '--quiet']).code).toBe(0);
		const before = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f)).toString('base64')]));
		const reportsBefore = await table(out, 'reports');
		// Many more files, then kill while it works.
		generated(dir, 400, 100);
		for (let attempt = 0; attempt < 2; attempt++) {
			const child = startCli(['ingest', dir, '--out', out, '--jobs', '1']);
			await new Promise<void>((resolve) => {
				let seen = '';
				child.stderr.on('data', (d) => {
					seen += String(d);
					if (seen.includes('待解析')) setTimeout(() => child.kill('SIGKILL'), 300 + attempt * 400);
				});
				child.on('exit', () => resolve());
			});
			const after = Object.fromEntries(
				readdirSync(out)
					.filter((f) => !f.includes('.tmp-'))
					.map((f) => [f, readFileSync(join(out, f)).toString('base64')])
			);
			expect(after).toEqual(before);
			expect(await table(out, 'reports')).toEqual(reportsBefore);
		}
		// and the next run cleans up and completes
		const done = runCli(['ingest', dir, '--out', out, '--quiet']);
		expect(done.code, done.stderr).toBe(0);
		expect(readdirSync(out).some((f) => f.includes('.tmp-'))).toBe(false);
		expect(manifestOf(out).counts.reports).toBe(404);
	});
});
