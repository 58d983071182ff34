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
import { ZipParts } from './zip-parts';
import { PART_REPORTS, planParts } from './parts';
import { assembleGroup, contextKey, readEntry, reportEntry, type GroupReport, type RowContext } from './rows';
import { DEFAULT_LIMITS, parseAll, parseOrder, type PoolLimits } from './pool';
import { readSource, type EntryPart, type PackedOutcome, type ReadEntry } from './read';
import type { ParseTask } from './task';
import { registerDocumentAdapters } from '../../lib/report/adapters/index';
import { OutcomeCache, cachePath } from './cache';
import { DIGEST_BYTES, StringTable, ensure } from './columns';
import { prefer } from './choice';
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
	/** Reports per Parquet part (parts.ts). */
	partReports: number;
}

function usage(msg: string): number {
	process.stderr.write(
		`ingest: ${msg}\nusage: cli ingest DIR... [--out static/data] [--strict] [--jobs N] [--file-timeout SECONDS] [--no-csv-zip] [--part-reports N]\n`
	);
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
		limits: { ...DEFAULT_LIMITS },
		partReports: PART_REPORTS
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
		else if (a === '--part-reports') o.partReports = Number(args[++i]);
		else if (a.startsWith('--')) return `未知选项 unknown option ${a}`;
		else o.dirs.push(a);
	}
	if (!o.out) return '--out 需要一个目录';
	if (!Number.isInteger(o.jobs) || o.jobs < 1) return '--jobs 需要一个正整数';
	if (!Number.isInteger(o.partReports) || o.partReports < 1) return '--part-reports 需要一个正整数';
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

/** sha256 of every file, read a few at a time, as 32 bytes each in one array; a file that cannot be read gets its reason instead. */
async function hashAll(sources: SourceFile[]): Promise<{ digests: Uint8Array; unreadable: Map<number, string> }> {
	const digests = new Uint8Array(sources.length * DIGEST_BYTES);
	const unreadable = new Map<number, string>();
	let next = 0;
	const lane = async () => {
		for (let i = next++; i < sources.length; i = next++) {
			try {
				digests.set(
					createHash('sha256')
						.update(await readFile(sources[i].path))
						.digest(),
					i * DIGEST_BYTES
				);
			} catch (e) {
				unreadable.set(i, `无法读取：${e instanceof Error ? e.message : String(e)}`);
			}
		}
	};
	await Promise.all(Array.from({ length: HASH_CONCURRENCY }, lane));
	return { digests, unreadable };
}

/**
 * Every file's fate and the reports kept, in columns (a million files make a
 * million of each). A candidate is one entry of one file: candidates of file
 * i are candStart[i] … candStart[i + 1] - 1, in file order.
 */
interface Accepted {
	candSource: Uint32Array;
	/** The candidate's summary row in the cache. */
	candRow: Uint32Array;
	candStart: Uint32Array;
	/** The candidate's agency: an index into `ids`. */
	candAgency: Uint32Array;
	/** 1: the candidate's report id is listed under its file in the manifest's sources. */
	listed: Uint8Array;
	/** The kept candidates, in source-file order. */
	kept: Uint32Array;
	ids: StringTable;
	failed: { file: string; reason: string }[];
	duplicates: Manifest['duplicates'];
	/** Agencies first seen in kept order, each with the name of its latest kept report (summary name ids). */
	agencies: { agency: number; name: number }[];
	/** The candidate's file as the manifest names it (`file#line` for a JSON Lines entry). */
	sourceFile: (c: number) => string;
}

/** Accept, de-duplicate by agency and year (from the summaries alone), and note every source's fate. */
function accept(
	sources: SourceFile[],
	cache: OutcomeCache,
	slots: Int32Array,
	unreadable: Map<number, string>,
	overrides: Map<string, AgencyOverride>
): Accepted {
	const rows = cache.summaries;
	// Each agency name is described once, for its id; index + 1 per name id (0: not yet).
	const ids = new StringTable();
	let nameAgency = new Uint32Array(1024);
	const agencyOf = (name: number): number => {
		nameAgency = ensure(nameAgency, name + 1);
		if (!nameAgency[name]) {
			const agency = rows.agencies.at(name);
			nameAgency[name] = ids.id(describeAgency(agency, overrides.get(agency)).id) + 1;
		}
		return nameAgency[name] - 1;
	};
	let total = 0;
	for (let i = 0; i < sources.length; i++) if (slots[i] >= 0) total += cache.rows(slots[i])[1];
	const candSource = new Uint32Array(total);
	const candRow = new Uint32Array(total);
	const candAgency = new Uint32Array(total);
	const candStart = new Uint32Array(sources.length + 1);
	// 1 once the candidate was the kept copy of its report at some point (as it is met, in file order).
	const listed = new Uint8Array(total);
	const sourceFileOf = (c: number) => {
		const line = rows.line[candRow[c]];
		return line ? `${sources[candSource[c]].rel}#${line}` : sources[candSource[c]].rel;
	};
	const candidate = (c: number) => ({ c, quality: rows.qualityOf(candRow[c]), kind: sources[candSource[c]].kind, sourceFile: sourceFileOf(c) });
	// Report key: agency and year as one small integer (years are 2000–2100 by the schema; any other year keys by its report id).
	const keyOf = (c: number): number | string => {
		const year = rows.year[candRow[c]];
		return year >= 2000 && year < 2256 ? candAgency[c] * 256 + (year - 2000) : reportId(ids.at(candAgency[c]), year);
	};
	const winner = new Map<number | string, number>();
	const failed: Accepted['failed'] = [];
	const duplicates: Manifest['duplicates'] = [];
	let c = 0;
	for (let i = 0; i < sources.length; i++) {
		candStart[i] = c;
		const reason = unreadable.get(i) ?? (slots[i] >= 0 ? cache.failure(slots[i]) : undefined);
		if (reason !== undefined) {
			failed.push({ file: sources[i].rel, reason });
			continue;
		}
		const [first, count] = cache.rows(slots[i]);
		for (let e = 0; e < count; e++, c++) {
			candSource[c] = i;
			candRow[c] = first + e;
			candAgency[c] = agencyOf(rows.agency[first + e]);
			const key = keyOf(c);
			const prev = winner.get(key);
			if (prev === undefined) {
				winner.set(key, c);
				listed[c] = 1;
				continue;
			}
			const { keep, drop, reason } = prefer(candidate(prev), candidate(c));
			winner.set(key, keep.c);
			duplicates.push({ kept: keep.sourceFile, dropped: drop.sourceFile, report_id: reportId(ids.at(candAgency[c]), rows.year[candRow[c]]), reason });
			if (keep.c === c) listed[c] = 1;
		}
	}
	candStart[sources.length] = c;
	// A file lists the reports it gave whose kept copy has its content (a file and its exact copy both list them).
	for (let k = 0; k < total; k++) if (listed[k] && slots[candSource[winner.get(keyOf(k))!]] !== slots[candSource[k]]) listed[k] = 0;
	const kept = Uint32Array.from(winner.values());
	kept.sort((a, b) => (sourceFileOf(a) < sourceFileOf(b) ? -1 : 1));
	// As buildTables merges them: first seen in file order, named by the latest report.
	const nameOf = new Int32Array(ids.size).fill(-1);
	const yearOf = new Int32Array(ids.size);
	const agencies: Accepted['agencies'] = [];
	for (const k of kept) {
		const a = candAgency[k];
		const year = rows.year[candRow[k]];
		if (nameOf[a] < 0) agencies.push({ agency: a, name: -1 });
		if (nameOf[a] < 0 || year >= yearOf[a]) {
			nameOf[a] = rows.agency[candRow[k]];
			yearOf[a] = year;
		}
	}
	for (const a of agencies) a.name = nameOf[a.agency];
	return { candSource, candRow, candStart, candAgency, listed, kept, ids, failed, duplicates, agencies, sourceFile: sourceFileOf };
}

/** The manifest's entry of every file, made one at a time as it is read. */
function* manifestSources(
	sources: SourceFile[],
	digests: Uint8Array,
	slots: Int32Array,
	unreadable: Map<number, string>,
	a: Accepted,
	cache: OutcomeCache
): Generator<ManifestSource> {
	const rows = cache.summaries;
	for (let i = 0; i < sources.length; i++) {
		const sha256 = unreadable.has(i) ? '' : hexOf(digests, i);
		const src: ManifestSource = { file: sources[i].rel, sha256, kind: sources[i].kind, status: 'ok', report_ids: [] };
		if (unreadable.has(i) || cache.failure(slots[i]) !== undefined) src.status = 'failed';
		else {
			for (let c = a.candStart[i]; c < a.candStart[i + 1]; c++)
				if (a.listed[c]) src.report_ids.push(reportId(a.ids.at(a.candAgency[c]), rows.year[a.candRow[c]]));
			if (src.report_ids.length === 0) src.status = 'duplicate';
		}
		yield src;
	}
}

const hexOf = (digests: Uint8Array, i: number) => Buffer.from(digests.buffer, digests.byteOffset + i * DIGEST_BYTES, DIGEST_BYTES).toString('hex');

/**
 * What the data says and how it was read: sources, overrides, agency
 * inference and the parser. Hashed piece by piece (the same bytes as one
 * JSON.stringify of the whole), so a million reports never make one string.
 * `info` describes each agency (once, here); `each` sees every description.
 */
function datasetVersion(
	parserVersion: string,
	a: Accepted,
	overrides: Map<string, AgencyOverride>,
	originOf: (c: number) => Origin | undefined,
	idOf: (c: number) => string,
	hashOf: (c: number) => string,
	info: (x: Accepted['agencies'][number], i: number) => AgencyInfo
): string {
	const h = createHash('sha256').update(`[${JSON.stringify(DATASET_SCHEMA_VERSION)},${JSON.stringify(parserVersion)},[`);
	// A document's origin is read beside it (a fetch manifest, a truth file), not from its bytes: it is part of the data too.
	a.kept.forEach((k, i) => {
		const origin = originOf(k);
		h.update((i ? ',' : '') + JSON.stringify(origin ? [idOf(k), hashOf(k), origin] : [idOf(k), hashOf(k)]));
	});
	h.update('],[');
	a.agencies.forEach((x, i) => h.update((i ? ',' : '') + JSON.stringify(info(x, i))));
	h.update(`],${JSON.stringify([...overrides.values()])}]`);
	return h.digest('hex').slice(0, 12);
}

/** Everything the manifest would say but the time: equal means the dataset on disk is already this one. */
function buildKey(version: string, source: string, a: Accepted, skipped: string[], sources: Iterable<ManifestSource>): string {
	const h = createHash('sha256').update(JSON.stringify([version, source, a.failed, a.duplicates, skipped]));
	for (const s of sources) h.update(JSON.stringify(s));
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
		const files = [...Object.values(manifest.files).flat(), manifest.sources_file ?? 'manifest.json', ...(manifest.csv_zip ? [manifest.csv_zip] : [])];
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
	const cache = new OutcomeCache(cachePath(o.out), await entriesFingerprint(), warn);
	await cache.load(existsSync(join(o.out, 'manifest.json')));

	// Hash every file; only new or changed content goes to the workers.
	const { digests, unreadable } = await hashAll(sources);
	const slots = new Int32Array(sources.length).fill(-1);
	for (let i = 0; i < sources.length; i++) if (!unreadable.has(i)) slots[i] = cache.slot(digests.subarray(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES));
	// Each new content once: a file's exact copy shares its slot (rows of the copy kept, if it is the other, are built again when written).
	const changed: number[] = [];
	const queued = new Uint8Array(cache.slots);
	for (let i = 0; i < sources.length; i++) {
		const slot = slots[i];
		if (slot >= 0 && !cache.has(slot) && !queued[slot]) {
			queued[slot] = 1;
			changed.push(i);
		}
	}
	const todo = parseOrder(changed.map((i) => sources[i])).map((k) => changed[k]);
	log(
		`ingest: ${sources.length} 个文件，${sources.length - todo.length} 个未改变（已缓存），${todo.length} 个待解析，${Math.min(o.jobs, Math.max(todo.length, 1))} 个线程`
	);

	const progress = new FileProgress(todo.length, process.stderr, o.quiet);
	// A document's origin is read beside it (a fetch manifest, a truth file); a record's from its own `_source`.
	const sourceOrigin = (i: number) => (sources[i].kind === 'document' ? origins.get(resolve(sources[i].path)) : undefined);
	const tasks = todo.map((i): Omit<ParseTask, 'id'> => {
		const s = sources[i];
		return { path: s.path, kind: s.kind, rel: s.rel, sha256: hexOf(digests, i), origin: sourceOrigin(i) };
	});
	await parseAll<PackedOutcome, EntryPart>(
		tasks,
		o.jobs,
		o.limits,
		(k, outcome) => {
			cache.put(slots[todo[k]], outcome, k);
			progress.tick(outcome.ok);
		},
		undefined,
		{ workerData: { overrides: [...overrides] }, onStart: (k) => cache.unstage(k), onPart: (k, part) => cache.stage(k, part) }
	);
	progress.done();
	// The cache keeps the files read this run.
	const keep = new Uint8Array(cache.slots);
	for (const slot of slots) if (slot >= 0) keep[slot] = 1;

	const accepted = accept(sources, cache, slots, unreadable, overrides);
	const { kept, failed, duplicates } = accepted;
	if (kept.length === 0) {
		printSummary(sources.length, 0, 0, failed, duplicates, skipped);
		process.stderr.write('ingest: 没有解析出任何报告，数据集未改动 (nothing parsed; dataset left unchanged)\n');
		await cache.save(keep);
		return 1;
	}
	const rows = cache.summaries;
	const originOf = (c: number) => sourceOrigin(accepted.candSource[c]);
	const idOf = (c: number) => reportId(accepted.ids.at(accepted.candAgency[c]), rows.year[accepted.candRow[c]]);
	const hashOf = (c: number) => hexOf(digests, accepted.candSource[c]);
	// Agencies whose region could not be decided, listed at the end: their index in accepted.agencies.
	const noted: number[] = [];
	const infoOf = (x: Accepted['agencies'][number]) => {
		const name = rows.agencies.at(x.name);
		return describeAgency(name, overrides.get(name));
	};
	const version = datasetVersion(parserVersion, accepted, overrides, originOf, idOf, hashOf, (x, i) => {
		const info = infoOf(x);
		if (info.note) noted.push(i);
		return info;
	});
	const source = o.dirs.map((d) => basename(resolve(d))).join(', ');
	const listSources = () => manifestSources(sources, digests, slots, unreadable, accepted, cache);
	const key = buildKey(version, source, accepted, skipped, listSources());
	const keyFile = cache.path.replace(/\.jsonl$/, '.dataset.json');

	let manifest = await unchangedDataset(o.out, keyFile, key, o.csvZip);
	let across: string[] | null = null;
	if (manifest) log(`ingest: 数据集 ${version} 未改变，不再重写 (dataset unchanged, not rewritten)`);
	else {
		const written = await writeStreamed(
			o,
			spillDir,
			version,
			await rowsFingerprint(parserVersion),
			{ accepted, sources, slots, cache, overrides, originOf, hashOf },
			warn,
			{
				schema_version: DATASET_SCHEMA_VERSION,
				dataset_version: version,
				built_at: new Date().toISOString(),
				source,
				counts: { files_read: sources.length, failed: failed.length, duplicates: duplicates.length, skipped: skipped.length },
				sources: listSources(),
				failed,
				duplicates,
				skipped
			}
		);
		({ manifest, across } = written);
		await writeFile(keyFile, JSON.stringify({ key, dataset_version: version }) + '\n').catch((e: unknown) =>
			warn(`ingest: 无法记录数据集指纹，下次运行将重写数据集（${e instanceof Error ? e.message : String(e)}） (dataset key not saved)`)
		);
	}
	await cache.save(keep);

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
	for (const n of noted) {
		const a = infoOf(accepted.agencies[n]);
		process.stdout.write(`  ! ${escapeControls(`${a.name}: ${a.note}`)}\n`);
	}
	return o.strict && failed.length > 0 ? 1 : 0;
}

/** CSV lines waiting, in bytes, before they are written (one write per table). */
const FLUSH_BYTES = 1 << 20;

/** One agency's kept reports in `order` (start–end), its key in the row store and where its lines come from. */
interface Group {
	start: number;
	end: number;
	key: string;
	reuse?: Segment;
}

/**
 * The kept reports → Parquet. Reports are taken agency by agency in report id
 * order, so the rows arrive in the dataset's order and the writer needs no
 * sort. An agency whose inputs are as last time gets its rows from the row
 * store (row-store.ts); the others' rows are laid together from their
 * reports' rows, which the parse workers built (rows.ts) and the cache
 * stores: one agency's at a time, so memory stays bounded. Returns the
 * manifest and the cross-year mismatches found.
 */
async function writeStreamed(
	o: Options,
	spillDir: string,
	version: string,
	rowsVersion: string,
	run: KeptRun,
	warn: (s: string) => void,
	manifest: Parameters<DatasetWriter['finish']>[0]
): Promise<{ manifest: Manifest; across: string[] }> {
	const { accepted: a, sources, slots, cache, overrides, originOf, hashOf } = run;
	const summaries = cache.summaries;
	// In report id order (`${agency id}-${year}`: by agency id, then by the year's four digits; '-' sorts before every
	// character of an id, so a shorter id that is a prefix of another sorts first either way).
	const order = a.kept.slice().sort((x, y) => {
		const ix = a.ids.at(a.candAgency[x]);
		const iy = a.ids.at(a.candAgency[y]);
		return ix < iy ? -1 : ix > iy ? 1 : summaries.year[a.candRow[x]] - summaries.year[a.candRow[y]];
	});
	const agencyId = (c: number) => a.ids.at(a.candAgency[c]);
	const store = await RowStore.open(spillDir, rowsVersion, warn);
	const groups: Group[] = [];
	for (let start = 0; start < order.length; ) {
		let end = start + 1;
		while (end < order.length && a.candAgency[order[end]] === a.candAgency[order[start]]) end++;
		const key = groupKey(run, order, start, end);
		groups.push({ start, end, key, reuse: store.get(key) });
		start = end;
	}
	// Rows in agency id order are in every table's order when every agency id has one length (the report ids' prefix) and is ASCII.
	const ordered = groups.every((g, i) => {
		const id = agencyId(order[g.start]);
		const prev = i ? agencyId(order[groups[i - 1].start]) : null;
		return /^[\x20-\x7e]+$/.test(id) && (prev === null || (prev.length === id.length && compareText(prev, id) < 0));
	});

	registerDocumentAdapters();
	// Files parsed again on this thread (their entries lost, or made for another name or override): the last few, each once.
	const reparsed = new Map<string, ReadEntry[]>();
	let reread = 0;
	let reused = 0;
	/** A kept report's entry: from the cache when it was built with this context, else built here again from its file. */
	const entryFor = async (k: number): Promise<Pick<GroupReport, 'bytes' | 'entry'>> => {
		const s = sources[a.candSource[k]];
		const row = a.candRow[k];
		const ctx: RowContext = { sourceFile: a.sourceFile(k), kind: s.kind, sha256: hashOf(k), origin: originOf(k) };
		const agency = summaries.agencies.at(summaries.agency[row]);
		if (Buffer.from(contextKey(ctx, overrides.get(agency))).equals(summaries.ctxOf(row))) {
			const bytes = cache.readEntry(slots[a.candSource[k]], row);
			const entry = bytes && readEntry(bytes);
			if (bytes && entry) return { bytes, entry };
		}
		reread++;
		let entries = reparsed.get(s.path);
		if (!entries) {
			const outcome = await readSource(await readFile(s.path), s.path, s.kind);
			if (!outcome.ok) throw new Error(`${s.rel}：缓存中的解析结果不可用，重新解析失败（${outcome.reason}）`);
			if (reparsed.size >= 4) reparsed.clear();
			reparsed.set(s.path, (entries = outcome.entries));
		}
		const { bytes } = reportEntry(entries[entryOf(run, k)], ctx, overrides);
		return { bytes, entry: readEntry(bytes)! };
	};
	/** An agency's rows, laid together from its reports' entries. */
	const build = async (g: Group) => {
		const reports: GroupReport[] = [];
		for (let i = g.start; i < g.end; i++) {
			const k = order[i];
			const row = a.candRow[k];
			const id = agencyId(k);
			const key = {
				report_id: reportId(id, summaries.year[row]),
				agency_id: id,
				agency: summaries.agencies.at(summaries.agency[row]),
				year: summaries.year[row]
			};
			reports.push({ ...(await entryFor(k)), key });
		}
		return assembleGroup(reports);
	};
	/** An agency's lines per table, copied from the row store when its inputs are as last time, else built. */
	const rowsOf = async (g: Group): Promise<{ lines: Uint8Array[]; seg: Segment }> => {
		if (g.reuse) {
			try {
				const lines = TABLE_NAMES.map((_, t) => store.read(g.reuse!, t));
				reused++;
				return { lines, seg: g.reuse };
			} catch {
				// The store cannot give them back after all: built below.
			}
		}
		const built = await build(g);
		return { lines: built.lines, seg: { ...built.group, at: [], chunk: 0 } };
	};

	/** A kept agency's lines, for the zip part it shares with a changed one: from the store, else built. */
	const storedLines = async (g: Group): Promise<Uint8Array[]> => {
		try {
			return TABLE_NAMES.map((_, t) => store.read(g.reuse!, t));
		} catch {
			return (await build(g)).lines;
		}
	};

	// Parquet parts (parts.ts): the agencies of parts kept as they are stay where they are, in the parts and in the row store; the others go to their new part's sink.
	const plan = await planParts(
		o.out,
		store.parquetParts,
		groups.map((g) => ({ key: g.key, reports: g.end - g.start, last: g.reuse ? store.parquetPartOf(g.key) : -1 })),
		rowsVersion,
		o.partReports
	);
	const writer = await DatasetWriter.open(o.out, version, { spillDir, csvZip: o.csvZip, warn, keepRows: true });
	const sinkOf: number[] = [];
	for (const p of plan.parts)
		if (p.kept) {
			writer.keep(p.kept);
			sinkOf.push(-1);
		} else sinkOf.push(await writer.sink(p.id));
	const partRows = plan.parts.map((p) => (p.kept ? [...p.kept.rows] : TABLE_NAMES.map(() => 0)));
	// The zip's CSV deflated in parts as the rows go by, reusing the last run's parts (rows in dataset order only).
	let zip = o.csvZip && ordered ? await ZipParts.open(writer.work, await store.zipSource(o.out)).catch(() => null) : null;
	const across: string[] = [];
	let clean = 0;
	const sinks = writer.sinkDirs.length;
	const pos = Array.from({ length: sinks }, () => TABLE_NAMES.map(() => 0));
	let parts: Uint8Array[][][] = Array.from({ length: sinks }, () => TABLE_NAMES.map(() => []));
	let rows = Array.from({ length: sinks }, () => TABLE_NAMES.map(() => 0));
	let waiting = 0;
	const flush = async () => {
		for (let n = 0; n < sinks; n++)
			await writer.appendCsv(
				n,
				parts[n].map((p) => Buffer.concat(p)),
				rows[n],
				ordered
			);
		parts = Array.from({ length: sinks }, () => TABLE_NAMES.map(() => []));
		rows = Array.from({ length: sinks }, () => TABLE_NAMES.map(() => 0));
		waiting = 0;
	};
	let committed = false;
	try {
		for (const [gi, g] of groups.entries()) {
			const part = plan.partOf[gi];
			const n = sinkOf[part];
			const id = agencyId(order[g.start]);
			if (n < 0) {
				// Its part is kept: its rows are in the part's files and in the store already, and read only if the zip needs them.
				const seg = g.reuse!;
				clean += seg.clean;
				across.push(...seg.across);
				reused++;
				store.add(g.key, seg, part, true);
				if (zip) await zip.add(id, g.key, () => storedLines(g), seg.crc, seg.lengths).catch((e: unknown) => (zip = zipFailed(zip!, e)));
				continue;
			}
			const { lines, seg } = await rowsOf(g);
			clean += seg.clean;
			across.push(...seg.across);
			store.add(g.key, { ...seg, chunk: n, at: [...pos[n]] }, part);
			if (zip)
				await zip
					.add(
						id,
						g.key,
						lines,
						seg.crc,
						lines.map((l) => l.length)
					)
					.catch((e: unknown) => (zip = zipFailed(zip!, e)));
			TABLE_NAMES.forEach((_, i) => {
				parts[n][i].push(lines[i]);
				pos[n][i] += lines[i].length;
				rows[n][i] += seg.rows[i];
				partRows[part][i] += seg.rows[i];
				waiting += lines[i].length;
			});
			if (waiting >= FLUSH_BYTES) await flush();
		}
		await flush();
		if (!o.quiet) warn(`ingest: 数据行 rows：${reused} 个机关沿用上次的，${groups.length - reused} 个机关重新生成 (agencies' rows reused, built)`);
		const written = plan.parts.filter((p) => !p.kept);
		if (!o.quiet)
			warn(
				`ingest: Parquet 分块 parts：${plan.parts.length - written.length} 块沿用，${written.length} 块写出（${written.reduce((n, p) => n + p.reports, 0)} 份报告） (parts kept, written)`
			);
		if (reread) warn(`ingest: ${reread} 份报告的数据行在缓存中不可用（丢失，或按别的文件名、覆盖设置生成），已重新解析 (report rows rebuilt from their files)`);
		const deflated = zip ? await zip.finish().catch((e: unknown) => void (zip = zipFailed(zip!, e))) : undefined;
		if (zip && !o.quiet) warn(`ingest: CSV 压缩包 zip：${zip.copied} 段沿用上次的，${zip.deflated} 段重新压缩 (zip parts reused, deflated)`);
		const full = await writer.finish(
			{ ...manifest, counts: { ...manifest.counts, parsed_clean: clean, parsed_with_broken_rules: a.kept.length - clean } },
			deflated ?? undefined
		);
		committed = true;
		if (zip && writer.zip) store.addParts(zip.parts, writer.zip, writer.zip.dataAt);
		store.setParquetParts(
			plan.parts.map((p, i) => ({
				id: p.id,
				agencies: p.agencies,
				reports: p.reports,
				rows: partRows[i],
				bytes: TABLE_NAMES.map((t) => full.bytes![t][i])
			}))
		);
		await store.commit(writer.work, writer.sinkDirs);
		return { manifest: full, across };
	} catch (e) {
		if (!committed) await writer.abort();
		throw e;
	} finally {
		store.closeFiles();
		await zip?.closeFiles();
	}
}

/**
 * The zip's parts could not be written (a full disk): reported, and the zip
 * is made from the whole CSV instead (dataset-writer.ts), none of it reused.
 */
function zipFailed(zip: ZipParts, e: unknown): null {
	void zip.closeFiles();
	process.stderr.write(
		`ingest: CSV 压缩包的分段无法写出，整体重新压缩（${escapeControls(e instanceof Error ? e.message : String(e))}） (zip parts not written)\n`
	);
	return null;
}

/** What writeStreamed reads of the run: the kept reports (candidates of `accepted`) and where their entries are. */
interface KeptRun {
	accepted: Accepted;
	sources: SourceFile[];
	slots: Int32Array;
	cache: OutcomeCache;
	overrides: Map<string, AgencyOverride>;
	originOf: (c: number) => Origin | undefined;
	hashOf: (c: number) => string;
}

/** Which entry of its file's outcome a candidate is (a JSON Lines file has many). */
function entryOf(run: KeptRun, c: number): number {
	return run.accepted.candRow[c] - run.cache.rows(run.slots[run.accepted.candSource[c]])[0];
}

/** Everything an agency's rows are built from, hashed: equal keys, equal rows (with the same rows code, the store's version). */
function groupKey(run: KeptRun, order: Uint32Array, start: number, end: number): string {
	const { accepted: a, cache, sources, overrides, originOf, hashOf } = run;
	const h = createHash('sha256');
	for (let i = start; i < end; i++) {
		const k = order[i];
		const id = reportId(a.ids.at(a.candAgency[k]), cache.summaries.year[a.candRow[k]]);
		const agency = cache.summaries.agencies.at(cache.summaries.agency[a.candRow[k]]);
		h.update(
			JSON.stringify([id, hashOf(k), entryOf(run, k), a.sourceFile(k), sources[a.candSource[k]].kind, originOf(k) ?? null, overrides.get(agency) ?? null])
		);
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

/** Cached entries (each report's rows) are valid only for the code that made them: the parser, the dataset's tables and ingest's own. */
function entriesFingerprint(): Promise<string> {
	const lib = (d: string) => new URL(`../../lib/${d}/`, import.meta.url);
	return fingerprint(lib('report'), lib('dataset'), lib('agencies'), lib('catalog'), new URL('./', import.meta.url));
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
