import type { LanguageModelV3CallOptions, LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { ChatCompletionRequest } from '@plumb/protocol';

type FunctionToolOption = Extract<
  NonNullable<LanguageModelV3CallOptions['tools']>[number],
  { type: 'function' }
>;

/**
 * Maps the parameters of an OpenAI chat completion request onto the AI SDK's call options for one model
 * call. Parameters the model interface has no place for produce warnings instead of failing.
 *
 * @example
 * const { callOptions } = toCallOptions({ request, prompt, abortSignal });
 * await model.doGenerate(callOptions);
 */
export function toCallOptions(options: {
  request: ChatCompletionRequest;
  prompt: LanguageModelV3Prompt;
  abortSignal?: AbortSignal | undefined;
  headers?: Record<string, string> | undefined;
}): { callOptions: LanguageModelV3CallOptions; warnings: string[] } {
  const { request, prompt, abortSignal, headers } = options;
  const warnings: string[] = [];
  const callOptions: LanguageModelV3CallOptions = { prompt };

  const maxOutputTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxOutputTokens != null) callOptions.maxOutputTokens = maxOutputTokens;
  if (request.temperature != null) callOptions.temperature = request.temperature;
  if (request.top_p != null) callOptions.topP = request.top_p;
  if (request.stop != null)
    callOptions.stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop;
  if (request.seed != null) callOptions.seed = request.seed;
  if (request.presence_penalty != null) callOptions.presencePenalty = request.presence_penalty;
  if (request.frequency_penalty != null) callOptions.frequencyPenalty = request.frequency_penalty;

  if (request.tools && request.tools.length > 0) {
    callOptions.tools = request.tools.map((tool): FunctionToolOption => {
      const functionTool: FunctionToolOption = {
        type: 'function',
        name: tool.function.name,
        // OpenAI allows omitting parameters (a tool without arguments); providers want a schema.
        inputSchema: tool.function.parameters ?? { type: 'object', properties: {} },
      };
      if (tool.function.description !== undefined) functionTool.description = tool.function.description;
      if (tool.function.strict != null) functionTool.strict = tool.function.strict;
      return functionTool;
    });
  }
  if (request.tool_choice !== undefined) {
    callOptions.toolChoice =
      typeof request.tool_choice === 'string'
        ? { type: request.tool_choice }
        : { type: 'tool', toolName: request.tool_choice.function.name };
  }
  if (request.parallel_tool_calls === false) {
    warnings.push(
      'parallel_tool_calls: false was not forwarded: the model may still call several tools at once.',
    );
  }

  const format = request.response_format;
  if (format?.type === 'json_object') callOptions.responseFormat = { type: 'json' };
  if (format?.type === 'json_schema') {
    const { schema, name, description } = format.json_schema;
    callOptions.responseFormat = {
      type: 'json',
      name,
      ...(schema === undefined ? {} : { schema: schema }),
      ...(description === undefined ? {} : { description }),
    };
  }

  if (abortSignal) callOptions.abortSignal = abortSignal;
  if (headers) callOptions.headers = headers;
  return { callOptions, warnings };
}
