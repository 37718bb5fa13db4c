#!/usr/bin/env node
// kioskctl: the technicians' CLI. The commands are TypeScript, loaded through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./kioskctl/main.ts');
process.exitCode = await main(process.argv.slice(2));
