import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser tests: one file at a time, each building or reusing build/ and serving it.
export default defineConfig({
	// Tests take the app's constants from its modules (one definition), which import through $lib.
	resolve: { alias: { $lib: fileURLToPath(new URL('./src/lib', import.meta.url)) } },
	test: {
		include: ['tests/e2e/**/*.test.ts'],
		fileParallelism: false,
		// Generous: these bound a hang, not speed (CI machines are shared and may be loaded).
		testTimeout: 300_000,
		hookTimeout: 600_000
	}
});
