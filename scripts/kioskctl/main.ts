import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `kioskctl <group> [args...]` runs `commands/<group>.ts`, which exports
 * `run(args: string[]): Promise<number>` (the exit code: 0 ok, 1 failed check, 2 usage error).
 */
export interface KioskctlCommand {
  readonly summary: string;
  run(args: string[]): Promise<number>;
}

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
const groupPattern = /^[a-z][a-z-]*$/;

export async function main(argv: string[]): Promise<number> {
  const [group, ...rest] = argv;
  if (!group || group === 'help' || group === '--help') {
    await printHelp();
    return group ? 0 : 2;
  }
  const file = join(commandsDir, `${group}.ts`);
  if (!groupPattern.test(group) || !existsSync(file)) {
    process.stderr.write(`kioskctl: unknown command '${group}'. Run 'kioskctl help' for the list.\n`);
    return 2;
  }
  const command = (await import(file)) as { command: KioskctlCommand };
  return command.command.run(rest);
}

async function printHelp(): Promise<void> {
  const { readdirSync } = await import('node:fs');
  const lines = ['usage: kioskctl <command> [args...]', ''];
  for (const name of readdirSync(commandsDir).filter((f) => f.endsWith('.ts')).sort()) {
    const module = (await import(join(commandsDir, name))) as { command: KioskctlCommand };
    lines.push(`  ${name.replace(/\.ts$/, '').padEnd(14)} ${module.command.summary}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
