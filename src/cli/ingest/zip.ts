/**
 * A small zip writer for the dataset's CSV download: files are streamed
 * through deflate (method 8) one after another, each followed by a data
 * descriptor, so no file is ever held in memory. No zip64: a file or the
 * archive past 4 GiB is refused with an error rather than written wrong.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDeflateRaw } from 'node:zlib';

export interface ZipEntry {
	/** The name inside the archive: UTF-8 (flagged so), but keep it ASCII — Debian's unzip 6.0 shows other names garbled. */
	name: string;
	/** The file whose bytes it holds. */
	file: string;
	/** Bytes written before the file's (a UTF-8 byte-order mark, so spreadsheet programs read Chinese right). */
	prefix?: Uint8Array;
}

const LIMIT = 0xffffffff;

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

/** CRC-32 (ISO 3309, as zip uses it), continued from `crc` (0 to start). */
export function crc32(bytes: Uint8Array, crc = 0): number {
	let c = (crc ^ 0xffffffff) >>> 0;
	for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

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
const VERSION = 20;

/** Write `entries` to `path` as a zip archive. Errors (unreadable file, full disk, over 4 GiB) reject; the caller removes the file. */
export async function writeZip(path: string, entries: readonly ZipEntry[], modified = new Date()): Promise<void> {
	const fh = await open(path, 'w');
	let offset = 0;
	const write = async (b: Uint8Array) => {
		await fh.write(b);
		offset += b.length;
		if (offset > LIMIT) throw new Error('压缩包超过 4 GiB（未写 zip64）');
	};
	const { time, date } = dosTime(modified);
	const central: Buffer[] = [];
	try {
		for (const e of entries) {
			const name = Buffer.from(e.name, 'utf8');
			const start = offset;
			const local = Buffer.alloc(30);
			local.writeUInt32LE(0x04034b50, 0);
			local.writeUInt16LE(VERSION, 4);
			local.writeUInt16LE(FLAGS, 6);
			local.writeUInt16LE(DEFLATE, 8);
			local.writeUInt16LE(time, 10);
			local.writeUInt16LE(date, 12);
			// CRC and sizes: 0 here, in the data descriptor after the data.
			local.writeUInt16LE(name.length, 26);
			await write(Buffer.concat([local, name]));

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
					if (size > LIMIT) throw new Error(`${e.name} 超过 4 GiB（未写 zip64）`);
					yield chunk;
				}
			}
			await pipeline(Readable.from(bytes()), createDeflateRaw({ level: 6 }), async (source: AsyncIterable<Buffer>) => {
				for await (const out of source) {
					compressed += out.length;
					await write(out);
				}
			});

			const descriptor = Buffer.alloc(16);
			descriptor.writeUInt32LE(0x08074b50, 0);
			descriptor.writeUInt32LE(crc, 4);
			descriptor.writeUInt32LE(compressed, 8);
			descriptor.writeUInt32LE(size, 12);
			await write(descriptor);

			const header = Buffer.alloc(46);
			header.writeUInt32LE(0x02014b50, 0);
			header.writeUInt16LE(VERSION, 4); // made by: MS-DOS, 2.0
			header.writeUInt16LE(VERSION, 6);
			header.writeUInt16LE(FLAGS, 8);
			header.writeUInt16LE(DEFLATE, 10);
			header.writeUInt16LE(time, 12);
			header.writeUInt16LE(date, 14);
			header.writeUInt32LE(crc, 16);
			header.writeUInt32LE(compressed, 20);
			header.writeUInt32LE(size, 24);
			header.writeUInt16LE(name.length, 28);
			header.writeUInt32LE(start, 42);
			central.push(header, name);
		}
		const directory = Buffer.concat(central);
		const at = offset;
		await write(directory);
		const end = Buffer.alloc(22);
		end.writeUInt32LE(0x06054b50, 0);
		end.writeUInt16LE(entries.length, 8);
		end.writeUInt16LE(entries.length, 10);
		end.writeUInt32LE(directory.length, 12);
		end.writeUInt32LE(at, 16);
		await write(end);
		await fh.sync();
	} finally {
		await fh.close();
	}
}
