// Merge shim, not for keeping: src/lib/db/{lazy,queries}.test.ts (owned by another branch, moving to tests/db/) still
// import this path. At merge they import '../../src/cli/bench/data' and this file goes.
export { writeScaleDataset } from './bench/data';
