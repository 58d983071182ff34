import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// The benchmark builds the site against generated datasets without touching
// build/, static/ or .svelte-kit/: NIANBAO_STATIC is the static folder to
// ship (its data/ is the dataset, read at prerender by +page.server.ts),
// NIANBAO_BUILD the output folder. SvelteKit's own files then go to a folder
// of their own, inside the project so the server code finds node_modules
// (one such build at a time).
const out = process.env.NIANBAO_BUILD || 'build';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ pages: out, assets: out, fallback: undefined, strict: true }),
		// The same folder's data/ is what the build reads (src/lib/server/data-dir.ts).
		files: { assets: process.env.NIANBAO_STATIC || 'static' },
		// Every page's CSS in a <style> of its HTML (a few KB): seven render-blocking stylesheet requests held the
		// first paint of the prerendered charts back (BENCHMARKS.md, first chart).
		inlineStyleThreshold: Infinity,
		...(process.env.NIANBAO_BUILD ? { outDir: 'node_modules/.cache/nianbao/svelte-kit' } : {})
	}
};

export default config;
