import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { describeAgency, parseOverrides, type AgencyInfo, type AgencyOverride } from '../../lib/agencies/index';
import { CONTINUITY_CODE } from '../../lib/dataset/continuity';
import { DATASET_SCHEMA_VERSION, buildTables, reportId, type DatasetEntry } from '../../lib/dataset/tables';
import type { Manifest, ManifestSource } from '../../lib/dataset/columns';
import { registerDocumentAdapters } from '../../lib/report/adapters/index';
import { DatasetWriter, removeStaleTemp } from './dataset-writer';
import { DEFAULT_LIMITS, parseAll, type PoolLimits } from './pool';
import { readSource, type PackedOutcome, type ReadEntry } from './read';
import { OutcomeCache, cachePath, type CachedOutcome } from './cache';
import { prefer, type Candidate } from './choice';
import { walk, type SourceFile } from './walk';
import { documentOrigins } from './origin';
import { originOfNote, type Origin } from '../../lib/dataset/origin';
import { lockOut } from './out-lock';
import { escapeControls } from '../terminal';
import { FileProgress } from '../progress';

export { cachePath };

interface Options {
	dirs: string[];
	out: string;
	strict: boolean;
	jobs: number;
	quiet: boolean;
	/** Write the CSV zip beside the Parquet files (--no-csv-zip: not). */
	csvZip: boolean;
	limits: PoolLimits;
}

function usage(msg: string): number {
	process.stderr.write(`ingest: ${msg}\nusage: cli ingest DIR... [--out static/data] [--strict] [--jobs N] [--file-timeout SECONDS] [--no-csv-zip]\n`);
	return 2;
}

function parseArgs(args: string[]): Options | string {
	const o: Options = {
		dirs: [],
		out: 'static/data',
		strict: false,
		jobs: Math.max(1, availableParallelism()),
		quiet: false,
		csvZip: true,
		limits: { ...DEFAULT_LIMITS }
	};
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		if (a === '--out') o.out = args[++i] ?? '';
		else if (a.startsWith('--out=')) o.out = a.slice(6);
		else if (a === '--strict') o.strict = true;
		else if (a === '--quiet') o.quiet = true;
		else if (a === '--no-csv-zip') o.csvZip = false;
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

export async function runIngest(args: string[]): Promise<number> {
	const parsed = parseArgs(args);
	if (typeof parsed === 'string') return usage(parsed);
	const o = parsed;
	const log = (s: string) => {
		if (!o.quiet) process.stderr.write(s + '\n');
	};
	const t0 = performance.now();
	const { sources, skipped, overrides: overrideFiles, missing, fetchManifests, truths } = await walk(o.dirs);
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
		const origins = await documentOrigins(sources, fetchManifests, truths, (s) => process.stderr.write(`${escapeControls(s)}\n`));
		return await build(o, log, { sources, skipped, overrides, origins }, t0);
	} finally {
		await lock.release();
	}
}

/** Files hashed at once: reading is I/O-bound, hashing is quick. */
const HASH_CONCURRENCY = 16;
/** Reports per batch written to the dataset: bounds the records held at once. */
const WRITE_BATCH = 500;

/** sha256 of every file, read a few at a time; a file that cannot be read gets its reason instead. */
async function hashAll(sources: SourceFile[]): Promise<{ hashes: string[]; unreadable: Map<number, string> }> {
	const hashes: string[] = new Array<string>(sources.length).fill('');
	const unreadable = new Map<number, string>();
	let next = 0;
	const lane = async () => {
		for (let i = next++; i < sources.length; i = next++) {
			try {
				hashes[i] = createHash('sha256')
					.update(await readFile(sources[i].path))
					.digest('hex');
			} catch (e) {
				unreadable.set(i, `无法读取：${e instanceof Error ? e.message : String(e)}`);
			}
		}
	};
	await Promise.all(Array.from({ length: HASH_CONCURRENCY }, lane));
	return { hashes, unreadable };
}

/** One accepted report, as held in memory until it is written: where its record is, not the record. */
interface Kept extends Candidate {
	id: string;
	hash: string;
	/** Which entry of the file's outcome (a JSON Lines file has many). */
	entry: number;
	source: number;
	agency: string;
	agencyId: string;
	year: number;
}

interface Accepted {
	kept: Kept[];
	manifestSources: ManifestSource[];
	failed: { file: string; reason: string }[];
	duplicates: Manifest['duplicates'];
	agencies: AgencyInfo[];
}

/** Accept, de-duplicate by agency and year (from the summaries alone), and list every source's fate. */
function accept(sources: SourceFile[], hashes: string[], outcomeOf: (i: number) => CachedOutcome, overrides: Map<string, AgencyOverride>): Accepted {
	const infos = new Map<string, AgencyInfo>();
	const infoOf = (agency: string) => {
		let info = infos.get(agency);
		if (!info) infos.set(agency, (info = describeAgency(agency, overrides.get(agency))));
		return info;
	};
	const failed: Accepted['failed'] = [];
	const manifestSources: ManifestSource[] = [];
	const byReport = new Map<string, Kept>();
	const duplicates: Manifest['duplicates'] = [];
	sources.forEach((s, i) => {
		const outcome = outcomeOf(i);
		const src: ManifestSource = { file: s.rel, sha256: hashes[i], kind: s.kind, status: 'ok', report_ids: [] };
		manifestSources.push(src);
		if (!outcome.ok) {
			failed.push({ file: s.rel, reason: outcome.reason });
			src.status = 'failed';
			return;
		}
		outcome.summaries.forEach((summary, entry) => {
			const agencyId = infoOf(summary.agency).id;
			const id = reportId(agencyId, summary.year);
			const candidate: Kept = {
				quality: summary.quality,
				kind: s.kind,
				sourceFile: summary.line ? `${s.rel}#${summary.line}` : s.rel,
				id,
				hash: hashes[i],
				entry,
				source: i,
				agency: summary.agency,
				agencyId,
				year: summary.year
			};
			const prev = byReport.get(id);
			if (!prev) {
				byReport.set(id, candidate);
				src.report_ids.push(id);
				return;
			}
			const { keep, drop, reason } = prefer(prev, candidate);
			byReport.set(id, keep);
			duplicates.push({ kept: keep.sourceFile, dropped: drop.sourceFile, report_id: id, reason });
			if (keep === candidate) src.report_ids.push(id);
		});
	});
	for (const src of manifestSources) {
		const kept = src.report_ids.filter((id) => byReport.get(id)?.hash === src.sha256);
		if (src.status === 'ok' && kept.length === 0) src.status = 'duplicate';
		src.report_ids = kept;
	}
	const kept = [...byReport.values()].sort((a, b) => (a.sourceFile < b.sourceFile ? -1 : 1));
	// As buildTables merges them: first seen in file order, named by the latest report.
	const agencies = new Map<string, { info: AgencyInfo; year: number }>();
	for (const k of kept) {
		const info = infoOf(k.agency);
		const known = agencies.get(info.id);
		if (!known || k.year >= known.year) agencies.set(info.id, { info, year: k.year });
	}
	return { kept, manifestSources, failed, duplicates, agencies: [...agencies.values()].map((a) => a.info) };
}

/**
 * What the data says and how it was read: sources, overrides, agency
 * inference and the parser. Hashed piece by piece (the same bytes as one
 * JSON.stringify of the whole), so a million reports never make one string.
 */
function datasetVersion(parserVersion: string, a: Accepted, overrides: Map<string, AgencyOverride>, originOf: (k: Kept) => Origin | undefined): string {
	const h = createHash('sha256').update(`[${JSON.stringify(DATASET_SCHEMA_VERSION)},${JSON.stringify(parserVersion)},[`);
	// A document's origin is read beside it (a fetch manifest, a truth file), not from its bytes: it is part of the data too.
	a.kept.forEach((k, i) => {
		const origin = originOf(k);
		h.update((i ? ',' : '') + JSON.stringify(origin ? [k.id, k.hash, origin] : [k.id, k.hash]));
	});
	h.update(`],${JSON.stringify(a.agencies)},${JSON.stringify([...overrides.values()])}]`);
	return h.digest('hex').slice(0, 12);
}

/** Everything the manifest would say but the time: equal means the dataset on disk is already this one. */
function buildKey(version: string, source: string, a: Accepted, skipped: string[]): string {
	const h = createHash('sha256').update(JSON.stringify([version, source, a.failed, a.duplicates, skipped]));
	for (const s of a.manifestSources) h.update(JSON.stringify(s));
	return h.digest('hex');
}

/** The manifest in `out`, when it is the dataset `key` describes and all its files are there. */
async function unchangedDataset(out: string, keyFile: string, key: string, csvZip: boolean): Promise<Manifest | null> {
	try {
		const last = JSON.parse(await readFile(keyFile, 'utf8')) as { key: string; dataset_version: string };
		if (last.key !== key) return null;
		const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest;
		if (manifest.dataset_version !== last.dataset_version) return null;
		// A zip asked for and missing (not written last time, or --no-csv-zip then) is a reason to write again.
		if (csvZip && !manifest.csv_zip) return null;
		const files = [...Object.values(manifest.files), manifest.sources_file ?? 'manifest.json', ...(manifest.csv_zip ? [manifest.csv_zip] : [])];
		return files.every((f) => existsSync(join(out, f))) ? manifest : null;
	} catch {
		return null;
	}
}

/** Everything that writes: under the --out lock. */
async function build(
	o: Options,
	log: (s: string) => void,
	{ sources, skipped, overrides, origins }: { sources: SourceFile[]; skipped: string[]; overrides: Map<string, AgencyOverride>; origins: Map<string, Origin> },
	t0: number
): Promise<number> {
	await removeStaleTemp(o.out);
	// Rows wait here while the dataset is written: beside the cache, outside the shipped folder.
	const spillDir = cachePath(o.out).replace(/\.jsonl$/, '.rows');
	await removeStaleTemp(spillDir);
	const parserVersion = await parserFingerprint();
	const warn = (s: string) => process.stderr.write(escapeControls(s) + '\n');
	const cache = new OutcomeCache(cachePath(o.out), parserVersion, warn);
	await cache.load(existsSync(join(o.out, 'manifest.json')));

	// Hash every file; only new or changed content goes to the workers.
	const { hashes, unreadable } = await hashAll(sources);
	const todo: number[] = [];
	for (let i = 0; i < sources.length; i++) if (!unreadable.has(i) && !cache.get(hashes[i])) todo.push(i);
	log(
		`ingest: ${sources.length} 个文件，${sources.length - todo.length} 个未改变（已缓存），${todo.length} 个待解析，${Math.min(o.jobs, Math.max(todo.length, 1))} 个线程`
	);

	const progress = new FileProgress(todo.length, process.stderr, o.quiet);
	await parseAll<PackedOutcome>(
		todo.map((i) => sources[i]),
		o.jobs,
		o.limits,
		(k, outcome) => {
			cache.put(hashes[todo[k]], outcome);
			progress.tick(outcome.ok);
		}
	);
	progress.done();

	const accepted = accept(sources, hashes, (i) => (unreadable.has(i) ? { ok: false, reason: unreadable.get(i)! } : cache.get(hashes[i])!), overrides);
	const { kept, failed, duplicates, agencies } = accepted;
	if (kept.length === 0) {
		printSummary(sources.length, 0, 0, failed, duplicates, skipped);
		process.stderr.write('ingest: 没有解析出任何报告，数据集未改动 (nothing parsed; dataset left unchanged)\n');
		await cache.save(new Set(hashes));
		return 1;
	}
	const originOf = (k: Kept) => (k.kind === 'document' ? origins.get(resolve(sources[k.source].path)) : undefined);
	const version = datasetVersion(parserVersion, accepted, overrides, originOf);
	const source = o.dirs.map((d) => basename(resolve(d))).join(', ');
	const key = buildKey(version, source, accepted, skipped);
	const keyFile = cache.path.replace(/\.jsonl$/, '.dataset.json');

	let manifest = await unchangedDataset(o.out, keyFile, key, o.csvZip);
	let across: string[] | null = null;
	if (manifest) log(`ingest: 数据集 ${version} 未改变，不再重写 (dataset unchanged, not rewritten)`);
	else {
		({ manifest, across } = await writeStreamed(o.out, spillDir, version, kept, sources, cache, overrides, originOf, warn, o.csvZip, {
			schema_version: DATASET_SCHEMA_VERSION,
			dataset_version: version,
			built_at: new Date().toISOString(),
			source,
			counts: { files_read: sources.length, failed: failed.length, duplicates: duplicates.length, skipped: skipped.length },
			sources: accepted.manifestSources,
			failed,
			duplicates,
			skipped
		}));
		await writeFile(keyFile, JSON.stringify({ key, dataset_version: version }) + '\n').catch((e: unknown) =>
			warn(`ingest: 无法记录数据集指纹，下次运行将重写数据集（${e instanceof Error ? e.message : String(e)}） (dataset key not saved)`)
		);
	}
	await cache.save(new Set(hashes));

	const clean = manifest.counts.parsed_clean;
	printSummary(sources.length, clean, kept.length - clean, failed, duplicates, skipped);
	// Checks across reports (never a number changed): listed in the quality summary when the dataset was written.
	if (across) {
		process.stdout.write(`跨报告检查 cross-report checks：${across.length} 处跨年度结转不衔接 carry-over mismatches\n`);
		for (const m of across) process.stdout.write(`  ! ${escapeControls(m)}\n`);
	}
	const seconds = (performance.now() - t0) / 1000;
	process.stdout.write(
		`数据集 dataset ${manifest.dataset_version} → ${escapeControls(o.out)}：${manifest.counts.reports} 份报告，${manifest.counts.agencies} 个机关，${manifest.counts.facts} 个数（${seconds.toFixed(1)} s）\n`
	);
	for (const a of agencies.filter((x) => x.note)) process.stdout.write(`  ! ${escapeControls(`${a.name}: ${a.note}`)}\n`);
	return o.strict && failed.length > 0 ? 1 : 0;
}

/**
 * The kept reports → Parquet, a batch at a time: records are read back from
 * the cache store, turned into rows and appended; only one batch of records
 * is ever in memory. Batches hold whole agencies (all their years), so the
 * cross-year checks of buildTables see every pair. A record the store cannot
 * give back is parsed again here, and that is reported. Returns the manifest
 * and the cross-year mismatches found.
 */
async function writeStreamed(
	out: string,
	spillDir: string,
	version: string,
	kept: Kept[],
	sources: SourceFile[],
	cache: OutcomeCache,
	overrides: Map<string, AgencyOverride>,
	originOf: (k: Kept) => Origin | undefined,
	warn: (s: string) => void,
	csvZip: boolean,
	manifest: Parameters<DatasetWriter['finish']>[0]
): Promise<{ manifest: Manifest; across: string[] }> {
	const writer = await DatasetWriter.open(out, version, { spillDir, csvZip, warn });
	// In report id order (an agency's reports sort together: its id is a fixed-length prefix), so the writer needs no sort.
	const order = [...kept].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const across: string[] = [];
	let clean = 0;
	let reread = 0;
	try {
		for (let start = 0; start < order.length; ) {
			let end = Math.min(start + WRITE_BATCH, order.length);
			while (end < order.length && order[end].agencyId === order[end - 1].agencyId) end++;
			const batch: DatasetEntry[] = [];
			for (const k of order.slice(start, end)) {
				let entries = cache.read(k.hash);
				if (!entries) {
					reread++;
					entries = await reparse(sources[k.source]);
				}
				const { record, issues, provenance, scope, source } = entries[k.entry];
				const origin = originOf(k) ?? originOfNote(source) ?? undefined;
				batch.push({ record, issues, provenance, scope, origin, sourceFile: k.sourceFile, sha256: k.hash, kind: k.kind });
			}
			const tables = buildTables(batch, overrides);
			clean += tables.reports.filter((r) => r.status === 'clean').length;
			for (const i of tables.issues) if (i.code === CONTINUITY_CODE) across.push(i.message);
			await writer.append(tables);
			start = end;
		}
	} catch (e) {
		await writer.abort();
		throw e;
	}
	if (reread) warn(`ingest: 缓存中 ${reread} 份解析结果无法读回，已重新解析 (cache entries unreadable, parsed again)`);
	const written = await writer.finish({ ...manifest, counts: { ...manifest.counts, parsed_clean: clean, parsed_with_broken_rules: kept.length - clean } });
	return { manifest: written, across };
}

/** A file parsed again on this thread, when its cached entries are lost: it parsed before, so it must again. */
async function reparse(s: SourceFile): Promise<ReadEntry[]> {
	registerDocumentAdapters();
	const outcome = await readSource(await readFile(s.path), s.path, s.kind);
	if (!outcome.ok) throw new Error(`${s.rel}：缓存丢失后重新解析失败（${outcome.reason}）`);
	return outcome.entries;
}

function printSummary(
	read: number,
	clean: number,
	broken: number,
	failed: { file: string; reason: string }[],
	duplicates: Manifest['duplicates'],
	skipped: string[]
) {
	const w = (s: string) => process.stdout.write(escapeControls(s) + '\n');
	w(
		`读取 files read ${read}｜解析无误 clean ${clean}｜勾稽规则不成立 with broken rules ${broken}｜失败 failed ${failed.length}｜重复 duplicates ${duplicates.length}｜跳过 skipped ${skipped.length}`
	);
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
