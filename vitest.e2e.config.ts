import { defineConfig } from 'vitest/config';

// Browser tests: one file at a time, each building or reusing build/ and serving it.
export default defineConfig({
	test: {
		include: ['tests/e2e/**/*.test.ts'],
		fileParallelism: false,
		// Generous: these bound a hang, not speed (CI machines are shared and may be loaded).
		testTimeout: 300_000,
		hookTimeout: 600_000
	}
});
