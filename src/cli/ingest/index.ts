import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseOverrides, type AgencyOverride } from '../../lib/agencies/index';
import { DATASET_SCHEMA_VERSION, buildTables, reportId, statusOf, type DatasetEntry } from '../../lib/dataset/tables';
import type { Manifest, ManifestSource } from '../../lib/dataset/columns';
import { describeAgency } from '../../lib/agencies/index';
import { removeStaleTemp, writeDataset } from './dataset-writer';
import type { ReadOutcome, SourceKind } from './read';
import { FileProgress } from '../progress';

const DOCUMENT_EXT = /\.(txt|md|html?|shtml|xhtml|pdf|docx?)$/i;

interface SourceFile {
	path: string;
	rel: string;
	kind: SourceKind;
}

interface Options {
	dirs: string[];
	out: string;
	strict: boolean;
	jobs: number;
	quiet: boolean;
}

function usage(msg: string): number {
	process.stderr.write(`ingest: ${msg}\nusage: cli ingest DIR... [--out static/data] [--strict] [--jobs N]\n`);
	return 2;
}

function parseArgs(args: string[]): Options | string {
	const o: Options = { dirs: [], out: 'static/data', strict: false, jobs: Math.max(1, availableParallelism()), quiet: false };
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		if (a === '--out') o.out = args[++i] ?? '';
		else if (a.startsWith('--out=')) o.out = a.slice(6);
		else if (a === '--strict') o.strict = true;
		else if (a === '--quiet') o.quiet = true;
		else if (a === '--jobs') o.jobs = Number(args[++i]);
		else if (a.startsWith('--')) return `未知选项 unknown option ${a}`;
		else o.dirs.push(a);
	}
	if (!o.out) return '--out 需要一个目录';
	if (!Number.isInteger(o.jobs) || o.jobs < 1) return '--jobs 需要一个正整数';
	if (o.dirs.length === 0) return '至少给出一个目录 (at least one DIR)';
	return o;
}

/** Every file below the folders, sorted; dot-folders and node_modules are not walked. */
async function walk(dirs: string[]): Promise<{ sources: SourceFile[]; skipped: string[]; overrides: string[]; missing: string[] }> {
	const sources: SourceFile[] = [];
	const skipped: string[] = [];
	const overrides: string[] = [];
	const missing: string[] = [];
	const visit = async (dir: string, root: string) => {
		const entries = await readdir(dir, { withFileTypes: true });
		entries.sort((a, b) => (a.name < b.name ? -1 : 1));
		for (const e of entries) {
			const path = join(dir, e.name);
			const rel = join(basename(root), relative(root, path));
			if (e.isDirectory()) {
				if (!e.name.startsWith('.') && e.name !== 'node_modules') await visit(path, root);
			} else if (e.isFile()) {
				if (e.name === 'agencies.csv') overrides.push(path);
				else if (/^(readme|license|changelog)(\.[a-z]+)?$/i.test(e.name)) skipped.push(`${rel}（说明文件 documentation）`);
				else if (e.name === 'fetch-manifest.jsonl') skipped.push(`${rel}（fetch 的下载清单 crawler manifest）`);
				else if (/\.truth\.json$/i.test(e.name)) skipped.push(`${rel}（测试用真值文件 test truth file）`);
				else if (/\.(json|jsonl|ndjson)$/i.test(e.name)) sources.push({ path, rel, kind: 'record' });
				else if (DOCUMENT_EXT.test(e.name)) sources.push({ path, rel, kind: 'document' });
				else skipped.push(`${rel}（不支持的文件类型 unsupported file type）`);
			}
		}
	};
	for (const d of dirs) {
		const root = resolve(d);
		try {
			if (!(await stat(root)).isDirectory()) {
				missing.push(`${d}: 不是目录 (not a directory)`);
				continue;
			}
		} catch {
			missing.push(`${d}: 目录不存在 (no such directory)`);
			continue;
		}
		await visit(root, root);
	}
	return { sources, skipped, overrides, missing };
}

/** Parsed outcomes by content hash, so unchanged files are not parsed again. */
class Cache {
	private map = new Map<string, ReadOutcome>();
	private dirty = false;
	constructor(readonly path: string) {}
	static locate(out: string): string {
		const key = createHash('sha256').update(resolve(out)).digest('hex').slice(0, 12);
		const base = existsSync('node_modules') ? join('node_modules', '.cache', 'nianbao') : join(dirname(resolve(out)), '.nianbao-cache');
		return join(base, `ingest-${key}.jsonl`);
	}
	async load(parserVersion: string): Promise<void> {
		try {
			const text = await readFile(this.path, 'utf8');
			for (const line of text.split('\n')) {
				if (!line) continue;
				const { hash, version, outcome } = JSON.parse(line) as { hash: string; version: string; outcome: ReadOutcome };
				if (version === parserVersion) this.map.set(hash, outcome);
			}
		} catch {
			// no cache yet, or a broken one: parse everything
		}
	}
	get(hash: string) {
		return this.map.get(hash);
	}
	set(hash: string, outcome: ReadOutcome) {
		this.map.set(hash, outcome);
		this.dirty = true;
	}
	async save(parserVersion: string, keep: Set<string>): Promise<void> {
		if (!this.dirty) return;
		await mkdir(dirname(this.path), { recursive: true });
		const lines = [...this.map].filter(([h]) => keep.has(h)).map(([hash, outcome]) => JSON.stringify({ hash, version: parserVersion, outcome }));
		const tmp = `${this.path}.tmp`;
		await writeFile(tmp, lines.join('\n') + '\n');
		await rename(tmp, this.path);
	}
}

/** A pool of worker threads, one task per file. */
async function parseAll(files: { source: SourceFile }[], jobs: number, onDone: (i: number, outcome: ReadOutcome) => void): Promise<void> {
	if (files.length === 0) return;
	const n = Math.min(jobs, files.length);
	let next = 0;
	const workers: Worker[] = [];
	await new Promise<void>((resolveAll, rejectAll) => {
		let finished = 0;
		const start = (w: Worker) => {
			if (next >= files.length) return;
			const id = next++;
			w.postMessage({ id, path: files[id].source.path, kind: files[id].source.kind });
		};
		for (let k = 0; k < n; k++) {
			const w = new Worker(new URL('./worker.mjs', import.meta.url));
			workers.push(w);
			w.on('message', (m: { id: number; outcome: ReadOutcome }) => {
				onDone(m.id, m.outcome);
				if (++finished === files.length) resolveAll();
				else start(w);
			});
			w.on('error', rejectAll);
			start(w);
		}
	}).finally(() => Promise.all(workers.map((w) => w.terminate())));
}

function sha256(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** Which of two reports of the same agency and year to keep, and why. */
function prefer(a: DatasetEntry, b: DatasetEntry): { keep: DatasetEntry; drop: DatasetEntry; reason: string } {
	const sa = statusOf(a.issues);
	const sb = statusOf(b.issues);
	const score = (s: ReturnType<typeof statusOf>) => (s.status === 'read_problems' ? 2 : 0) + (s.broken > 0 ? 1 : 0);
	if (score(sa) !== score(sb)) {
		const [keep, drop] = score(sa) < score(sb) ? [a, b] : [b, a];
		return { keep, drop, reason: '保留读取问题或勾稽错误更少的一份 (fewer read problems / broken rules)' };
	}
	if (a.kind !== b.kind) {
		const [keep, drop] = a.kind === 'record' ? [a, b] : [b, a];
		return { keep, drop, reason: '保留人工核对的记录 (hand-checked record preferred over a parsed document)' };
	}
	const [keep, drop] = a.sourceFile <= b.sourceFile ? [a, b] : [b, a];
	return { keep, drop, reason: '两份同样完好，按文件名取第一份 (equally good: first by file name)' };
}

export async function runIngest(args: string[]): Promise<number> {
	const parsed = parseArgs(args);
	if (typeof parsed === 'string') return usage(parsed);
	const o = parsed;
	const log = (s: string) => {
		if (!o.quiet) process.stderr.write(s + '\n');
	};
	const t0 = performance.now();
	const { sources, skipped, overrides: overrideFiles, missing } = await walk(o.dirs);
	for (const m of missing) process.stderr.write(`ingest: ${m}\n`);
	if (missing.length === o.dirs.length) return 1;

	const overrides = new Map<string, AgencyOverride>();
	for (const f of overrideFiles) {
		try {
			for (const [k, v] of parseOverrides(await readFile(f, 'utf8'), f)) overrides.set(k, v);
		} catch (e) {
			process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
			return 1;
		}
	}

	await removeStaleTemp(o.out);
	const parserVersion = await parserFingerprint();
	const cache = new Cache(Cache.locate(o.out));
	await cache.load(parserVersion);

	// Hash every file; only new or changed content goes to the workers.
	const hashes: string[] = [];
	const outcomes: (ReadOutcome | undefined)[] = [];
	const todo: { source: SourceFile; index: number }[] = [];
	for (let i = 0; i < sources.length; i++) {
		let hash = '';
		try {
			hash = sha256(await readFile(sources[i].path));
		} catch (e) {
			outcomes[i] = { ok: false, reason: `无法读取：${e instanceof Error ? e.message : String(e)}` };
		}
		hashes[i] = hash;
		if (outcomes[i]) continue;
		const cached = cache.get(hash);
		if (cached) outcomes[i] = cached;
		else todo.push({ source: sources[i], index: i });
	}
	log(`ingest: ${sources.length} 个文件，${sources.length - todo.length} 个未改变（已缓存），${todo.length} 个待解析，${Math.min(o.jobs, Math.max(todo.length, 1))} 个线程`);

	const progress = new FileProgress(todo.length, process.stderr, o.quiet);
	await parseAll(todo, o.jobs, (k, outcome) => {
		const { index } = todo[k];
		outcomes[index] = outcome;
		cache.set(hashes[index], outcome);
		progress.tick(outcome.ok);
	});
	progress.done();

	// Accept, de-duplicate by agency and year, report.
	const failed: { file: string; reason: string }[] = [];
	const manifestSources: ManifestSource[] = [];
	const byReport = new Map<string, DatasetEntry>();
	const duplicates: Manifest['duplicates'] = [];
	sources.forEach((s, i) => {
		const outcome = outcomes[i]!;
		const src: ManifestSource = { file: s.rel, sha256: hashes[i], kind: s.kind, status: 'ok', report_ids: [] };
		manifestSources.push(src);
		if (!outcome.ok) {
			failed.push({ file: s.rel, reason: outcome.reason });
			src.status = 'failed';
			return;
		}
		for (const e of outcome.entries) {
			const entry: DatasetEntry = {
				record: e.record,
				issues: e.issues,
				sourceFile: e.line ? `${s.rel}#${e.line}` : s.rel,
				sha256: hashes[i],
				kind: s.kind
			};
			const id = reportId(describeAgency(e.record.agency, overrides.get(e.record.agency)).id, e.record.year);
			const prev = byReport.get(id);
			if (!prev) {
				byReport.set(id, entry);
				src.report_ids.push(id);
				continue;
			}
			const { keep, drop, reason } = prefer(prev, entry);
			byReport.set(id, keep);
			duplicates.push({ kept: keep.sourceFile, dropped: drop.sourceFile, report_id: id, reason });
			if (keep === entry) src.report_ids.push(id);
		}
	});
	for (const src of manifestSources) {
		const kept = src.report_ids.filter((id) => byReport.get(id)?.sha256 === src.sha256);
		if (src.status === 'ok' && kept.length === 0) src.status = 'duplicate';
		src.report_ids = kept;
	}

	const entries = [...byReport.values()].sort((a, b) => (a.sourceFile < b.sourceFile ? -1 : 1));
	const tables = buildTables(entries, overrides);
	const clean = tables.reports.filter((r) => r.status === 'clean').length;
	const version = createHash('sha256')
		// What the data says and how it was read: sources, overrides, agency inference and the parser.
		.update(JSON.stringify([DATASET_SCHEMA_VERSION, parserVersion, tables.reports.map((r) => [r.report_id, r.sha256]), tables.agencies, [...overrides.values()]]))
		.digest('hex')
		.slice(0, 12);

	if (tables.reports.length === 0) {
		printSummary(sources.length, clean, 0, failed, duplicates, skipped);
		process.stderr.write('ingest: 没有解析出任何报告，数据集未改动 (nothing parsed; dataset left unchanged)\n');
		return 1;
	}

	const manifest = await writeDataset(o.out, tables, {
		schema_version: DATASET_SCHEMA_VERSION,
		dataset_version: version,
		built_at: new Date().toISOString(),
		source: o.dirs.map((d) => basename(resolve(d))).join(', '),
		counts: {
			agencies: tables.agencies.length,
			reports: tables.reports.length,
			facts: tables.facts.length,
			metrics: tables.metrics.length,
			issues: tables.issues.length,
			files_read: sources.length,
			parsed_clean: clean,
			parsed_with_broken_rules: tables.reports.length - clean,
			failed: failed.length,
			duplicates: duplicates.length,
			skipped: skipped.length
		},
		sources: manifestSources,
		failed,
		duplicates,
		skipped
	});
	await cache.save(parserVersion, new Set(hashes));

	printSummary(sources.length, clean, tables.reports.length - clean, failed, duplicates, skipped);
	const seconds = (performance.now() - t0) / 1000;
	process.stdout.write(
		`数据集 dataset ${manifest.dataset_version} → ${o.out}：${tables.reports.length} 份报告，${tables.agencies.length} 个机关，${tables.facts.length} 个数（${seconds.toFixed(1)} s）\n`
	);
	const unplaced = tables.agencies.filter((a) => a.note);
	for (const a of unplaced) process.stdout.write(`  ! ${a.name}: ${a.note}\n`);
	return o.strict && failed.length > 0 ? 1 : 0;
}

function printSummary(read: number, clean: number, broken: number, failed: { file: string; reason: string }[], duplicates: Manifest['duplicates'], skipped: string[]) {
	const w = (s: string) => process.stdout.write(s + '\n');
	w(`读取 files read ${read}｜解析无误 clean ${clean}｜勾稽规则不成立 with broken rules ${broken}｜失败 failed ${failed.length}｜重复 duplicates ${duplicates.length}｜跳过 skipped ${skipped.length}`);
	for (const f of failed) w(`  ✗ ${f.file}: ${f.reason}`);
	for (const d of duplicates) w(`  = ${d.report_id}: 保留 kept ${d.kept}，舍弃 dropped ${d.dropped}（${d.reason}）`);
	for (const s of skipped) w(`  - 跳过 ${s}`);
}

/** Cached outcomes are valid only for the parser that made them. */
async function parserFingerprint(): Promise<string> {
	const dir = new URL('../../lib/report/', import.meta.url);
	const h = createHash('sha256');
	const walkDir = async (d: URL) => {
		for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
			if (e.isDirectory()) await walkDir(new URL(`${e.name}/`, d));
			else if (e.name.endsWith('.ts')) h.update(e.name).update(await readFile(new URL(e.name, d)));
		}
	};
	await walkDir(dir);
	return h.digest('hex').slice(0, 16);
}
