import { sveltekit } from '@sveltejs/kit/vite';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { precompress } from './src/cli/site/precompress';

/**
 * pdf.js's cmaps/ and standard_fonts/ served by the app itself at /pdfjs/…
 * (the upload page parses PDFs in the browser; never a CDN): read from
 * node_modules in dev, emitted into the build's client assets otherwise.
 */
function pdfjsAssets(): Plugin {
	const pkg = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
	const folders = ['cmaps', 'standard_fonts'];
	return {
		name: 'nianbao-pdfjs-assets',
		configureServer(server) {
			server.middlewares.use('/pdfjs', (req, res, next) => {
				const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
				const file = normalize(join(pkg, path));
				const folder = folders.find((f) => file.startsWith(join(pkg, f) + sep));
				if (!folder || !statSync(file, { throwIfNoEntry: false })?.isFile()) return next();
				res.setHeader('Content-Type', 'application/octet-stream');
				createReadStream(file).pipe(res);
			});
		},
		generateBundle() {
			// Client build only: the server bundle has no use for them.
			if (this.environment.config.consumer !== 'client') return;
			for (const folder of folders)
				for (const name of readdirSync(join(pkg, folder)))
					this.emitFile({ type: 'asset', fileName: `pdfjs/${folder}/${name}`, source: readFileSync(join(pkg, folder, name)) });
		}
	};
}

/**
 * Brotli and gzip copies of the built site (src/cli/site/precompress.ts),
 * once the adapter has written it: after SvelteKit's own closeBundle, which
 * runs the adapter at the end of the server build.
 */
function precompressSite(): Plugin {
	return {
		name: 'nianbao-precompress',
		closeBundle: {
			sequential: true,
			order: 'post',
			async handler() {
				if (!this.environment.config.build.ssr) return;
				const out = process.env.NIANBAO_BUILD || 'build';
				const n = await precompress(out, 'node_modules/.cache/nianbao/precompress');
				this.environment.logger.info(`precompressed ${n} files of ${out}/ (.br, .gz)`);
			}
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), pdfjsAssets(), precompressSite()],
	// The parse worker imports pdf.js and mammoth on demand: code-split, so an ES module worker.
	worker: { format: 'es' },
	test: {
		// Only a hang should ever reach these (speed lives in benches): the corpus ingest in a beforeAll takes seconds alone, minutes on a busy 2-core machine.
		testTimeout: 300_000,
		hookTimeout: 300_000,
		projects: [
			{ extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts', 'src/**/*.test.ts'], exclude: ['tests/e2e/**', 'src/**/*.svelte.test.ts'] } },
			// Runes (*.svelte.test.ts): Svelte's effects run only in its browser build, compiled for the client.
			{
				extends: true,
				resolve: { conditions: ['browser'] },
				test: {
					name: 'runes',
					include: ['src/**/*.svelte.test.ts'],
					environment: './tests/helpers/runes-environment.ts',
					server: { deps: { inline: ['svelte'] } }
				}
			}
		]
	}
});
