import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { parseOverrides, type AgencyOverride } from '../../lib/agencies/index';
import { CONTINUITY_CODE } from '../../lib/dataset/continuity';
import { DATASET_SCHEMA_VERSION, buildTables, factsOf, reportId, statusOf, type DatasetEntry } from '../../lib/dataset/tables';
import type { Manifest, ManifestSource } from '../../lib/dataset/columns';
import { describeAgency } from '../../lib/agencies/index';
import { removeStaleTemp, writeDataset } from './dataset-writer';
import { DEFAULT_LIMITS, parseAll, type PoolLimits } from './pool';
import type { ReadOutcome, SourceKind } from './read';
import { lockOut } from './out-lock';
import { escapeControls } from '../terminal';
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
	limits: PoolLimits;
}

function usage(msg: string): number {
	process.stderr.write(`ingest: ${msg}\nusage: cli ingest DIR... [--out static/data] [--strict] [--jobs N] [--file-timeout SECONDS]\n`);
	return 2;
}

function parseArgs(args: string[]): Options | string {
	const o: Options = { dirs: [], out: 'static/data', strict: false, jobs: Math.max(1, availableParallelism()), quiet: false, limits: { ...DEFAULT_LIMITS } };
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		if (a === '--out') o.out = args[++i] ?? '';
		else if (a.startsWith('--out=')) o.out = a.slice(6);
		else if (a === '--strict') o.strict = true;
		else if (a === '--quiet') o.quiet = true;
		else if (a === '--jobs') o.jobs = Number(args[++i]);
		else if (a === '--file-timeout') o.limits.fileMs = Number(args[++i]) * 1000;
		else if (a.startsWith('--')) return `未知选项 unknown option ${a}`;
		else o.dirs.push(a);
	}
	if (!o.out) return '--out 需要一个目录';
	if (!Number.isInteger(o.jobs) || o.jobs < 1) return '--jobs 需要一个正整数';
	if (!(o.limits.fileMs > 0)) return '--file-timeout 需要一个正数（秒）';
	if (o.dirs.length === 0) return '至少给出一个目录 (at least one DIR)';
	return o;
}

/**
 * Every file below the folders, sorted; dot-folders and node_modules are not
 * walked. Symbolic links are followed once: a link to a folder already walked
 * (a loop, or the same folder twice) and a dangling link are listed as skipped.
 */
async function walk(dirs: string[]): Promise<{ sources: SourceFile[]; skipped: string[]; overrides: string[]; missing: string[] }> {
	const sources: SourceFile[] = [];
	const skipped: string[] = [];
	const overrides: string[] = [];
	const missing: string[] = [];
	const walked = new Set<string>();
	const classify = (name: string, path: string, rel: string) => {
		if (name === 'agencies.csv') overrides.push(path);
		else if (/^(readme|license|changelog)(\.[a-z]+)?$/i.test(name)) skipped.push(`${rel}（说明文件 documentation）`);
		else if (name === 'fetch-manifest.jsonl') skipped.push(`${rel}（fetch 的下载清单 crawler manifest）`);
		else if (/\.truth\.json$/i.test(name)) skipped.push(`${rel}（测试用真值文件 test truth file）`);
		else if (/\.(json|jsonl|ndjson)$/i.test(name)) sources.push({ path, rel, kind: 'record' });
		else if (DOCUMENT_EXT.test(name)) sources.push({ path, rel, kind: 'document' });
		else skipped.push(`${rel}（不支持的文件类型 unsupported file type）`);
	};
	const visit = async (dir: string, root: string) => {
		walked.add(await realpath(dir));
		const entries = await readdir(dir, { withFileTypes: true });
		entries.sort((a, b) => (a.name < b.name ? -1 : 1));
		for (const e of entries) {
			const path = join(dir, e.name);
			const rel = join(basename(root), relative(root, path));
			let isDir = e.isDirectory();
			let isFile = e.isFile();
			if (e.isSymbolicLink()) {
				const target = await stat(path).catch(() => null);
				if (!target) {
					skipped.push(`${rel}（符号链接指向不存在的文件 dangling symlink）`);
					continue;
				}
				isDir = target.isDirectory();
				isFile = target.isFile();
				if (isDir && walked.has(await realpath(path))) {
					skipped.push(`${rel}（符号链接指向已读过的目录，不再重复 symlink to a folder already read）`);
					continue;
				}
			}
			if (isDir) {
				if (!e.name.startsWith('.') && e.name !== 'node_modules') await visit(path, root);
			} else if (isFile) classify(e.name, path, rel);
			else skipped.push(`${rel}（不是普通文件 not a regular file）`);
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
		if (walked.has(await realpath(root))) continue;
		await visit(root, root);
	}
	return { sources, skipped, overrides, missing };
}

/** Where the cache of an output folder lives (outside it: the dataset is shipped as it is). */
export function cachePath(out: string): string {
	const key = createHash('sha256').update(resolve(out)).digest('hex').slice(0, 12);
	const base = existsSync('node_modules') ? join('node_modules', '.cache', 'nianbao') : join(dirname(resolve(out)), '.nianbao-cache');
	return join(base, `ingest-${key}.jsonl`);
}

/**
 * Parsed outcomes by content hash, so unchanged files are not parsed again.
 * One JSON line per file, streamed in and out: the cache grows with the
 * dataset and never becomes one string. A cache that cannot be read or
 * written costs time, never the run: it is reported and the run goes on.
 */
class Cache {
	private map = new Map<string, ReadOutcome>();
	private dirty = false;
	constructor(
		readonly path: string,
		private readonly warn: (s: string) => void
	) {}
	async load(parserVersion: string): Promise<void> {
		let broken = 0;
		try {
			const lines = createInterface({ input: createReadStream(this.path, 'utf8'), crlfDelay: Infinity });
			for await (const line of lines) {
				if (!line) continue;
				try {
					const { hash, version, outcome } = JSON.parse(line) as { hash: string; version: string; outcome: ReadOutcome };
					if (version === parserVersion) this.map.set(hash, outcome);
				} catch {
					broken++;
				}
			}
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
			this.map.clear();
			this.warn(`ingest: 缓存 ${this.path} 无法读取，全部文件重新解析（${e instanceof Error ? e.message : String(e)}） (cache unreadable)`);
			return;
		}
		if (broken) this.warn(`ingest: 缓存 ${this.path} 有 ${broken} 行损坏，这些文件重新解析 (broken cache lines)`);
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
		const tmp = `${this.path}.tmp-${process.pid}`;
		try {
			await mkdir(dirname(this.path), { recursive: true });
			const out = createWriteStream(tmp);
			const failed = once(out, 'error').then(([e]) => Promise.reject(e as Error));
			for (const [hash, outcome] of this.map) {
				if (!keep.has(hash)) continue;
				if (!out.write(JSON.stringify({ hash, version: parserVersion, outcome }) + '\n')) await Promise.race([once(out, 'drain'), failed]);
			}
			out.end();
			await Promise.race([once(out, 'finish'), failed]);
			await rename(tmp, this.path);
		} catch (e) {
			await rm(tmp, { force: true });
			this.warn(`ingest: 缓存 ${this.path} 无法写入，下次运行将重新解析（${e instanceof Error ? e.message : String(e)}）；数据集已写好 (cache not saved; the dataset is written)`);
		}
	}
}

function sha256(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** How complete and consistent one copy of a report is, for choosing between duplicates. */
function quality(e: DatasetEntry) {
	const r = e.record;
	const tables = [r.active !== null, Object.values(r.requests).some((row) => row !== null), r.review !== null || r.litigation_direct !== null || r.litigation_after_review !== null];
	const s = statusOf(e.issues);
	return {
		missingTables: tables.filter((present) => !present).length,
		readProblems: e.issues.filter((i) => i.severity === 'error').length,
		numbers: factsOf('', r).length,
		broken: s.broken
	};
}

/**
 * Which of two copies of the same agency and year to keep, and why: the more
 * complete one (fewer missing tables, fewer read problems, more numbers), then
 * the more consistent one (fewer broken rules), then a hand-checked record
 * over a parsed document, then the first by file name.
 */
function prefer(a: DatasetEntry, b: DatasetEntry): { keep: DatasetEntry; drop: DatasetEntry; reason: string } {
	const qa = quality(a);
	const qb = quality(b);
	const rules: [keyof typeof qa, 'fewer' | 'more', (kept: number, dropped: number) => string][] = [
		['missingTables', 'fewer', (k, d) => `保留缺表更少的一份：缺 ${k} 张表，舍弃的缺 ${d} 张 (fewer missing tables)`],
		['readProblems', 'fewer', (k, d) => `保留读取问题更少的一份：${k} 处，舍弃的 ${d} 处 (fewer read problems)`],
		['numbers', 'more', (k, d) => `保留数字更完整的一份：${k} 个数，舍弃的 ${d} 个 (more numbers read)`],
		['broken', 'fewer', (k, d) => `保留勾稽错误更少的一份：${k} 条，舍弃的 ${d} 条 (fewer broken rules)`]
	];
	for (const [key, better, why] of rules) {
		if (qa[key] === qb[key]) continue;
		const aWins = better === 'fewer' ? qa[key] < qb[key] : qa[key] > qb[key];
		const [keep, drop, qk, qd] = aWins ? [a, b, qa, qb] : [b, a, qb, qa];
		return { keep, drop, reason: why(qk[key], qd[key]) };
	}
	if (a.kind !== b.kind) {
		const [keep, drop] = a.kind === 'record' ? [a, b] : [b, a];
		return { keep, drop, reason: '两份同样完整，保留人工核对的记录 (equally complete: hand-checked record preferred over a parsed document)' };
	}
	const [keep, drop] = a.sourceFile <= b.sourceFile ? [a, b] : [b, a];
	return { keep, drop, reason: '两份同样完整、同样一致，按文件名取第一份 (equally complete and consistent: first by file name)' };
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
	for (const m of missing) process.stderr.write(`ingest: ${escapeControls(m)}\n`);
	if (missing.length === o.dirs.length) return 1;

	const overrides = new Map<string, AgencyOverride>();
	for (const f of overrideFiles) {
		try {
			for (const [k, v] of parseOverrides(await readFile(f, 'utf8'), f)) overrides.set(k, v);
		} catch (e) {
			process.stderr.write(`${escapeControls(e instanceof Error ? e.message : String(e))}\n`);
			return 1;
		}
	}

	const lock = await lockOut(o.out);
	if (!lock.ok) {
		process.stderr.write(`ingest: ${escapeControls(lock.message)}\n`);
		return 1;
	}
	try {
		return await build(o, log, { sources, skipped, overrides }, t0);
	} finally {
		await lock.release();
	}
}

/** Everything that writes: under the --out lock. */
async function build(
	o: Options,
	log: (s: string) => void,
	{ sources, skipped, overrides }: { sources: SourceFile[]; skipped: string[]; overrides: Map<string, AgencyOverride> },
	t0: number
): Promise<number> {
	await removeStaleTemp(o.out);
	const parserVersion = await parserFingerprint();
	const cache = new Cache(cachePath(o.out), (s) => process.stderr.write(escapeControls(s) + '\n'));
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
	await parseAll(todo.map((t) => t.source), o.jobs, o.limits, (k, outcome) => {
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
				scope: e.scope,
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
	// Checks across reports (never a number changed): listed in the quality summary.
	const across = tables.issues.filter((i) => i.code === CONTINUITY_CODE);
	process.stdout.write(`跨报告检查 cross-report checks：${across.length} 处跨年度结转不衔接 carry-over mismatches\n`);
	for (const i of across) process.stdout.write(`  ! ${escapeControls(i.message)}\n`);
	const seconds = (performance.now() - t0) / 1000;
	process.stdout.write(
		`数据集 dataset ${manifest.dataset_version} → ${escapeControls(o.out)}：${tables.reports.length} 份报告，${tables.agencies.length} 个机关，${tables.facts.length} 个数（${seconds.toFixed(1)} s）\n`
	);
	const unplaced = tables.agencies.filter((a) => a.note);
	for (const a of unplaced) process.stdout.write(`  ! ${escapeControls(`${a.name}: ${a.note}`)}\n`);
	return o.strict && failed.length > 0 ? 1 : 0;
}

function printSummary(read: number, clean: number, broken: number, failed: { file: string; reason: string }[], duplicates: Manifest['duplicates'], skipped: string[]) {
	const w = (s: string) => process.stdout.write(escapeControls(s) + '\n');
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
