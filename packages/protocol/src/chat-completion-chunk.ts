import { z } from 'zod';
import { finishReasonSchema, plumbExtensionSchema, usageSchema } from './chat-completion-response.ts';

export const toolCallDeltaSchema = z.object({
  index: z.number().int(),
  id: z.string().optional(),
  type: z.literal('function').optional(),
  function: z.object({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
});
export type ToolCallDelta = z.infer<typeof toolCallDeltaSchema>;

/**
 * One server-sent event of a streamed completion. The last chunk carries `plumb` (guard reports) and, when
 * `stream_options.include_usage` is set, a chunk with empty `choices` carries `usage`.
 */
export const chatCompletionChunkSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      delta: z.object({
        role: z.literal('assistant').optional(),
        content: z.string().nullable().optional(),
        refusal: z.string().nullable().optional(),
        tool_calls: z.array(toolCallDeltaSchema).optional(),
      }),
      finish_reason: finishReasonSchema.nullable(),
      logprobs: z.null().optional(),
    }),
  ),
  usage: usageSchema.nullable().optional(),
  plumb: plumbExtensionSchema.optional(),
});
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;
