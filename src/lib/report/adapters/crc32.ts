/**
 * CRC-32 (the zip polynomial) by table, for the zip entries we write: .docx parts rebuilt here and by the test writer, and
 * the ingest's CSV zip where zlib has no crc32 of its own (Node before 20.15).
 */

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

/** The CRC-32 of `data`, continued from `crc` (0 to start). */
export function crc32(data: Uint8Array, crc = 0): number {
	let c = (crc ^ 0xffffffff) >>> 0;
	for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}
