import { z } from 'zod';
import { chatModeSchema, toolCallSchema } from './chat-completion-request.ts';

export const usageSchema = z.object({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().int() }).optional(),
});
export type Usage = z.infer<typeof usageSchema>;

/** A fenced code block found in the answer, returned as structured data beside the text. */
export const codeBlockSchema = z.object({
  language: z.string().nullable(),
  path: z.string().nullable(),
  content: z.string(),
});
export type CodeBlock = z.infer<typeof codeBlockSchema>;

/** What one guard did to an answer in `mode: "code"`. */
export const guardReportSchema = z.object({
  guard: z.string(),
  action: z.enum(['pass', 'annotate', 'rewrite', 'block']),
  findings: z.array(
    z.object({
      message: z.string(),
      severity: z.enum(['info', 'warning', 'error']),
      detail: z.unknown().optional(),
    }),
  ),
});
export type GuardReport = z.infer<typeof guardReportSchema>;

export const finishReasonSchema = z.enum(['stop', 'length', 'tool_calls', 'content_filter']);
export type FinishReason = z.infer<typeof finishReasonSchema>;

/** Plumb's extension of a completion: how it was produced. */
export const plumbExtensionSchema = z.object({
  mode: chatModeSchema,
  /** The version of the code system prompt used, in `mode: "code"`. */
  prompt_version: z.string().nullable(),
  session_id: z.string().nullable(),
  guards: z.array(guardReportSchema),
  warnings: z.array(z.string()),
  /** With `debug_session`: the debugger tools the model called, in order, and what they answered. */
  debug_session: z
    .object({
      id: z.string(),
      tool_calls: z.array(z.object({ name: z.string(), arguments: z.unknown(), result: z.unknown() })),
    })
    .optional(),
  /** With `repository`: the repo map given to the model and the explain calls it made. */
  repository: z
    .object({
      name: z.string(),
      revision: z.number().int(),
      map_tokens: z.number().int(),
      definitions_shown: z.number().int(),
      tool_calls: z.array(z.object({ name: z.string(), arguments: z.unknown(), result: z.unknown() })),
    })
    .optional(),
});
export type PlumbExtension = z.infer<typeof plumbExtensionSchema>;

export const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.string().nullable(),
  refusal: z.string().nullable(),
  tool_calls: z.array(toolCallSchema).optional(),
  code_blocks: z.array(codeBlockSchema).optional(),
});
export type AssistantMessage = z.infer<typeof assistantMessageSchema>;

export const chatCompletionSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      message: assistantMessageSchema,
      finish_reason: finishReasonSchema,
      logprobs: z.null(),
    }),
  ),
  usage: usageSchema,
  system_fingerprint: z.string().nullable().optional(),
  plumb: plumbExtensionSchema,
});
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;
