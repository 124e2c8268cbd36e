import { Command, InvalidArgumentError, Option } from 'commander';
import { extractCodeBlocks } from '@plumb/models';
import { sessionIdSchema, type ChatMessage, type ChatMode } from '@plumb/protocol';
import { PlumbApiError, type PlumbClient } from '@plumb/sdk';
import { failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';
import {
  addRemoteOptions,
  createRemoteClient,
  formatRemoteError,
  type RemoteOptions,
} from './remote-options.ts';
import { runChatRepl } from './run-chat-repl.ts';
import { streamAnswer, type StreamedAnswer } from './stream-answer.ts';

interface ChatOptions extends RemoteOptions {
  model: string;
  mode: ChatMode;
  session?: string;
  system?: string;
  once?: string;
}

/**
 * `plumb chat --model <provider/model-id>`: a conversation kept in a server-side session (created unless
 * `--session` resumes one), interactive on stdin or one prompt with `--once`. Answers stream to stdout as
 * they arrive; with `--json` each answer is printed reassembled as `{ session_id, content, code_blocks?, usage? }`.
 *
 * @example
 * program.addCommand(createChatCommand(io)); // plumb chat --model ollama/qwen2.5-coder --once "Write fizzbuzz"
 */
export function createChatCommand(io: ProgramIo): Command {
  const model = new Option(
    '--model <provider/model-id>',
    'model to talk to; plumb models lists them (env PLUMB_MODEL)',
  ).makeOptionMandatory();
  if (io.environment.PLUMB_MODEL) model.default(io.environment.PLUMB_MODEL);
  const command = new Command('chat')
    .description('Chat with a model through Plumb: interactively, or one prompt with --once.')
    .addOption(model)
    .addOption(
      new Option('--mode <mode>', 'code adds the code system prompt and guards; chat passes through')
        .choices(['code', 'chat'])
        .default('code'),
    )
    .option('--session <id>', 'continue an existing session instead of creating one', parseSessionId)
    .option('--system <text>', 'a system message for the conversation')
    .option('--once <prompt>', 'send one prompt, print the answer and exit');
  return addRemoteOptions(command, io.environment).action(async (options: ChatOptions, self: Command) => {
    const client = createRemoteClient(options);
    let sessionId: string;
    try {
      sessionId = await openSession(client, options);
    } catch (error) {
      failCommand(self, formatRemoteError(error));
    }
    io.stderr.write(`session ${sessionId} (resume with --session ${sessionId})\n`);

    // A resumed session already has its opening messages; a new --system for it goes with the first turn.
    let pendingSystem = options.session !== undefined ? options.system : undefined;
    const ask = async (prompt: string, abortSignal?: AbortSignal): Promise<StreamedAnswer> => {
      const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
      if (pendingSystem !== undefined) messages.unshift({ role: 'system', content: pendingSystem });
      const answer = await streamAnswer({
        client,
        request: { model: options.model, mode: options.mode, session_id: sessionId, messages },
        ...(options.json ? {} : { onContent: (text: string) => io.stdout.write(text) }),
        ...(abortSignal ? { abortSignal } : {}),
      });
      if (!answer.aborted) pendingSystem = undefined;
      printAnswer(io, answer, { sessionId, json: options.json === true });
      return answer;
    };

    if (options.once !== undefined) {
      try {
        await ask(options.once);
      } catch (error) {
        failCommand(self, formatRemoteError(error));
      }
      return;
    }
    await runChatRepl({
      io,
      answer: async (prompt, abortSignal) => {
        try {
          await ask(prompt, abortSignal);
        } catch (error) {
          // In the REPL a failed turn is reported and the conversation goes on.
          if (!(error instanceof PlumbApiError)) throw error;
          io.stderr.write(`${formatRemoteError(error)}\n`);
        }
      },
    });
  });
}

async function openSession(client: PlumbClient, options: ChatOptions): Promise<string> {
  // Fetching a resumed session first turns a wrong id into a clear session_not_found before any prompt.
  if (options.session !== undefined) return (await client.sessions.get(options.session)).id;
  const session = await client.sessions.create({
    mode: options.mode,
    ...(options.system !== undefined ? { messages: [{ role: 'system', content: options.system }] } : {}),
  });
  return session.id;
}

function printAnswer(
  io: ProgramIo,
  answer: StreamedAnswer,
  context: { sessionId: string; json: boolean },
): void {
  if (context.json) {
    const codeBlocks = extractCodeBlocks(answer.content);
    const result = {
      session_id: context.sessionId,
      content: answer.content,
      ...(codeBlocks.length > 0 ? { code_blocks: codeBlocks } : {}),
      ...(answer.usage ? { usage: answer.usage } : {}),
      ...(answer.aborted ? { aborted: true } : {}),
    };
    io.stdout.write(`${JSON.stringify(result)}\n`);
  } else if (answer.content !== '' && !answer.content.endsWith('\n')) {
    io.stdout.write('\n');
  }
  if (answer.aborted) io.stderr.write('(answer stopped; it is not kept in the session)\n');
  for (const warning of answer.plumb?.warnings ?? []) io.stderr.write(`warning: ${warning}\n`);
  for (const report of answer.plumb?.guards ?? []) {
    if (report.action === 'pass') continue;
    const findings = report.findings.map((finding) => `\n  ${finding.severity}: ${finding.message}`).join('');
    io.stderr.write(`guard ${report.guard} ${report.action}:${findings}\n`);
  }
}

function parseSessionId(value: string): string {
  const parsed = sessionIdSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidArgumentError('Session ids look like "sess_..."; plumb chat prints one when it starts.');
  }
  return parsed.data;
}
