/**
 * SvelteKit's start script, held back until the prerendered page has painted (app.html's nianbaoFirstPaint).
 * Its modules stay preloaded from the head, so they load while the page parses and paints; only their evaluation
 * waits. Evaluated first, they held the first frame, and the prerendered charts in it, back (BENCHMARKS.md, first chart).
 */

/** The start script's imports of the app's two entry modules, as SvelteKit writes them into every page. */
const START = /Promise\.all\(\[(\s*import\("[^"]+"\),?){2}\s*\]\)/;
/** A page that SvelteKit starts in the browser. */
const STARTS = '__sveltekit_';

/** A page's HTML with its start script waiting for the first paint; `strict`: fail (at build) where the script is not recognised. */
export function startAfterFirstPaint(html: string, strict: boolean): string {
	const match = START.exec(html);
	if (!match) {
		if (strict && html.includes(STARTS)) throw new Error("first-paint: SvelteKit's start script has changed shape; the app would start before the first paint");
		return html;
	}
	return html.slice(0, match.index) + `window.nianbaoFirstPaint.then(() => ${match[0]})` + html.slice(match.index + match[0].length);
}
