#!/usr/bin/env -S node --import tsx
import { runProgram } from '../run-program.ts';

// Exit explicitly: keep-alive sockets or a paused stdin must not keep a finished command alive.
process.exit(await runProgram(process.argv.slice(2)));
