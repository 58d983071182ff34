/**
 * What a report page offers the crawler: its report title, the documents and
 * images it links, and the names its files are saved under.
 */
import { isDocumentExt, isImageExt, lastSegment, urlExtension } from './content';
import { linkTitle, type ParsedPage } from './links';
import { classifyTitle } from './titles';

export interface Attachment {
	url: URL;
	text: string;
}

/** The report-looking part of a page title ("…年度报告_某某门户网站" → "…年度报告"). */
export function pageReportTitle(page: ParsedPage): string {
	for (const h of page.headings) if (classifyTitle(h).kind === 'report') return h;
	const parts = page.title.split(/\s*[_|｜—–]\s*|\s+-\s+/).filter(Boolean);
	return parts.find((p) => classifyTitle(p).kind === 'report') ?? parts[0] ?? page.headings[0] ?? '';
}

/** Document links of a report page (by URL or by link text such as "附件：报告.pdf"). */
export function documentLinks(page: ParsedPage): Attachment[] {
	const out: Attachment[] = [];
	const seen = new Set<string>();
	for (const l of page.links) {
		if (!l.url || seen.has(l.url.href)) continue;
		const textExt = /\.([A-Za-z]{3,4})\s*$/.exec(l.text)?.[1].toLowerCase() ?? '';
		if (isDocumentExt(urlExtension(l.url)) || (l.tag === 'a' && isDocumentExt(textExt))) {
			seen.add(l.url.href);
			out.push({ url: l.url, text: linkTitle(l) });
		}
	}
	return out;
}

/** Images shown or linked on a report page: listed, not downloaded. */
export function imageLinks(page: ParsedPage): Attachment[] {
	const out: Attachment[] = page.images.map((url) => ({ url, text: '' }));
	const seen = new Set(out.map((a) => a.url.href));
	for (const l of page.links) {
		if (l.tag === 'a' && l.url && !seen.has(l.url.href) && isImageExt(urlExtension(l.url))) {
			seen.add(l.url.href);
			out.push({ url: l.url, text: l.text });
		}
	}
	return out;
}

/** A saved page keeps its own name when it has an HTML extension; otherwise name.html. */
export function pageFileName(url: URL): string {
	const seg = lastSegment(url);
	if (/\.(html?|shtml|xhtml)$/i.test(seg)) return seg;
	const base = seg.replace(/\.[A-Za-z0-9]{1,5}$/, '');
	return `${base || 'index'}.html`;
}

/** Keep the server's name, but make sure it ends in the document's extension. */
export function withDocumentExt(name: string, ext: string): string {
	if (!ext) return name;
	const m = /\.([A-Za-z0-9]{1,5})$/.exec(name);
	if (m && isDocumentExt(m[1].toLowerCase())) return name;
	return `${name.replace(/\.(jsp|php|aspx?|do|action|cgi)$/i, '')}.${ext}`;
}
