import { join, resolve } from 'node:path';

/**
 * The dataset the build reads (snapshot, start data, answer files):
 * static/data, unless NIANBAO_STATIC names another static folder (the
 * benchmarks build the site against generated datasets; the same variable
 * tells svelte.config.js which folder to ship).
 */
export const DATA_DIR = join(resolve(process.env.NIANBAO_STATIC || 'static'), 'data');
