// The card thread's entry (simulator.ts starts it as a worker): a worker does not inherit every host's
// TypeScript loader (vitest's forks have none, `node --import tsx` passes its own), so it loads
// virtual-card-thread.ts through tsx's scoped loader itself.
import { tsImport } from 'tsx/esm/api';

await tsImport('./virtual-card-thread.ts', import.meta.url);
