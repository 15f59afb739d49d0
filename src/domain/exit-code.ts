/** Exit codes with a meaning (sysexits.h), so scripts can tell failures apart. */
export const ExitCode = {
  ok: 0,
  /** Some items failed but the run finished (partial import). */
  partial: 1,
  usage: 64,
  dataError: 65,
  unavailable: 69,
  software: 70,
  ioError: 74,
  config: 78,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
