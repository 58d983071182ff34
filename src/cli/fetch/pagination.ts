/**
 * The other pages of a list: TRS-style `createPageHTML(...)` script calls,
 * "下一页" links and plain page-number links.
 */
import type { PageLink } from './links';

/** More list pages than this under one column is a runaway, not a column. */
export const MAX_LIST_PAGES = 1000;

type Arg = number | string | undefined;

/** The literal arguments of a call, with `var countPage = 12` style names resolved. */
function callArgs(argText: string, script: string): Arg[] {
	return argText.split(',').map((a) => {
		const s = a.trim();
		const str = /^(['"])(.*)\1$/.exec(s);
		if (str) return str[2];
		if (/^\d+$/.test(s)) return Number(s);
		if (/^[A-Za-z_$][\w$]*$/.test(s)) {
			const name = s.replace(/\$/g, '\\$');
			const v = new RegExp(`(?:^|[;\\s{(])${name}\\s*=\\s*(\\d+|(['"])[^'"]*\\2)`).exec(script);
			if (v) return /^\d/.test(v[1]) ? Number(v[1]) : v[1].slice(1, -1);
		}
		return undefined;
	});
}

export interface ScriptPagination {
	/** Total pages. */
	count: number;
	/** 0-based index of the page the call sits on. */
	current: number;
	prefix: string;
	suffix: string;
}

/**
 * `createPageHTML(12, 0, "index", "html")` (total pages, current index,
 * prefix, suffix) and the newer `createPageHTML('page_div', 12, 0, 'index',
 * 'html', 233)`: find two numbers followed by two strings.
 */
export function findScriptPagination(script: string): ScriptPagination | undefined {
	for (const m of script.matchAll(/createPageHTML\s*\(([^)]*)\)/g)) {
		const args = callArgs(m[1], script);
		for (let i = 0; i + 3 < args.length; i++) {
			const [count, current, prefix, suffix] = args.slice(i, i + 4);
			if (typeof count === 'number' && typeof current === 'number' && typeof prefix === 'string' && typeof suffix === 'string' && prefix && suffix) {
				return { count, current, prefix, suffix };
			}
		}
	}
	return undefined;
}

/**
 * index.html, index_1.html, … index_{count-1}.html beside the current page;
 * at most one past the cap, so that the walk can tell the list goes on.
 */
export function scriptPageUrls(p: ScriptPagination, pageUrl: URL): URL[] {
	const out: URL[] = [];
	const n = Math.min(p.count, MAX_LIST_PAGES + 1);
	for (let i = 0; i < n; i++) {
		const name = i === 0 ? `${p.prefix}.${p.suffix}` : `${p.prefix}_${i}.${p.suffix}`;
		out.push(new URL(name, pageUrl));
	}
	return out;
}

const NEXT = /^(下一页|下页|后一页|下一頁|next|next page|›|»|>|>>)$/i;
const LAST = /^(尾页|末页|最后一页|尾頁|last)$/i;
const NUMBER = /^(\[\s*\d{1,4}\s*\]|\d{1,4}|第\s*\d{1,4}\s*页)$/;

/** Links whose text says "next", "last" or a page number. */
export function isPaginationText(text: string): boolean {
	const t = text.replace(/\s+/g, ' ').trim();
	return NEXT.test(t) || LAST.test(t) || NUMBER.test(t);
}

/** The folder a list page sits in: its other pages are expected there too. */
export function columnOf(url: URL): string {
	return url.origin + url.pathname.replace(/[^/]*$/, '');
}

/**
 * Other pages of the list this page belongs to: the script's pages, then
 * next / last / numbered links in the same folder (a "1 2 3" elsewhere on
 * the page, or the site's 首页, is not this list's pagination).
 */
export function paginationUrls(script: string, links: PageLink[], pageUrl: URL): URL[] {
	const out: URL[] = [];
	const seen = new Set<string>();
	const add = (u: URL) => {
		const key = u.href;
		if (!seen.has(key)) {
			seen.add(key);
			out.push(u);
		}
	};
	const sp = findScriptPagination(script);
	if (sp) scriptPageUrls(sp, pageUrl).forEach(add);
	const column = columnOf(pageUrl);
	for (const l of links) {
		if (!l.url || !isPaginationText(l.text)) continue;
		if (columnOf(l.url) === column || l.url.href.startsWith(column)) add(l.url);
	}
	return out;
}
