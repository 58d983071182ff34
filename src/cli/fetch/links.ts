/**
 * One HTML page → what the crawler needs from it: links with their text and
 * the date listed beside them, images, inline scripts, title, visible text.
 */
import { Parser } from 'htmlparser2';

export interface PageLink {
	/** Resolved, without #fragment; null for javascript:, mailto: and bad hrefs. */
	url: URL | null;
	href: string;
	/** The link's text, white space collapsed. */
	text: string;
	/** The title attribute: lists often cut the text short ("…") and keep the whole title here. */
	titleAttr: string;
	/** YYYY-MM-DD found beside the link in its list item (li, tr, dd, p, div holding only this link). */
	listedDate: string | null;
	/** Where it came from: a link, or a frame/embed/object (PDF viewers). */
	tag: 'a' | 'frame';
}

export interface ParsedPage {
	title: string;
	headings: string[];
	links: PageLink[];
	images: URL[];
	/** Inline script text, for pagination calls. */
	script: string;
	/** Visible text, white space collapsed. */
	text: string;
}

const CONTAINERS = new Set(['li', 'tr', 'td', 'dd', 'dt', 'p', 'div', 'span']);
const HIDDEN = new Set(['style', 'noscript', 'template']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const DATE = /((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/;

export function squash(s: string): string {
	return s.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

/** `new URL(href, base)` for http(s) links, without the fragment. */
export function resolveLink(href: string, base: URL): URL | null {
	const h = href.trim();
	if (!h || /^(javascript|mailto|tel|data|about):/i.test(h) || h.startsWith('#')) return null;
	try {
		const u = new URL(h, base);
		if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
		u.hash = '';
		return u;
	} catch {
		return null;
	}
}

export function findDate(text: string): string | null {
	const m = DATE.exec(text);
	if (!m) return null;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
	return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

interface Container {
	text: string;
	links: number;
}

export function parsePage(html: string, pageUrl: URL): ParsedPage {
	let base = pageUrl;
	let title = '';
	let inTitle = false;
	const headings: string[] = [];
	let heading: string | null = null;
	const text: string[] = [];
	const scripts: string[] = [];
	let inScript = false;
	let hidden = 0;
	const stack: { name: string; box?: Container }[] = [];
	const links: (PageLink & { chain: Container[]; raw: string })[] = [];
	let link: (PageLink & { chain: Container[]; raw: string }) | null = null;
	const images: URL[] = [];
	const seenImages = new Set<string>();

	const addText = (t: string) => {
		for (const s of stack) if (s.box) s.box.text += t;
	};

	const parser = new Parser(
		{
			onopentag(name, a) {
				if (name === 'base' && a.href) {
					const b = resolveLink(a.href, pageUrl);
					if (b) base = b;
				}
				if (name === 'title') inTitle = true;
				if (name === 'script') inScript = true;
				if (HIDDEN.has(name)) hidden++;
				if (/^h[1-3]$/.test(name)) heading = '';
				if (name === 'img' && a.src) {
					const u = resolveLink(a.src, base);
					if (u && !seenImages.has(u.href)) {
						seenImages.add(u.href);
						images.push(u);
					}
				}
				if (name === 'iframe' || name === 'frame' || name === 'embed' || name === 'object') {
					const src = a.src ?? a.data;
					if (src)
						links.push({ url: resolveLink(src, base), href: src, text: '', titleAttr: a.title ?? '', listedDate: null, tag: 'frame', chain: [], raw: '' });
				}
				if (name === 'a' && a.href !== undefined) {
					const chain = stack
						.filter((s) => s.box)
						.map((s) => s.box!)
						.reverse();
					for (const c of chain) c.links++;
					link = { url: resolveLink(a.href, base), href: a.href, text: '', titleAttr: squash(a.title ?? ''), listedDate: null, tag: 'a', chain, raw: '' };
					links.push(link);
				}
				if (!VOID.has(name)) stack.push({ name, box: CONTAINERS.has(name) ? { text: '', links: 0 } : undefined });
			},
			ontext(t) {
				if (inScript) {
					scripts.push(t);
					return;
				}
				if (inTitle) title += t;
				if (hidden) return;
				text.push(t);
				if (heading !== null) heading += t;
				if (link) link.raw += t;
				addText(t);
			},
			onclosetag(name) {
				if (name === 'title') inTitle = false;
				if (name === 'script') inScript = false;
				if (HIDDEN.has(name)) hidden = Math.max(0, hidden - 1);
				if (/^h[1-3]$/.test(name) && heading !== null) {
					const h = squash(heading);
					if (h) headings.push(h);
					heading = null;
				}
				if (name === 'a') link = null;
				if (VOID.has(name)) return;
				// Pop to the matching open tag (tolerates unclosed children).
				for (let i = stack.length - 1; i >= 0; i--) {
					if (stack[i].name === name) {
						stack.length = i;
						break;
					}
				}
				if (CONTAINERS.has(name) || name === 'br') addText(' ');
			}
		},
		{ decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true }
	);
	parser.write(html);
	parser.end();

	return {
		title: squash(title),
		headings,
		links: links.map(({ chain, raw, ...l }) => ({ ...l, text: squash(raw), listedDate: l.tag === 'a' ? dateBeside(chain, raw) : null })),
		images,
		script: scripts.join('\n'),
		text: squash(text.join(' '))
	};
}

/** The date in the innermost container that holds this link and no other. */
function dateBeside(chain: Container[], linkText: string): string | null {
	for (const c of chain) {
		if (c.links > 1) return null;
		const d = findDate(c.text.replace(linkText, ' '));
		if (d) return d;
	}
	return null;
}

/** The link's title: the title attribute when the text is cut short or missing. */
export function linkTitle(l: PageLink): string {
	if (l.titleAttr && (l.titleAttr.length > l.text.length || /(…|\.\.\.)$/.test(l.text))) return l.titleAttr;
	return l.text || l.titleAttr;
}
