/**
 * CSV that Excel opens correctly with Chinese text: UTF-8 with a byte-order
 * mark, CRLF line ends, RFC 4180 quoting. Cells that a spreadsheet would run
 * as a formula (=, +, -, @ at the start of text) are prefixed with a quote.
 */
export type CsvValue = string | number | boolean | null | undefined;

function cell(v: CsvValue): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
	if (typeof v === 'boolean') return v ? 'true' : 'false';
	let s = v;
	if (/^[=+\-@\t\r]/.test(s) && !/^[-+]?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: readonly string[], rows: readonly (readonly CsvValue[])[], header: readonly string[] = columns): string {
	const lines = [header.map(cell).join(','), ...rows.map((r) => columns.map((_, i) => cell(r[i])).join(','))];
	return '\ufeff' + lines.join('\r\n') + '\r\n';
}

/** Rows as objects → CSV with the given columns (and optional header labels). */
export function objectsToCsv<T extends Record<string, CsvValue>>(
	rows: readonly T[],
	columns: readonly (keyof T & string)[],
	header?: readonly string[]
): string {
	return toCsv(
		columns,
		rows.map((r) => columns.map((c) => r[c])),
		header ?? columns
	);
}

/** Offer text or bytes as a download (browser only). */
export function download(name: string, data: BlobPart, type: string): void {
	const url = URL.createObjectURL(new Blob([data], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
