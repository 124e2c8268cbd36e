import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping.js';
import type { AgentConnection } from './agent-socket-server.ts';

type Commands = ProtocolMapping.Commands;

/**
 * Sends a DevTools protocol command with its name, parameters and answer checked against the protocol's own
 * schema (`devtools-protocol`), where `connection.send` takes any name: for commands Node's `inspector` types
 * describe loosely or not at all (`Runtime.runIfWaitingForDebugger`).
 *
 * @example await sendDevToolsCommand(connection, 'Runtime.runIfWaitingForDebugger');
 */
export function sendDevToolsCommand<TMethod extends keyof Commands>(
  connection: AgentConnection,
  method: TMethod,
  ...params: Commands[TMethod]['paramsType']
): Promise<Commands[TMethod]['returnType']> {
  return connection.send<Commands[TMethod]['returnType']>(method, params[0]);
}
