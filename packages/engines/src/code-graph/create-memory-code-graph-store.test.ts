import { runCodeGraphStoreContract } from './code-graph-store.contract.ts';
import { createMemoryCodeGraphStore } from './create-memory-code-graph-store.ts';

runCodeGraphStoreContract({ create: () => createMemoryCodeGraphStore() });
