import type {
  LanguageModelV3FilePart,
  LanguageModelV3Prompt,
  LanguageModelV3TextPart,
  LanguageModelV3ToolCallPart,
  LanguageModelV3ToolResultPart,
} from '@ai-sdk/provider';
import { PlumbError, type ChatMessage, type UserContentPart } from '@plumb/protocol';

type AssistantChatMessage = Extract<ChatMessage, { role: 'assistant' }>;

/**
 * Converts OpenAI chat messages into the AI SDK's provider-neutral prompt, so one request can go to any
 * provider. `system` and `developer` become system messages; images (data or http URLs), audio and files
 * become file parts; assistant tool calls and tool results are paired by tool call id. What cannot be sent
 * (per-message `name`, files referenced by an OpenAI `file_id`) is dropped with a warning.
 *
 * @example
 * const { prompt } = toLanguageModelPrompt([{ role: 'user', content: 'Hi' }]);
 * // [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]
 */
export function toLanguageModelPrompt(
  messages: ChatMessage[],
  options: { requestOffset?: number } = {},
): {
  prompt: LanguageModelV3Prompt;
  warnings: string[];
} {
  const prompt: LanguageModelV3Prompt = [];
  const warnings: string[] = [];
  // Tool messages only carry the call id; providers also need the tool name, which the assistant gave.
  const toolNamesByCallId = new Map<string, string>();

  // Error params point into the client's own `messages`; what Plumb prepended (the mode prompt, session
  // history) comes first and is named as such.
  const requestOffset = options.requestOffset ?? 0;
  messages.forEach((message, position) => {
    const messageIndex: number | string =
      position >= requestOffset ? position - requestOffset : `history[${position}]`;
    if ('name' in message && message.name !== undefined) {
      warnings.push(
        `messages.${messageIndex}.name was not forwarded: model providers take no per-message names. Put the name in the content if the model needs it.`,
      );
    }
    switch (message.role) {
      case 'system':
      case 'developer':
        prompt.push({ role: 'system', content: joinText(message.content) });
        break;
      case 'user':
        prompt.push({ role: 'user', content: toUserParts(message.content, messageIndex, warnings) });
        break;
      case 'assistant':
        prompt.push({
          role: 'assistant',
          content: toAssistantParts(message, messageIndex, toolNamesByCallId),
        });
        break;
      case 'tool': {
        const toolName = toolNamesByCallId.get(message.tool_call_id);
        if (toolName === undefined) {
          throw new PlumbError(
            'invalid_request',
            `messages.${messageIndex} answers tool call "${message.tool_call_id}", but no earlier assistant message made a tool call with that id. Send the assistant message with its tool_calls before the tool results.`,
            { param: `messages.${messageIndex}.tool_call_id` },
          );
        }
        const result: LanguageModelV3ToolResultPart = {
          type: 'tool-result',
          toolCallId: message.tool_call_id,
          toolName,
          output: { type: 'text', value: joinText(message.content) },
        };
        // Consecutive tool results belong to one turn; providers such as Anthropic want them together.
        const previous = prompt.at(-1);
        if (previous?.role === 'tool') previous.content.push(result);
        else prompt.push({ role: 'tool', content: [result] });
        break;
      }
    }
  });
  return { prompt, warnings };
}

function joinText(content: string | Array<{ type: 'text'; text: string }>): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

function toUserParts(
  content: string | UserContentPart[],
  messageIndex: number | string,
  warnings: string[],
): Array<LanguageModelV3TextPart | LanguageModelV3FilePart> {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  const parts: Array<LanguageModelV3TextPart | LanguageModelV3FilePart> = [];
  content.forEach((part, partIndex) => {
    const param = `messages.${messageIndex}.content.${partIndex}`;
    switch (part.type) {
      case 'text':
        parts.push({ type: 'text', text: part.text });
        break;
      case 'image_url': {
        const image = toFileData(part.image_url.url, 'image/*', `${param}.image_url.url`);
        parts.push({
          type: 'file',
          ...image,
          ...(part.image_url.detail
            ? { providerOptions: { openai: { imageDetail: part.image_url.detail } } }
            : {}),
        });
        break;
      }
      case 'input_audio':
        parts.push({
          type: 'file',
          mediaType: part.input_audio.format === 'wav' ? 'audio/wav' : 'audio/mpeg',
          data: part.input_audio.data,
        });
        break;
      case 'file': {
        const { file_data: fileData, filename } = part.file;
        if (fileData === undefined) {
          warnings.push(
            `${param} was dropped: files referenced by file_id live in OpenAI's file store, which Plumb cannot read. Send the file inline as file.file_data (a data: URL).`,
          );
          break;
        }
        const file = fileData.startsWith('data:')
          ? toFileData(fileData, 'application/octet-stream', `${param}.file.file_data`)
          : { data: fileData, mediaType: mediaTypeOfFilename(filename) };
        parts.push({ type: 'file', ...file, ...(filename === undefined ? {} : { filename }) });
        break;
      }
    }
  });
  return parts;
}

function toAssistantParts(
  message: AssistantChatMessage,
  messageIndex: number | string,
  toolNamesByCallId: Map<string, string>,
): Array<LanguageModelV3TextPart | LanguageModelV3ToolCallPart> {
  const parts: Array<LanguageModelV3TextPart | LanguageModelV3ToolCallPart> = [];
  const content = message.content;
  if (typeof content === 'string' && content !== '') parts.push({ type: 'text', text: content });
  if (Array.isArray(content)) {
    for (const part of content) {
      const text = part.type === 'text' ? part.text : part.refusal;
      if (text !== '') parts.push({ type: 'text', text });
    }
  }
  if (typeof message.refusal === 'string' && message.refusal !== '' && parts.length === 0) {
    parts.push({ type: 'text', text: message.refusal });
  }
  message.tool_calls?.forEach((toolCall, toolCallIndex) => {
    toolNamesByCallId.set(toolCall.id, toolCall.function.name);
    parts.push({
      type: 'tool-call',
      toolCallId: toolCall.id,
      toolName: toolCall.function.name,
      input: parseToolArguments(
        toolCall.function.arguments,
        `messages.${messageIndex}.tool_calls.${toolCallIndex}.function.arguments`,
      ),
    });
  });
  return parts;
}

function parseToolArguments(text: string, param: string): unknown {
  // Models sometimes call tools without arguments; OpenAI sends "" or "{}" for those.
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PlumbError(
      'invalid_request',
      `${param} is not valid JSON (${(error as Error).message}). Send the tool call arguments exactly as the model produced them: a JSON object in a string.`,
      { param, cause: error },
    );
  }
}

/** A data: URL becomes base64 data with its media type; an http(s) URL is passed by reference. */
function toFileData(
  url: string,
  fallbackMediaType: string,
  param: string,
): Pick<LanguageModelV3FilePart, 'data' | 'mediaType'> {
  if (url.startsWith('data:')) {
    const match = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,(.*)$/s.exec(url);
    if (!match) {
      throw new PlumbError(
        'invalid_request',
        `${param} is not a valid data: URL. Write it as data:<media type>;base64,<data>.`,
        {
          param,
        },
      );
    }
    const [, mediaType = '', , base64, payload = ''] = match;
    return {
      mediaType: mediaType === '' ? fallbackMediaType : mediaType,
      data: base64 ? payload : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64'),
    };
  }
  if (/^https?:\/\//i.test(url)) {
    try {
      return { mediaType: fallbackMediaType, data: new URL(url) };
    } catch {
      // Falls through to the error below.
    }
  }
  throw new PlumbError(
    'invalid_request',
    `${param} must be an http(s) URL or a data: URL (data:image/png;base64,...).`,
    {
      param,
    },
  );
}

function mediaTypeOfFilename(filename: string | undefined): string {
  const extension = filename?.split('.').pop()?.toLowerCase();
  const known: Record<string, string> = {
    txt: 'text/plain',
    md: 'text/markdown',
    csv: 'text/csv',
    json: 'application/json',
  };
  // OpenAI's file_data is a PDF unless the name says otherwise.
  return (extension === undefined ? undefined : known[extension]) ?? 'application/pdf';
}
