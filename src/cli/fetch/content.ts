/**
 * What a response is (HTML, a report document, an image) and how to read it
 * as text. Saved files always keep the bytes as served; decoding is only for
 * finding links.
 */
import { decodeBytes } from '../../lib/report/decode';

/** Attachments saved beside a report page. */
export const DOCUMENT_EXTENSIONS = ['pdf', 'doc', 'docx', 'wps', 'xls', 'xlsx'] as const;
/** Images are listed in the manifest, never downloaded as reports. */
export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'gif', 'bmp', 'webp', 'tif', 'tiff'] as const;

const DOCUMENT_TYPES: Record<string, string> = {
	'application/pdf': 'pdf',
	'application/x-pdf': 'pdf',
	'application/msword': 'doc',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
	'application/vnd.ms-works': 'wps',
	'application/kswps': 'wps',
	'application/wps-office.wps': 'wps',
	'application/vnd.ms-excel': 'xls',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx'
};

function extOf(name: string): string {
	const m = /\.([A-Za-z0-9]{1,5})$/.exec(name);
	return m ? m[1].toLowerCase() : '';
}

/** A URL's last path segment, decoded; as written when its %-escapes are not UTF-8 (`%E4%B8`). */
export function lastSegment(url: URL): string {
	const seg = url.pathname.split('/').pop() ?? '';
	try {
		return decodeURIComponent(seg);
	} catch {
		return seg;
	}
}

/**
 * A file extension a URL points at: its path, or a query value such as
 * `download.jsp?file=report.pdf` or a PDF viewer's `?file=/a/b.pdf`.
 */
export function urlExtension(url: URL): string {
	const own = extOf(lastSegment(url));
	if (isDocumentExt(own) || isImageExt(own)) return own;
	for (const v of url.searchParams.values()) {
		const e = extOf(v.split(/[?#]/)[0]);
		if (isDocumentExt(e) || isImageExt(e)) return e;
	}
	return own;
}

export function isDocumentExt(ext: string): boolean {
	return (DOCUMENT_EXTENSIONS as readonly string[]).includes(ext);
}

export function isImageExt(ext: string): boolean {
	return (IMAGE_EXTENSIONS as readonly string[]).includes(ext);
}

/** The media type without parameters, lower case. */
export function mediaType(contentType: string | null): string {
	return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** A served document's extension from its Content-Type, if it names one we keep. */
export function documentExtOfType(contentType: string | null): string | undefined {
	return DOCUMENT_TYPES[mediaType(contentType)];
}

/** HTML by header, or by its first bytes when the server says nothing useful. */
export function looksLikeHtml(contentType: string | null, bytes: Uint8Array): boolean {
	const t = mediaType(contentType);
	if (t === 'text/html' || t === 'application/xhtml+xml') return true;
	if (t && t !== 'text/plain' && t !== 'application/octet-stream' && t !== 'application/x-unknown') return false;
	const head = new TextDecoder('latin1')
		.decode(bytes.subarray(0, 1024))
		.replace(/^\ufeff|^\u00ef\u00bb\u00bf/, '')
		.trimStart()
		.toLowerCase();
	return head.startsWith('<!doctype html') || head.startsWith('<html') || /<(head|body|title)[\s>]/.test(head);
}

export function charsetOf(contentType: string | null): string | undefined {
	const m = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '');
	return m?.[1].toLowerCase();
}

/**
 * Text of an HTML page: the charset of the Content-Type header when the bytes
 * decode under it; otherwise the project's decoder (BOM, valid UTF-8,
 * <meta charset>, GB18030/Big5 by content).
 */
export function decodeHtml(bytes: Uint8Array, contentType: string | null): string {
	const declared = charsetOf(contentType);
	if (declared) {
		try {
			return new TextDecoder(declared, { fatal: true }).decode(bytes);
		} catch {
			// unknown label, or bytes that are not in it: fall through
		}
	}
	return decodeBytes(bytes).text;
}

function percentBytes(s: string): Uint8Array {
	const out: number[] = [];
	for (let i = 0; i < s.length; i++) {
		if (s[i] === '%' && /^[0-9a-f]{2}$/i.test(s.slice(i + 1, i + 3))) {
			out.push(parseInt(s.slice(i + 1, i + 3), 16));
			i += 2;
		} else out.push(s.charCodeAt(i) & 0xff);
	}
	return Uint8Array.from(out);
}

/** Header values arrive as Latin-1; servers send UTF-8 or GBK bytes in them. */
function reinterpretHeader(s: string): string {
	if (!/[\u0080-\u00ff]/.test(s)) return s;
	const bytes = Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return new TextDecoder('gb18030').decode(bytes);
	}
}

/** The file name a Content-Disposition header gives, if any. */
export function dispositionFileName(header: string | null): string | undefined {
	if (!header) return undefined;
	const star = /filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)/i.exec(header);
	if (star) {
		try {
			return new TextDecoder(star[1].toLowerCase()).decode(percentBytes(star[2].trim()));
		} catch {
			// fall back to filename=
		}
	}
	const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/i.exec(header);
	const name = plain?.[1] ?? plain?.[2]?.trim();
	if (!name) return undefined;
	let decoded = reinterpretHeader(name);
	if (/%[0-9a-f]{2}/i.test(decoded)) {
		try {
			decoded = decodeURIComponent(decoded);
		} catch {
			// keep as is
		}
	}
	return decoded;
}

/** A file name for a saved response: what the server calls it, else the URL's last segment. */
export function responseFileName(url: URL, contentDisposition: string | null, fallbackExt: string): string {
	const fromHeader = dispositionFileName(contentDisposition);
	let name = fromHeader || lastSegment(url) || '';
	if (!extOf(name) && fallbackExt) name = `${name || 'file'}.${fallbackExt}`;
	return name;
}

/**
 * How a page shows that it is a report: the national tables' headings
 * ('tables'), or the old prose sections ('prose': 主动公开 … 依申请公开 …
 * 行政复议, which a portal's menu alone also has, so weaker).
 */
export function reportEvidence(text: string): 'tables' | 'prose' | null {
	if (/主动公开政府信息情况|收到和处理政府信息公开申请/.test(text)) return 'tables';
	if (/主动公开/.test(text) && /依申请公开/.test(text) && /行政复议|行政诉讼/.test(text)) return 'prose';
	return null;
}
