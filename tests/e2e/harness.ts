// The browser harness lives with the benchmarks that share it (tests may import product code, not the reverse).
export * from '../../src/cli/bench/browser';
