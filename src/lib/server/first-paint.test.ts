import { describe, expect, it } from 'vitest';
import { startAfterFirstPaint } from './first-paint';

// SvelteKit's start script as it writes it into a prerendered page (@sveltejs/kit runtime/server/page/render.js).
const page = `<script>
	{
		__sveltekit_abc = { base: new URL(".", location).pathname.slice(0, -1) };
		const element = document.currentScript.parentElement;
		Promise.all([
			import("./_app/immutable/entry/start.X1.js"),
			import("./_app/immutable/entry/app.Y2.js")
		]).then(([kit, app]) => {
			kit.start(app, element, { node_ids: [0, 2] });
		});
	}
</script>`;

describe('startAfterFirstPaint', () => {
	it("waits for the page's first paint before importing the app's entry modules", () => {
		const out = startAfterFirstPaint(page, true);
		expect(out).toContain(
			'window.nianbaoFirstPaint.then(() => Promise.all([\n\t\t\timport("./_app/immutable/entry/start.X1.js"),\n\t\t\timport("./_app/immutable/entry/app.Y2.js")\n\t\t])).then(([kit, app]) => {'
		);
		// nothing else changes
		expect(out.replace('window.nianbaoFirstPaint.then(() => ', '').replace('])).then', ']).then')).toBe(page);
		// once only: the imports are no longer at the start of a Promise.all
		expect(out.match(/nianbaoFirstPaint/g)).toHaveLength(1);
	});

	it('leaves a page without the app alone', () => {
		const html = '<!doctype html><p>no scripts</p>';
		expect(startAfterFirstPaint(html, true)).toBe(html);
	});

	it('fails at build where the start script is not recognised, and leaves it alone otherwise', () => {
		const changed = page.replace('Promise.all([', 'Promise.allSettled([');
		expect(() => startAfterFirstPaint(changed, true)).toThrow(/start script has changed shape/);
		expect(startAfterFirstPaint(changed, false)).toBe(changed);
	});

	// SvelteKit's head of a prerendered page: the app's modules preloaded before the body.
	const head = `<head>
		<title>t</title>
		<link href="./_app/immutable/entry/start.X1.js" rel="modulepreload">
		<link href="./_app/immutable/chunks/C3.js" rel="modulepreload">
		<style>p{}</style>
	</head>`;

	it("moves the head's module preloads to the start script, after the first paint and before the imports", () => {
		const out = startAfterFirstPaint(head + page, true);
		expect(out).not.toContain('rel="modulepreload"');
		expect(out).toContain('<head>\n\t\t<title>t</title>\n\t\t<style>p{}</style>');
		const after = out.slice(out.indexOf('window.nianbaoFirstPaint.then(() => ('));
		expect(after.indexOf('["./_app/immutable/entry/start.X1.js","./_app/immutable/chunks/C3.js"].forEach(')).toBeGreaterThan(0);
		expect(after.indexOf('].forEach(')).toBeLessThan(after.indexOf('import("./_app/immutable/entry/start.X1.js")'));
		// the script still runs, and adds the links once the first paint has come
		const links: { rel: string; href: string }[] = [];
		let painted: () => void = () => {};
		const document = {
			currentScript: { parentElement: {} },
			head: { appendChild: (l: { rel: string; href: string }) => links.push(l) },
			createElement: () => ({})
		};
		const window = { nianbaoFirstPaint: new Promise<void>((resolve) => (painted = resolve)) };
		const script = out.slice(out.indexOf('<script>') + '<script>'.length, out.indexOf('</script>'));
		// the imports are never reached here: the .then after them is left waiting
		new Function('window', 'document', 'location', `${script.replace(/import\(/g, '(() => new Promise(() => {}))(')}`)(window, document, 'http://x/');
		expect(links).toEqual([]);
		painted();
		return window.nianbaoFirstPaint.then(() =>
			expect(links).toEqual([
				{ rel: 'modulepreload', href: './_app/immutable/entry/start.X1.js' },
				{ rel: 'modulepreload', href: './_app/immutable/chunks/C3.js' }
			])
		);
	});

	it('fails at build where the module preloads are not recognised', () => {
		const changed = head.replaceAll('rel="modulepreload"', 'rel="modulepreload" crossorigin') + page;
		expect(() => startAfterFirstPaint(changed, true)).toThrow(/modulepreload links have changed shape/);
	});
});
