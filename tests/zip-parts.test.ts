import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '../src/lib/dataset/columns';
import { crc32, crc32Combine, writeZip } from '../src/cli/ingest/zip';
import { ZipParts, csvHead, type PartRef, type PartSource } from '../src/cli/ingest/zip-parts';

/**
 * The CSV zip compressed in parts (issue 16: a run adding 1% of reports must
 * not deflate the whole dataset again): the parts laid end to end are one
 * valid deflate stream of the whole CSV, the CRC combined from the parts' is
 * the whole's, and a second run copies the parts whose agencies did not change.
 */

const work = mkdtempSync(join(tmpdir(), 'nianbao-zipparts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const HAS_UNZIP = spawnSync('unzip', ['-v']).status === 0;

/** Bytes that compress somewhat but are not trivial: a seeded generator. */
function bytes(n: number, seed: number): Buffer {
	const b = Buffer.alloc(n);
	let x = seed >>> 0 || 1;
	for (let i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		b[i] = 97 + ((x >>> 0) % 7);
	}
	return b;
}

describe('CRC-32 of parts', () => {
	it('is the CRC-32 zip uses (the standard check value), continued across pieces', () => {
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
		expect(crc32(Buffer.from('6789'), crc32(Buffer.from('12345')))).toBe(0xcbf43926);
		expect(crc32(new Uint8Array(0))).toBe(0);
	});
	it('combines two parts into the CRC of both, for empty, short and long parts', () => {
		for (const [na, nb] of [
			[0, 0],
			[0, 5],
			[5, 0],
			[1, 1],
			[1000, 3],
			[70_000, 130_001]
		]) {
			const a = bytes(na, na + 1);
			const b = bytes(nb, nb + 7);
			expect(crc32Combine(crc32(a), crc32(b), b.length), `${na}+${nb}`).toBe(crc32(Buffer.concat([a, b])));
		}
	});

	it('past 4 GiB: combining is associative whatever the lengths (the length loop does not wrap at 32 bits)', () => {
		const [a, b, c] = [0x12345678, 0x9abcdef0, 0x0badf00d];
		const [lb, lc] = [3_000_000_007, 2_500_000_001];
		expect(crc32Combine(crc32Combine(a, b, lb), c, lc)).toBe(crc32Combine(a, crc32Combine(b, c, lc), lb + lc));
		// And against the doubling it stands for: two parts of 2^31 bytes are one of 2^32.
		expect(crc32Combine(crc32Combine(a, 0, 2 ** 31), 0, 2 ** 31)).toBe(crc32Combine(a, 0, 2 ** 32));
	});
});

describe('a zip entry copied already deflated', () => {
	it('opens with unzip: parts deflated apart and closed by one final block', async () => {
		const parts = [bytes(50_000, 1), bytes(0, 2), bytes(123_457, 3)];
		const file = join(work, 'parts.deflate');
		writeFileSync(file, Buffer.concat(parts.map((p) => (p.length ? deflateRawSync(p, { finishFlush: constants.Z_SYNC_FLUSH }) : Buffer.alloc(0)))));
		const whole = Buffer.concat(parts);
		const crc = parts.reduce((c, p) => crc32Combine(c, crc32(p), p.length), 0);
		expect(crc).toBe(crc32(whole));
		const zip = join(work, 'parts.zip');
		await writeZip(zip, [
			{ name: 'a.csv', file, deflated: { crc, size: whole.length } },
			{ name: 'b.csv', file, deflated: { crc, size: whole.length } }
		]);
		if (!HAS_UNZIP) return console.log('zip-parts.test: `unzip` is not installed; the archive is not opened');
		const t = spawnSync('unzip', ['-tq', zip], { encoding: 'utf8' });
		expect(t.status, t.stdout + t.stderr).toBe(0);
		const p = spawnSync('unzip', ['-p', zip, 'b.csv'], { maxBuffer: 1 << 24 });
		expect(Buffer.compare(p.stdout, whole)).toBe(0);
	});
});

/** A run's parts, kept to be the next run's source as the row store keeps them: where each is in the zip that run wrote. */
class Kept implements PartSource {
	private readonly byKey: Map<string, PartRef>;
	constructor(
		readonly file: string,
		parts: [string, PartRef][],
		dataAt: number[]
	) {
		this.byKey = new Map(parts.map(([key, ref]) => [key, { ...ref, at: ref.at.map((at, t) => at + dataAt[t]) }]));
	}
	part(key: string) {
		return this.byKey.get(key);
	}
}

/** Agency i's lines, per table: some tables empty for some agencies. */
const linesOf = (i: number, version = 0) =>
	TABLE_NAMES.map((_, t) => (t === 2 && i % 3 === 0 ? Buffer.alloc(0) : bytes(200 + ((i * 37 + t) % 900), i * 10 + t + version * 1000)));

/** One run: its parts, and the zip it wrote as the next run's source. */
async function run(dir: string, source: PartSource | null, agencies: { id: string; key: string; lines: Buffer[] }[]) {
	mkdirSync(dir, { recursive: true });
	const z = await ZipParts.open(dir, source);
	// Every other agency's lines are read only when its part is deflated (as ingest gives a kept part's).
	for (const [i, a] of agencies.entries())
		await z.add(
			a.id,
			a.key,
			i % 2 ? async () => a.lines : a.lines,
			a.lines.map((l) => crc32(l)),
			a.lines.map((l) => l.length)
		);
	const entries = await z.finish();
	const zip = join(dir, 'data.zip');
	const dataAt = await writeZip(
		zip,
		entries.map((e, t) => ({ name: `${TABLE_NAMES[t]}.csv`, file: e.file, deflated: e }))
	);
	const archive = readFileSync(zip);
	// Each table: its bytes in the zip inflated (with the final block) are the head and every agency's lines, and the CRC is theirs.
	entries.forEach((e, t) => {
		const want = Buffer.concat([csvHead(t), ...agencies.map((a) => a.lines[t])]);
		const stored = e.pieces.reduce((n, p) => n + p.length, 0);
		const got = inflateRawSync(archive.subarray(dataAt[t], dataAt[t] + stored + 2));
		expect(Buffer.compare(got, want), TABLE_NAMES[t]).toBe(0);
		expect(e.size).toBe(want.length);
		expect(e.crc).toBe(crc32(want));
		if (HAS_UNZIP)
			expect(Buffer.compare(spawnSync('unzip', ['-p', zip, `${TABLE_NAMES[t]}.csv`], { maxBuffer: 1 << 24 }).stdout, want), TABLE_NAMES[t]).toBe(0);
	});
	return { z, entries, next: new Kept(zip, z.parts, dataAt) };
}

describe('the zip in parts across runs', () => {
	const agencies = Array.from({ length: 400 }, (_, i) => ({ id: `a${String(i * 2).padStart(5, '0')}`, key: `k${i}`, lines: linesOf(i) }));

	it('reuses every part of an unchanged run, and deflates only the parts a new or changed agency falls in', async () => {
		const { z: first, next: r1 } = await run(join(work, 'r1'), null, agencies);
		expect(first.copied).toBe(0);
		expect(first.deflated).toBe(first.parts.length);
		// Parts end where the agencies say: about one in eight.
		expect(first.parts.length).toBeGreaterThan(20);
		expect(first.parts.length).toBeLessThan(120);

		// Copied from the first run's zip: every part, each table's in one piece of it.
		const { z: same, entries, next: r2 } = await run(join(work, 'r2'), r1, agencies);
		expect([same.copied, same.deflated]).toEqual([first.parts.length, 0]);
		for (const e of entries) expect(e.pieces.map((p) => p.file)).toEqual([join(work, 'r2', basename(e.file)), r1.file]);

		// Four new agencies between others, and one changed (a new key, new lines).
		const next = [...agencies];
		next[100] = { ...next[100], key: 'k100-changed', lines: linesOf(100, 1) };
		for (const at of [350, 250, 120, 10]) next.splice(at, 0, { id: `${agencies[at].id}n`, key: `new${at}`, lines: linesOf(1000 + at) });
		const { z: more } = await run(join(work, 'r3'), r2, next);
		expect(more.deflated).toBeGreaterThan(0);
		// At most two each: a new agency that ends a part splits it in two.
		expect(more.deflated).toBeLessThanOrEqual(10);
		expect(more.copied + more.deflated).toBe(more.parts.length);
	});
});
