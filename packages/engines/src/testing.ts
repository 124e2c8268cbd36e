/**
 * Contract suites for adapters whose implementations live in other packages (the SQL code graph store is in
 * the server). Kept out of the main entry so importing `@plumb/engines` never pulls in Vitest.
 */
export { runCodeGraphStoreContract, sampleFacts } from './code-graph/code-graph-store.contract.ts';
