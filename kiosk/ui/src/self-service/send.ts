import type { KioskCommand } from '../../../../shared/contract/kiosk-api';

/** How a self-service screen sends its commands: the app's `command`, a recorder in tests. */
export type Send = (command: KioskCommand) => void;
