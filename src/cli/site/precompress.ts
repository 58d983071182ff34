import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * Every file of a built site written beside itself as `name.br` and
 * `name.gz`, for servers that send a precompressed copy with its
 * Content-Encoding (the dashboard server, nginx `gzip_static`/`brotli_static`,
 * Caddy `precompressed`, most static hosts). Brotli at its best level takes
 * over a minute for DuckDB's 34 MB WebAssembly, so compressed copies are
 * kept in a cache by content hash: the wasm is compressed once per version.
 *
 * Parquet files are left alone: they are compressed already, and the
 * dashboard reads parts of them with HTTP range requests, which must see the
 * file's own bytes.
 */

const br = promisify(brotliCompress);
const gz = promisify(gzip);

/** Files worth compressing: not already compressed, not too small to gain. */
const SKIP = /\.(parquet|br|gz|png|jpe?g|gif|webp|avif|woff2?|zip|bcmap|pfb)$/i;
const MIN_BYTES = 1024;

export interface Encoding {
	ext: '.br' | '.gz';
	/** `fast`: a file of data (FAST), compressed at a quick level. */
	compress: (data: Buffer, fast: boolean) => Promise<Buffer>;
}

/**
 * Data files the build generates by the hundred: Arrow IPC (the dashboard's
 * start data; brotli 11 took 28 s for one 1.7 MB stream and gzip 9 2.3 s,
 * brotli 5 0.2 s, still smaller than the same rows as Parquet), and the
 * stored answers' and agency directory's shards (answers/agencies-<n>.json,
 * directory/ids-<n>.json: ~450 answer shards from 100,000 reports up, the
 * 16,384 agencies stored; BENCHMARKS.md gives their sizes and times by level).
 */
const FAST = /(\.arrow|[\\/]answers[\\/][^\\/]+\.json|[\\/]directory[\\/]ids-\d+\.json)$/i;

export const ENCODINGS: readonly Encoding[] = [
	{
		ext: '.br',
		compress: (d, fast) => br(d, { params: { [constants.BROTLI_PARAM_QUALITY]: fast ? 5 : 11, [constants.BROTLI_PARAM_SIZE_HINT]: d.length } })
	},
	{ ext: '.gz', compress: (d, fast) => gz(d, { level: fast ? 6 : 9 }) }
];

function files(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = join(dir, e.name);
		return e.isDirectory() ? files(p) : e.isFile() && !SKIP.test(e.name) && statSync(p).size >= MIN_BYTES ? [p] : [];
	});
}

/** The compressed copy of `data`, from the cache when it has one. */
async function compressed(data: Buffer, enc: Encoding, cache: string, fast: boolean): Promise<Buffer> {
	const key = join(cache, createHash('sha256').update(data).digest('hex') + (fast ? '.fast' : '') + enc.ext);
	if (existsSync(key)) return readFileSync(key);
	const out = await enc.compress(data, fast);
	// write then rename: a build killed halfway leaves no truncated entry
	writeFileSync(key + '.tmp', out);
	renameSync(key + '.tmp', key);
	return out;
}

/**
 * Write `.br` and `.gz` beside each file of `dir` when smaller than the
 * file. Returns how many files got compressed copies.
 */
export async function precompress(dir: string, cache: string): Promise<number> {
	mkdirSync(cache, { recursive: true });
	let n = 0;
	// zlib runs on libuv's threads: a few at a time keeps them all busy
	const queue = files(dir);
	const worker = async () => {
		for (let path = queue.shift(); path; path = queue.shift()) {
			const data = readFileSync(path);
			let wrote = false;
			for (const enc of ENCODINGS) {
				const out = await compressed(data, enc, cache, FAST.test(path));
				if (out.length < data.length * 0.95) {
					writeFileSync(path + enc.ext, out);
					wrote = true;
				}
			}
			if (wrote) n++;
		}
	};
	await Promise.all(Array.from({ length: 4 }, worker));
	return n;
}
