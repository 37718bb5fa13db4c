/**
 * The kiosk I/O board's wiring, as configuration: one place that says which Arduino Uno pin does
 * what (hardware/README.md describes the wiring itself). The program and the simulator both read it.
 *
 * Electrical conventions (docs/protocols.md):
 * - bill acceptor credit output is open collector: the input uses the board's pull-up and a pulse
 *   pulls it LOW;
 * - bill acceptor inhibit is active HIGH: HIGH = refuse notes;
 * - the door switch closes to ground while the door is shut (pull-up input): LOW = shut,
 *   HIGH = open, so a cut wire reads as an open door (fail safe);
 * - status lamps and buzzer are switched through a driver board: HIGH = on.
 */
export interface KioskPinMap {
  readonly statusLight: {
    readonly red: number;
    readonly amber: number;
    readonly green: number;
  };
  /** Active buzzer (it has its own oscillator): on/off only. */
  readonly buzzer: number;
  /** Photo fill light LED driver: must be a PWM pin. */
  readonly fillLight: number;
  readonly billPulse: number;
  readonly billInhibit: number;
  readonly tamper: number;
}

/** Arduino Uno, StandardFirmataPlus. Lamps and buzzer on non-PWM pins so they are plain outputs. */
export const defaultPinMap: KioskPinMap = {
  statusLight: { red: 7, amber: 8, green: 12 },
  buzzer: 4,
  fillLight: 9,
  billPulse: 2,
  billInhibit: 5,
  tamper: 3,
};

/** PWM duty (0-255) of the fill light when on: bright enough for the camera without glare. */
export const fillLightDuty = 200;

export const levels = {
  billPulseActive: 0,
  billInhibited: 1,
  doorOpen: 1,
  doorShut: 0,
} as const;
