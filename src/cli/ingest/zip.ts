/**
 * A small zip writer for the dataset's CSV download: files are streamed
 * through deflate (method 8) one after another, each followed by a data
 * descriptor, so no file is ever held in memory.
 *
 * Zip64 (APPNOTE 6.3.10, 4.3.9 and 4.5.3) where the classic fields cannot
 * hold a value: an entry whose file is near 4 GiB or more is written as
 * zip64 from its local header on (sizes 0xFFFFFFFF and a zip64 extra field;
 * its data descriptor then holds 8-byte sizes), as Python's zipfile does when
 * streaming; a local header past 4 GiB gets its offset in the central
 * directory's zip64 extra field; and a central directory past 4 GiB or with
 * more than 65,535 entries gets the zip64 end records. Whether an entry is
 * zip64 is decided from its file's size before it is written, since the
 * local header comes first; a file that grows past that while it is read is
 * an error, never a wrong archive.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import { crc32 as tableCrc32 } from '../../lib/report/adapters/crc32';

/** A run of bytes of a file. */
export interface Piece {
	file: string;
	at: number;
	length: number;
}

export interface ZipEntry {
	/** The name inside the archive: UTF-8 (flagged so), but keep it ASCII — Debian's unzip 6.0 shows other names garbled. */
	name: string;
	/** The file whose bytes it holds (compressed already and given in `deflated.pieces`: not read). */
	file: string;
	/** Bytes written before the file's (a UTF-8 byte-order mark, so spreadsheet programs read Chinese right). */
	prefix?: Uint8Array;
	/**
	 * The file holds the entry already compressed: raw deflate blocks, none
	 * of them final (parts each ended by a sync flush, as zip-parts.ts makes
	 * them), of `size` bytes whose CRC-32 is `crc`. They are copied as they
	 * are and closed by an empty final block. `pieces`: where the compressed
	 * bytes are, in order (ranges of other files, another zip's among them),
	 * in place of the whole `file`.
	 */
	deflated?: { crc: number; size: number; pieces?: readonly Piece[] };
}

export interface ZipOptions {
	/** Write every zip64 record even where the classic fields would do: for tests of the zip64 records on small archives. */
	forceZip64?: boolean;
}

/** The largest value of a classic 4-byte field; the value itself means "see zip64". */
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
/**
 * Deflate can make incompressible data slightly larger (5 bytes per stored
 * block of up to 64 KiB): an entry this close to 4 GiB is zip64 already.
 */
const DEFLATE_MARGIN = 1 << 24;
/**
 * Level 4, not zlib's default 6: on 10,000 generated reports the zip is 2.9% larger (20.37 against 19.79 MB) and its
 * deflate takes about 1 CPU second less, a fortieth of a cold ingest (BENCHMARKS.md, issue 16.1).
 */
export const DEFLATE_LEVEL = 4;

/** zlib's own CRC-32 (Node 20.15 and later), several times faster than the table. */
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-32 (ISO 3309, as zip uses it), continued from `crc` (0 to start). */
export function crc32(bytes: Uint8Array, crc = 0): number {
	return nativeCrc32 ? nativeCrc32(bytes, crc) : tableCrc32(bytes, crc);
}

const POLY = 0xedb88320;

/** a(x)·b(x) modulo the CRC-32 polynomial, bit-reflected (zlib's multmodp). */
function multmodp(a: number, b: number): number {
	let m = 0x80000000;
	let p = 0;
	for (;;) {
		if (a & m) {
			p ^= b;
			if ((a & (m - 1)) === 0) break;
		}
		m >>>= 1;
		b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
	}
	return p >>> 0;
}

/** x^(2^k) modulo the polynomial, k = 0…31. */
const X2N = (() => {
	const t = new Uint32Array(32);
	let p = 0x40000000; // x^1
	t[0] = p;
	for (let k = 1; k < 32; k++) t[k] = p = multmodp(p, p);
	return t;
})();

/**
 * The CRC-32 of A followed by B from crc(A), crc(B) and B's length (zlib's
 * crc32_combine): an entry made of parts compressed apart gets its CRC
 * without its bytes being read again. `length` may pass 4 GiB.
 */
export function crc32Combine(crcA: number, crcB: number, length: number): number {
	// x^(8·length) mod p, by the binary digits of length (3: bytes are 2^3 bits).
	let p = 0x80000000;
	for (let n = length, k = 3; n > 0; n = Math.floor(n / 2), k++) if (n % 2) p = multmodp(X2N[k & 31], p);
	return (multmodp(p, crcA) ^ crcB) >>> 0;
}

/** A deflate stream's last block: empty, final, fixed Huffman codes (BFINAL 1, BTYPE 01, end-of-block code 0000000). */
const FINAL_BLOCK = new Uint8Array([0x03, 0x00]);

/** MS-DOS time and date, as zip headers hold them (local time, 2-second steps, from 1980). */
function dosTime(d: Date): { time: number; date: number } {
	const year = Math.max(1980, d.getFullYear());
	return {
		time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
		date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate()
	};
}

// Bit 3: sizes and CRC follow the data; bit 11: the name is UTF-8.
const FLAGS = 0x0808;
const DEFLATE = 8;
/** Version needed to extract: 2.0 for deflate, 4.5 for zip64. */
const VERSION = 20;
const VERSION_ZIP64 = 45;
const ZIP64_EXTRA = 0x0001;

/** A zip64 extended information extra field holding `values` (8 bytes each, in APPNOTE's fixed order). */
function zip64Extra(values: number[]): Buffer {
	const b = Buffer.alloc(4 + 8 * values.length);
	b.writeUInt16LE(ZIP64_EXTRA, 0);
	b.writeUInt16LE(8 * values.length, 2);
	values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
	return b;
}

/** Bytes copied per read of a piece. */
const COPY_BYTES = 1 << 20;

/**
 * Write `entries` to `path` as a zip archive. An entry may be a promise of
 * one: its file is still being written, and is taken once it is (so the
 * archive's deflate overlaps making the next file). Errors (unreadable file,
 * full disk, a file that grew while read) reject; the caller removes the file.
 * Returns where each entry's compressed bytes start in the archive.
 */
export async function writeZip(
	path: string,
	entries: readonly (ZipEntry | Promise<ZipEntry>)[],
	modified = new Date(),
	options: ZipOptions = {}
): Promise<number[]> {
	const dataAt: number[] = [];
	const force = options.forceZip64 === true;
	const fh = await open(path, 'w');
	let offset = 0;
	const write = async (b: Uint8Array) => {
		await fh.write(b);
		offset += b.length;
	};
	const { time, date } = dosTime(modified);
	const central: Buffer[] = [];
	try {
		for (const next of entries) {
			const e = await next;
			const name = Buffer.from(e.name, 'utf8');
			const start = offset;
			const pieces = e.deflated?.pieces;
			const stored = pieces ? pieces.reduce((n, p) => n + p.length, 0) : e.deflated ? (await stat(e.file)).size : 0;
			const expected = e.deflated ? Math.max(e.deflated.size, stored) : (await stat(e.file)).size + (e.prefix?.length ?? 0);
			const zip64 = force || expected > MAX32 - DEFLATE_MARGIN;
			// Zip64 from the local header on: sizes "see the extra field", which holds zeros until the data descriptor says them.
			const localExtra = zip64 ? zip64Extra([0, 0]) : Buffer.alloc(0);
			const local = Buffer.alloc(30);
			local.writeUInt32LE(0x04034b50, 0);
			local.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION, 4);
			local.writeUInt16LE(FLAGS, 6);
			local.writeUInt16LE(DEFLATE, 8);
			local.writeUInt16LE(time, 10);
			local.writeUInt16LE(date, 12);
			// CRC and sizes: in the data descriptor after the data.
			if (zip64) {
				local.writeUInt32LE(MAX32, 18);
				local.writeUInt32LE(MAX32, 22);
			}
			local.writeUInt16LE(name.length, 26);
			local.writeUInt16LE(localExtra.length, 28);
			await write(Buffer.concat([local, name, localExtra]));
			dataAt.push(offset);

			let crc = 0;
			let size = 0;
			let compressed = 0;
			async function* bytes() {
				if (e.prefix?.length) {
					crc = crc32(e.prefix, crc);
					size += e.prefix.length;
					yield e.prefix;
				}
				for await (const chunk of createReadStream(e.file) as AsyncIterable<Buffer>) {
					crc = crc32(chunk, crc);
					size += chunk.length;
					if (!zip64 && size > MAX32 - DEFLATE_MARGIN) throw new Error(`${e.name}：读取时文件变大，超过了写入前的大小 (file grew while zipped)`);
					yield chunk;
				}
			}
			if (pieces) {
				// Compressed already, in pieces: each copied, then the stream closed.
				for (const p of pieces) {
					compressed += p.length;
					await copyPiece(p, write);
				}
				compressed += FINAL_BLOCK.length;
				await write(FINAL_BLOCK);
				crc = e.deflated!.crc;
				size = e.deflated!.size;
				if (!zip64 && (size > MAX32 || compressed > MAX32)) throw new Error(`${e.name}：读取时文件变大，超过了写入前的大小 (file grew while zipped)`);
			} else if (e.deflated) {
				// Compressed already: copied, then closed.
				for await (const chunk of createReadStream(e.file) as AsyncIterable<Buffer>) {
					compressed += chunk.length;
					await write(chunk);
				}
				compressed += FINAL_BLOCK.length;
				await write(FINAL_BLOCK);
				crc = e.deflated.crc;
				size = e.deflated.size;
				if (!zip64 && (size > MAX32 || compressed > MAX32)) throw new Error(`${e.name}：读取时文件变大，超过了写入前的大小 (file grew while zipped)`);
			} else
				await pipeline(Readable.from(bytes()), zlib.createDeflateRaw({ level: DEFLATE_LEVEL }), async (source: AsyncIterable<Buffer>) => {
					for await (const out of source) {
						compressed += out.length;
						await write(out);
					}
				});

			const descriptor = Buffer.alloc(zip64 ? 24 : 16);
			descriptor.writeUInt32LE(0x08074b50, 0);
			descriptor.writeUInt32LE(crc, 4);
			if (zip64) {
				descriptor.writeBigUInt64LE(BigInt(compressed), 8);
				descriptor.writeBigUInt64LE(BigInt(size), 16);
			} else {
				descriptor.writeUInt32LE(compressed, 8);
				descriptor.writeUInt32LE(size, 12);
			}
			await write(descriptor);

			// Central directory: a zip64 entry's sizes, and any offset past 4 GiB, go to its zip64 extra field.
			const farStart = force || start >= MAX32;
			const extraValues = [...(zip64 ? [size, compressed] : []), ...(farStart ? [start] : [])];
			const extra = extraValues.length ? zip64Extra(extraValues) : Buffer.alloc(0);
			const needs = extraValues.length ? VERSION_ZIP64 : VERSION;
			const header = Buffer.alloc(46);
			header.writeUInt32LE(0x02014b50, 0);
			header.writeUInt16LE(needs, 4); // made by: MS-DOS, the version it needs
			header.writeUInt16LE(needs, 6);
			header.writeUInt16LE(FLAGS, 8);
			header.writeUInt16LE(DEFLATE, 10);
			header.writeUInt16LE(time, 12);
			header.writeUInt16LE(date, 14);
			header.writeUInt32LE(crc, 16);
			header.writeUInt32LE(zip64 ? MAX32 : compressed, 20);
			header.writeUInt32LE(zip64 ? MAX32 : size, 24);
			header.writeUInt16LE(name.length, 28);
			header.writeUInt16LE(extra.length, 30);
			header.writeUInt32LE(farStart ? MAX32 : start, 42);
			central.push(header, name, extra);
		}
		const directory = Buffer.concat(central);
		const at = offset;
		await write(directory);
		const many = entries.length >= MAX16;
		const far = at >= MAX32 || directory.length >= MAX32;
		if (force || many || far) {
			const record = Buffer.alloc(56);
			record.writeUInt32LE(0x06064b50, 0);
			record.writeBigUInt64LE(44n, 4); // the record's size after this field
			record.writeUInt16LE(VERSION_ZIP64, 12);
			record.writeUInt16LE(VERSION_ZIP64, 14);
			// Disk numbers (16, 20): 0, one disk.
			record.writeBigUInt64LE(BigInt(entries.length), 24);
			record.writeBigUInt64LE(BigInt(entries.length), 32);
			record.writeBigUInt64LE(BigInt(directory.length), 40);
			record.writeBigUInt64LE(BigInt(at), 48);
			const locator = Buffer.alloc(20);
			locator.writeUInt32LE(0x07064b50, 0);
			locator.writeBigUInt64LE(BigInt(offset), 8);
			locator.writeUInt32LE(1, 16);
			await write(Buffer.concat([record, locator]));
		}
		const end = Buffer.alloc(22);
		end.writeUInt32LE(0x06054b50, 0);
		end.writeUInt16LE(force || many ? MAX16 : entries.length, 8);
		end.writeUInt16LE(force || many ? MAX16 : entries.length, 10);
		end.writeUInt32LE(force || far ? MAX32 : directory.length, 12);
		end.writeUInt32LE(force || far ? MAX32 : at, 16);
		await write(end);
		await fh.sync();
	} finally {
		await fh.close();
	}
	return dataAt;
}

/** A piece of a file, read a MB at a time and written on; a file shorter than the piece is an error. */
async function copyPiece(p: Piece, write: (b: Uint8Array) => Promise<void>): Promise<void> {
	if (!p.length) return;
	const from = await open(p.file, 'r');
	try {
		for (let done = 0; done < p.length; ) {
			const buf = Buffer.allocUnsafe(Math.min(COPY_BYTES, p.length - done));
			const { bytesRead } = await from.read(buf, 0, buf.length, p.at + done);
			if (bytesRead === 0) throw new Error(`${p.file}：文件比记录的短 (file shorter than recorded)`);
			await write(buf.subarray(0, bytesRead));
			done += bytesRead;
		}
	} finally {
		await from.close();
	}
}
