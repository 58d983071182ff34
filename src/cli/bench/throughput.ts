/**
 * npm run bench — throughput figures for BENCHMARKS.md (a script, not a test:
 * the machines are shared and noisy, so numbers are recorded, not asserted).
 *
 *   parse   one core: real text/HTML/PDF reports from ../shared/corpus, generated text, HTML and .docx
 *   ingest  all cores: N generated reports → Parquet (reports/second, bytes per report)
 *
 * Options: --only parse|ingest, --ingest-count N (default 10000).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { registerDocumentAdapters } from '../../lib/report/adapters/index';
import { parseReport, parseReportFile } from '../../lib/report/index';
import { recordDocx } from '../../lib/synthetic/docx-writer';
import { generateRecord, generateReport } from '../../lib/synthetic/index';

interface Row {
	what: string;
	n: number;
	seconds: number;
	note?: string;
}

const rows: Row[] = [];
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const ingestCount = args.includes('--ingest-count') ? Number(args[args.indexOf('--ingest-count') + 1]) : 10_000;

/** Run fn over inputs repeatedly for at least `minSeconds`, after a warm-up pass. */
function timeParse(inputs: { bytes: Uint8Array; name: string }[], minSeconds = 2): { n: number; seconds: number } {
	for (const x of inputs) parseReport(x.bytes, x.name);
	let n = 0;
	const t0 = performance.now();
	while ((performance.now() - t0) / 1000 < minSeconds) {
		for (const x of inputs) {
			parseReport(x.bytes, x.name);
			n++;
		}
	}
	return { n, seconds: (performance.now() - t0) / 1000 };
}

async function timeParseAsync(inputs: { bytes: Uint8Array; name: string }[], minSeconds = 2): Promise<{ n: number; seconds: number }> {
	for (const x of inputs) await parseReportFile(x.bytes, x.name);
	let n = 0;
	const t0 = performance.now();
	while ((performance.now() - t0) / 1000 < minSeconds) {
		for (const x of inputs) {
			await parseReportFile(x.bytes, x.name);
			n++;
		}
	}
	return { n, seconds: (performance.now() - t0) / 1000 };
}

const corpus = resolve('..', 'shared', 'corpus', 'reports');

async function benchParse() {
	registerDocumentAdapters();
	if (existsSync(corpus)) {
		const files = readdirSync(corpus).filter((f) => !f.endsWith('.json'));
		const pick = (re: RegExp) => files.filter((f) => re.test(f)).map((f) => ({ bytes: readFileSync(join(corpus, f)), name: f }));
		const text = pick(/\.txt$/);
		const html = pick(/\.html?$/);
		const size = (xs: { bytes: Uint8Array }[]) => Math.round(xs.reduce((a, x) => a + x.bytes.length, 0) / xs.length / 1024);
		rows.push({ what: `parse, real text reports (${text.length} file, ~${size(text)} KB)`, ...timeParse(text) });
		rows.push({ what: `parse, real HTML pages (${html.length} files, ~${size(html)} KB each, full CMS pages)`, ...timeParse(html) });
		const pdf = pick(/\.pdf$/);
		try {
			if (pdf.length) rows.push({ what: `parse, real PDF reports (${pdf.length} files)`, ...(await timeParseAsync(pdf, 4)) });
		} catch (e) {
			rows.push({ what: 'parse, real PDF reports', n: 0, seconds: 0, note: `not available: ${(e as Error).message}` });
		}
	}
	const docx = Array.from({ length: 50 }, (_, i) => ({ bytes: recordDocx(generateRecord(i + 1, { index: i + 1 })), name: `g${i + 1}.docx` }));
	rows.push({ what: 'parse, generated Word .docx reports (50, both templates, merged cells)', ...(await timeParseAsync(docx, 3)) });
	const gen = (format: 'text' | 'html', noise: number) =>
		Array.from({ length: 200 }, (_, i) => {
			const g = generateReport(i + 1, { format, noise, encoding: i % 4 === 0 ? 'gbk' : 'utf-8', index: i + 1 });
			return { bytes: g.bytes, name: g.fileName };
		});
	rows.push({ what: 'parse, generated text reports (200, noise 0.3, ¼ GBK)', ...timeParse(gen('text', 0.3)) });
	rows.push({ what: 'parse, generated HTML reports (200, noise 0.3, ¼ GBK)', ...timeParse(gen('html', 0.3)) });
}

function dirBytes(dir: string, re: RegExp): number {
	return readdirSync(dir)
		.filter((f) => re.test(f))
		.reduce((a, f) => a + statSync(join(dir, f)).size, 0);
}

function benchIngest() {
	const work = mkdtempSync(join(tmpdir(), 'nianbao-bench-'));
	try {
		const src = join(work, 'reports');
		mkdirSync(src);
		for (let i = 1; i <= ingestCount; i++) {
			const g = generateReport(i, { format: i % 2 ? 'html' : 'text', noise: 0.2, index: i });
			writeFileSync(join(src, g.fileName), g.bytes);
		}
		const out = join(work, 'data');
		const t0 = performance.now();
		const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ingest', src, '--out', out, '--quiet'], { encoding: 'utf8' });
		const seconds = (performance.now() - t0) / 1000;
		if (r.status !== 0) throw new Error(`ingest failed: ${r.stderr}`);
		const parquet = dirBytes(out, /\.parquet$/);
		const facts = dirBytes(out, /^facts-/);
		rows.push({
			what: `ingest ${ingestCount.toLocaleString('en')} generated reports, ${availableParallelism()} worker threads, cold cache`,
			n: ingestCount,
			seconds,
			note: `Parquet ${(parquet / ingestCount).toFixed(0)} bytes/report (facts ${(facts / ingestCount).toFixed(0)}), ${(parquet / 1048576).toFixed(1)} MB in all`
		});
		const t1 = performance.now();
		spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'ingest', src, '--out', out, '--quiet'], { encoding: 'utf8' });
		rows.push({ what: `ingest again, nothing changed (cache hits)`, n: ingestCount, seconds: (performance.now() - t1) / 1000 });
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

if (!only || only === 'parse') await benchParse();
if (!only || only === 'ingest') benchIngest();

console.log(`\nNode ${process.version}, ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| what | reports | seconds | reports/second | note |');
console.log('|---|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.what} | ${r.n} | ${r.seconds.toFixed(2)} | ${r.seconds ? (r.n / r.seconds).toFixed(0) : '—'} | ${r.note ?? ''} |`);
