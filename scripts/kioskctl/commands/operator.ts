import { createOperatorService } from '../../../kiosk/controller/auth/operator-service';
import { isOperatorRole, operatorRoles } from '../../../kiosk/controller/auth/roles';
import { storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import { openStoreForCli } from '../../../kiosk/controller/store/open-for-cli';
import { systemClock } from '../../../shared/clock';
import type { KioskctlCommand } from '../main';
import { readPin } from '../read-pin';

const usage = `usage: kioskctl operator add --card <staff card number> --name <name> --role <${operatorRoles.join('|')}>
         (the PIN, 6-12 digits, is read from standard input: typed without echo, or piped)
       kioskctl operator disable <operator id>
       kioskctl operator list [--json]
${storeLocationHelp}
`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

export const command: KioskctlCommand = {
  summary: 'staff who may sign in: add, disable, list',
  async run(argv) {
    const [verb, ...args] = argv;
    if (verb !== 'add' && verb !== 'disable' && verb !== 'list') {
      process.stderr.write(usage);
      return 2;
    }
    const card = option(args, '--card');
    const name = option(args, '--name');
    const role = option(args, '--role') ?? '';
    if (verb === 'add' && (!card || !name || !isOperatorRole(role))) {
      process.stderr.write(usage);
      return 2;
    }
    const opened = await openStoreForCli('operator', args, { create: verb === 'add' });
    if (!opened) return 1;
    const { store, rest } = opened;
    const service = createOperatorService(store, { clock: systemClock });
    try {
      switch (verb) {
        case 'add': {
          if (!card || !name || !isOperatorRole(role)) return 2;
          const added = await service.addOperator({ staffCardNumber: card, name, role, pin: await readPin(), actorId: null });
          if (!added.ok) {
            process.stderr.write(`kioskctl operator add: ${added.error.kind}${added.error.kind === 'weak_pin' ? ` (${added.error.problem})` : ''}\n`);
            return 1;
          }
          process.stdout.write(`${added.value.operatorId}\n`);
          return 0;
        }
        case 'disable': {
          const id = rest[0];
          if (!id) {
            process.stderr.write(usage);
            return 2;
          }
          const disabled = await service.disableOperator(id, null);
          if (!disabled.ok) {
            process.stderr.write(`kioskctl operator disable: no operator ${id}\n`);
            return 1;
          }
          process.stdout.write(`disabled ${id}\n`);
          return 0;
        }
        case 'list': {
          const operators = await service.listOperators();
          if (rest.includes('--json')) {
            process.stdout.write(`${JSON.stringify(operators)}\n`);
          } else {
            for (const o of operators) {
              const state = o.disabled ? 'disabled' : o.lockedUntil ? `locked until ${o.lockedUntil}` : 'active';
              process.stdout.write(`${o.operatorId}  ${o.role.padEnd(10)}  ${state.padEnd(8)}  ${o.name}\n`);
            }
          }
          return 0;
        }
      }
    } finally {
      await store.close();
    }
  },
};
