import { createInterface } from 'node:readline/promises';
import { isInteractive, type ProgramIo } from '../program-io.ts';

export interface ChatReplOptions {
  io: ProgramIo;
  /** Answers one prompt; `abortSignal` fires when the user presses Ctrl-C during the answer. */
  answer(prompt: string, abortSignal: AbortSignal): Promise<void>;
}

const helpText =
  'Type a message and press Enter. /exit (or end of input) leaves; Ctrl-C stops a running answer.\n';

/**
 * The interactive loop of `plumb chat`: reads `io.stdin` a line at a time and answers each non-empty line in
 * turn (lines typed meanwhile wait). `/exit` or end of input ends it. Ctrl-C during an answer stops only that
 * answer; at the prompt it ends the loop. Shows a `> ` prompt only when stdin and stdout are a terminal.
 *
 * @example
 * await runChatRepl({ io, answer: async (prompt, abortSignal) => { ... } });
 */
export async function runChatRepl(options: ChatReplOptions): Promise<void> {
  const { io } = options;
  const interactive = isInteractive(io.stdin) && isInteractive(io.stdout);
  const readline = createInterface({
    input: io.stdin,
    ...(interactive ? { output: io.stdout, terminal: true } : { terminal: false }),
  });
  let running: AbortController | null = null;
  const interrupt = () => {
    if (running) running.abort();
    else readline.close();
  };
  // A terminal in raw mode delivers Ctrl-C to readline; with piped input it arrives as a process signal.
  readline.on('SIGINT', interrupt);
  io.signals.on('SIGINT', interrupt);
  const prompt = () => {
    if (interactive) readline.prompt();
  };

  try {
    readline.setPrompt('> ');
    if (interactive) io.stderr.write(helpText);
    prompt();
    for await (const line of readline) {
      const text = line.trim();
      if (text === '/exit' || text === '/quit') break;
      if (text === '/help') {
        io.stderr.write(helpText);
      } else if (text !== '') {
        running = new AbortController();
        try {
          await options.answer(text, running.signal);
        } finally {
          running = null;
        }
      }
      prompt();
    }
  } finally {
    io.signals.off('SIGINT', interrupt);
    readline.close();
  }
}
