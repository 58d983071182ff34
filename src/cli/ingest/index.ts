import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { describeAgency, parseOverrides, type AgencyInfo, type AgencyOverride } from '../../lib/agencies/index';
import { DATASET_SCHEMA_VERSION, reportId } from '../../lib/dataset/tables';
import { TABLE_NAMES, type Manifest, type ManifestSource } from '../../lib/dataset/columns';
import { DatasetWriter, removeStaleTemp } from './dataset-writer';
import { compareText } from './csv-rows';
import { RowStore, type Segment } from './row-store';
import { RowBuilders, buildJob, emptyCounts, type BuildJob, type BuildResult, type JobReport } from './rows';
import { DEFAULT_LIMITS, parseAll, type PoolLimits } from './pool';
import type { PackedOutcome } from './read';
import { OutcomeCache, cachePath, type CachedOutcome } from './cache';
import { prefer, type Candidate } from './choice';
import { walk, type SourceFile } from './walk';
import { documentOrigins } from './origin';
import type { Origin } from '../../lib/dataset/origin';
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
		({ manifest, across } = await writeStreamed(o, spillDir, version, await rowsFingerprint(parserVersion), kept, sources, cache, overrides, originOf, warn, {
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

/** Fewer reports than this to build rows of: built on this thread (starting workers would cost more). */
const PARALLEL_FROM = 400;
/** CSV lines waiting, in bytes, before they are written (one write per table). */
const FLUSH_BYTES = 1 << 20;

/** One agency's kept reports in `order` (start–end), its key in the row store and where its lines come from. */
interface Group {
	start: number;
	end: number;
	key: string;
	reuse?: Segment;
	/** Built by job `job`, as its `index`-th agency. */
	job?: number;
	index?: number;
}

/**
 * The kept reports → Parquet. Reports are taken agency by agency in report id
 * order, so the rows arrive in the dataset's order and the writer needs no
 * sort. An agency whose inputs are as last time gets its rows from the row
 * store (row-store.ts); the others' rows are built in jobs of whole agencies
 * on worker threads (rows.ts), their entries read back from the cache store.
 * Only a few jobs are ahead at once, so memory stays bounded. Returns the
 * manifest and the cross-year mismatches found.
 */
async function writeStreamed(
	o: Options,
	spillDir: string,
	version: string,
	rowsVersion: string,
	kept: Kept[],
	sources: SourceFile[],
	cache: OutcomeCache,
	overrides: Map<string, AgencyOverride>,
	originOf: (k: Kept) => Origin | undefined,
	warn: (s: string) => void,
	manifest: Parameters<DatasetWriter['finish']>[0]
): Promise<{ manifest: Manifest; across: string[] }> {
	// In report id order (an agency's reports sort together: its id is a fixed-length prefix).
	const order = [...kept].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const store = await RowStore.open(spillDir, rowsVersion, warn);
	const groups: Group[] = [];
	const jobs: Group[][] = [];
	let job: Group[] = [];
	let size = 0;
	for (let start = 0; start < order.length; ) {
		let end = start + 1;
		while (end < order.length && order[end].agencyId === order[start].agencyId) end++;
		const key = groupKey(order, start, end, overrides, originOf);
		const g: Group = { start, end, key, reuse: store.get(key) };
		if (!g.reuse) {
			g.job = jobs.length;
			g.index = job.length;
			job.push(g);
			size += end - start;
			if (size >= WRITE_BATCH) {
				jobs.push(job);
				job = [];
				size = 0;
			}
		}
		groups.push(g);
		start = end;
	}
	if (job.length) jobs.push(job);
	// Rows in agency id order are in every table's order when every agency id has one length (the report ids' prefix) and is ASCII.
	const ordered = groups.every((g, i) => {
		const id = order[g.start].agencyId;
		const prev = i ? order[groups[i - 1].start].agencyId : null;
		return /^[\x20-\x7e]+$/.test(id) && (prev === null || (prev.length === id.length && compareText(prev, id) < 0));
	});

	/** A job's reports, with the cached entries of their files (once each) as bytes moved to the worker. */
	const jobOf = (list: Group[]): BuildJob => {
		const reports: JobReport[] = [];
		const chunks: Buffer[] = [];
		const at = new Map<string, [number, number]>();
		let length = 0;
		for (const g of list)
			for (let i = g.start; i < g.end; i++) {
				const k = order[i];
				let where = at.get(k.hash);
				if (!where) {
					const bytes = cache.readBytes(k.hash);
					where = bytes ? [length, bytes.length] : [-1, 0];
					if (bytes) {
						chunks.push(bytes);
						length += bytes.length;
					}
					at.set(k.hash, where);
				}
				const s = sources[k.source];
				reports.push({
					at: where[0],
					length: where[1],
					entry: k.entry,
					sourceFile: k.sourceFile,
					sha256: k.hash,
					kind: k.kind,
					origin: originOf(k),
					path: s.path,
					rel: s.rel
				});
			}
		const bytes = new Uint8Array(length);
		let p = 0;
		for (const c of chunks) {
			bytes.set(c, p);
			p += c.length;
		}
		return { reports, groups: list.map((g) => g.end - g.start), bytes };
	};

	const toBuild = jobs.reduce((n, j) => n + j.reduce((m, g) => m + g.end - g.start, 0), 0);
	const builders = toBuild >= PARALLEL_FROM && jobs.length > 1 ? new RowBuilders(Math.min(o.jobs, jobs.length), overrides) : null;
	const results: (Promise<BuildResult> | undefined)[] = [];
	const ahead = builders ? 2 * Math.min(o.jobs, jobs.length) : 1;
	const dispatch = (j: number) => {
		if (j >= jobs.length || results[j]) return;
		const result = builders ? builders.run(jobOf(jobs[j])) : buildJob(jobOf(jobs[j]), overrides);
		// Awaited in turn; a failure meanwhile must not count as unhandled.
		result.catch(() => undefined);
		results[j] = result;
	};

	const writer = await DatasetWriter.open(o.out, version, { spillDir, csvZip: o.csvZip, warn, keepRows: true });
	const across: string[] = [];
	let clean = 0;
	let reread = 0;
	let reused = 0;
	const pos = TABLE_NAMES.map(() => 0);
	let parts: Uint8Array[][] = TABLE_NAMES.map(() => []);
	let rows = emptyCounts();
	let waiting = 0;
	const flush = async () => {
		await writer.appendCsv(
			parts.map((p) => Buffer.concat(p)),
			rows,
			ordered
		);
		parts = TABLE_NAMES.map(() => []);
		rows = emptyCounts();
		waiting = 0;
	};
	let current = null as { job: number; result: BuildResult; cursor: number[] } | null;
	let committed = false;
	try {
		for (const g of groups) {
			let lines: Uint8Array[] | null = null;
			let seg: Segment | null = null;
			if (g.reuse) {
				try {
					lines = TABLE_NAMES.map((_, t) => store.read(g.reuse!, t));
					seg = g.reuse;
					reused++;
				} catch {
					// The store cannot give them back after all: built here, alone.
					const r = await buildJob(jobOf([g]), overrides);
					reread += r.reread;
					lines = r.parts;
					seg = { ...r.groups[0], at: [] };
				}
			} else {
				if (current?.job !== g.job) {
					for (let j = g.job! + 1; j <= g.job! + ahead; j++) dispatch(j);
					dispatch(g.job!);
					const result = await results[g.job!]!;
					results[g.job!] = undefined;
					reread += result.reread;
					current = { job: g.job!, result, cursor: TABLE_NAMES.map(() => 0) };
				}
				const { result, cursor } = current!;
				const built = result.groups[g.index!];
				lines = TABLE_NAMES.map((_, t) => result.parts[t].subarray(cursor[t], (cursor[t] += built.lengths[t])));
				seg = { ...built, at: [] };
			}
			clean += seg.clean;
			across.push(...seg.across);
			store.add(g.key, { ...seg, at: [...pos] });
			TABLE_NAMES.forEach((t, i) => {
				parts[i].push(lines![i]);
				pos[i] += lines![i].length;
				rows[t] += seg!.rows[i];
				waiting += lines![i].length;
			});
			if (waiting >= FLUSH_BYTES) await flush();
		}
		await flush();
		if (!o.quiet) warn(`ingest: 数据行 rows：${reused} 个机关沿用上次的，${groups.length - reused} 个机关重新生成 (agencies' rows reused, built)`);
		if (reread) warn(`ingest: 缓存中 ${reread} 份解析结果无法读回，已重新解析 (cache entries unreadable, parsed again)`);
		const written = await writer.finish({ ...manifest, counts: { ...manifest.counts, parsed_clean: clean, parsed_with_broken_rules: kept.length - clean } });
		committed = true;
		await store.commit(writer.work);
		return { manifest: written, across };
	} catch (e) {
		if (!committed) await writer.abort();
		throw e;
	} finally {
		store.closeFiles();
		await builders?.close();
	}
}

/** Everything an agency's rows are built from, hashed: equal keys, equal rows (with the same rows code, the store's version). */
function groupKey(order: Kept[], start: number, end: number, overrides: Map<string, AgencyOverride>, originOf: (k: Kept) => Origin | undefined): string {
	const h = createHash('sha256');
	for (let i = start; i < end; i++) {
		const k = order[i];
		h.update(JSON.stringify([k.id, k.hash, k.entry, k.sourceFile, k.kind, originOf(k) ?? null, overrides.get(k.agency) ?? null]));
	}
	return h.digest('base64');
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
function parserFingerprint(): Promise<string> {
	return fingerprint(new URL('../../lib/report/', import.meta.url));
}

/** Stored rows are valid only for the code that built them: the whole library (agencies, dataset, catalog, parser) and ingest's own. */
async function rowsFingerprint(parserVersion: string): Promise<string> {
	return `${DATASET_SCHEMA_VERSION}:${parserVersion}:${await fingerprint(new URL('../../lib/', import.meta.url), new URL('./', import.meta.url))}`;
}

/** sha256 of the TypeScript sources under `dirs`, names and bytes, in name order. */
async function fingerprint(...dirs: URL[]): Promise<string> {
	const h = createHash('sha256');
	const walkDir = async (d: URL) => {
		for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
			if (e.isDirectory()) await walkDir(new URL(`${e.name}/`, d));
			else if (e.name.endsWith('.ts')) h.update(e.name).update(await readFile(new URL(e.name, d)));
		}
	};
	for (const dir of dirs) await walkDir(dir);
	return h.digest('hex').slice(0, 16);
}
