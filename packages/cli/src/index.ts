export { createProgram } from './create-program.ts';
export { runProgram } from './run-program.ts';
export { exitCodes } from './fail-command.ts';
export type { ProgramIo, SignalSource } from './program-io.ts';
