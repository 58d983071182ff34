/**
 * SvelteKit's start script, held back until the prerendered page has painted (app.html's nianbaoFirstPaint).
 * Evaluated first, the app's modules held the first frame, and the prerendered charts in it, back. Their preloads
 * wait too: the head's modulepreload links become links the start script adds once the page has painted, just
 * before its imports, so the whole graph still loads at once. Preloaded from the head, their ~26 requests and the
 * compilation of the modules competed with the first frame's layout and raster for a 2-core machine's CPU
 * (BENCHMARKS.md, first chart).
 */

/** The start script's imports of the app's two entry modules, as SvelteKit writes them into every page. */
const START = /Promise\.all\(\[(\s*import\("[^"]+"\),?){2}\s*\]\)/;
/** A page that SvelteKit starts in the browser. */
const STARTS = '__sveltekit_';
/** A modulepreload link of the head, as SvelteKit writes it (with the indentation and line break before it). */
const PRELOAD = /[ \t]*<link href="([^"]+)" rel="modulepreload">\n?/g;

/** A page's HTML with its start script and its module preloads waiting for the first paint; `strict`: fail (at build) where the script is not recognised. */
export function startAfterFirstPaint(html: string, strict: boolean): string {
	const match = START.exec(html);
	if (!match) {
		if (strict && html.includes(STARTS)) throw new Error("first-paint: SvelteKit's start script has changed shape; the app would start before the first paint");
		return html;
	}
	const head = html.slice(0, match.index);
	const hrefs = [...head.matchAll(PRELOAD)].map((m) => m[1]);
	const rest = head.replace(PRELOAD, '');
	if (strict && rest.includes('modulepreload'))
		throw new Error('first-paint: the modulepreload links have changed shape; they would load before the first paint');
	const preload = hrefs.length
		? `${JSON.stringify(hrefs)}.forEach((href) => document.head.appendChild(Object.assign(document.createElement('link'), { rel: 'modulepreload', href }))), `
		: '';
	const start = preload ? `(${preload}${match[0]})` : match[0];
	return `${rest}window.nianbaoFirstPaint.then(() => ${start})${html.slice(match.index + match[0].length)}`;
}
