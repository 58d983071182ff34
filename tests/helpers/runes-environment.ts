import { builtinEnvironments, type Environment } from 'vitest/runtime';

/**
 * Node, with modules compiled for the browser: Svelte's effects run only in
 * its client build, so a test of a rune (`*.svelte.test.ts`) names this
 * environment in a `@vitest-environment` comment.
 */
export default { ...builtinEnvironments.node, name: 'runes', viteEnvironment: 'client' } satisfies Environment;
