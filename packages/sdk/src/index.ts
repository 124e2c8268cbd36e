export { createPlumbClient } from './create-plumb-client.ts';
export type {
  HttpMethod,
  PlumbClient,
  PlumbClientOptions,
  PlumbRequestOptions,
} from './create-plumb-client.ts';
export { ChatCompletionStream } from './chat-completion-stream.ts';
export type { ChatCompletionStreamOptions } from './chat-completion-stream.ts';
export { PlumbApiError } from './plumb-api-error.ts';
export type { PlumbApiErrorOptions } from './plumb-api-error.ts';
export type {
  AssistantMessage,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatMessage,
  ChatMode,
  CodeBlock,
  CreateSessionRequest,
  DeletedSession,
  ErrorResponseBody,
  FinishReason,
  FunctionTool,
  GuardReport,
  Model,
  ModelList,
  PlumbErrorCode,
  PlumbExtension,
  Session,
  ToolCall,
  ToolCallDelta,
  ToolChoice,
  Usage,
  UserContentPart,
} from '@plumb/protocol';
