import { z } from 'zod';
import { repositoryNameSchema } from './code-graph.ts';

const textPartSchema = z.object({ type: z.literal('text'), text: z.string() });
const imagePartSchema = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});
const audioPartSchema = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({ data: z.string(), format: z.enum(['wav', 'mp3']) }),
});
const filePartSchema = z.object({
  type: z.literal('file'),
  file: z.object({
    file_data: z.string().optional(),
    file_id: z.string().optional(),
    filename: z.string().optional(),
  }),
});
const refusalPartSchema = z.object({ type: z.literal('refusal'), refusal: z.string() });

export const userContentPartSchema = z.discriminatedUnion('type', [
  textPartSchema,
  imagePartSchema,
  audioPartSchema,
  filePartSchema,
]);
export type UserContentPart = z.infer<typeof userContentPartSchema>;

const textContentSchema = z.union([z.string(), z.array(textPartSchema)]);

export const toolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

export const chatMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: textContentSchema, name: z.string().optional() }),
  z.object({ role: z.literal('developer'), content: textContentSchema, name: z.string().optional() }),
  z.object({
    role: z.literal('user'),
    content: z.union([z.string(), z.array(userContentPartSchema).min(1)]),
    name: z.string().optional(),
  }),
  z.object({
    role: z.literal('assistant'),
    content: z
      .union([z.string(), z.array(z.union([textPartSchema, refusalPartSchema])), z.null()])
      .optional(),
    refusal: z.string().nullable().optional(),
    name: z.string().optional(),
    tool_calls: z.array(toolCallSchema).optional(),
  }),
  z.object({ role: z.literal('tool'), content: textContentSchema, tool_call_id: z.string().min(1) }),
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const functionToolSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'Tool names are 1-64 letters, digits, underscores or dashes.'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});
export type FunctionTool = z.infer<typeof functionToolSchema>;

export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1) }) }),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string().min(1),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  }),
]);
export type ResponseFormat = z.infer<typeof responseFormatSchema>;

/** `code` puts Plumb's versioned code system prompt and the code guards around the answer; `chat` passes through. */
export const chatModeSchema = z.enum(['code', 'chat']);
export type ChatMode = z.infer<typeof chatModeSchema>;

/** Session ids as Plumb issues them (`POST /v3/sessions`). */
export const sessionIdSchema = z
  .string()
  .regex(/^sess_[A-Za-z0-9_-]{8,64}$/, 'Session ids look like "sess_..." and come from POST /v3/sessions.');

/**
 * The body of `POST /v3/chat/completions`: OpenAI's chat completion request plus Plumb's `mode` (required)
 * and `session_id` (optional).
 */
/** How the security guard treats vulnerable generated code (mode "code"): see README, "Generation guard". */
export const securityPolicySchema = z.enum(['block', 'repair', 'warn']);
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

/** Per-request guard settings (Plumb extension). */
export const guardSettingsSchema = z.object({
  security: securityPolicySchema.optional(),
  /** Rounds of `repair` before blocking (default 2). */
  repair_rounds: z.number().int().min(1).max(5).optional(),
});

export const chatCompletionRequestSchema = z.object({
  model: z.string().min(1, 'Name a model as "provider/model-id"; GET /v3/models lists them.'),
  mode: chatModeSchema,
  messages: z.array(chatMessageSchema),
  session_id: sessionIdSchema.optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
  seed: z.number().int().nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
  n: z.literal(1).nullable().optional(),
  tools: z.array(functionToolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormatSchema.optional(),
  user: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  /**
   * Plumb extension: a debug session (`dbg_...`) the model may drive. Its current snapshot is given to the
   * model and the debugger's verbs become tools that Plumb runs; each call is recorded in the session.
   */
  debug_session: z
    .string()
    .regex(
      /^dbg_[A-Za-z0-9_-]{8,64}$/,
      'Debug session ids look like "dbg_..." and come from POST /v3/debug/sessions.',
    )
    .optional(),
  /**
   * Plumb extension: a repository the caller uploaded (`PUT /v3/code-graph/repositories/{name}`), by name or
   * with options. A map of its most relevant definitions (ranked for this conversation, within `token_budget`,
   * default 1024) goes to the model as a system message; unstreamed requests also give the model an
   * `explain_code` tool that Plumb runs.
   */
  repository: z
    .union([
      repositoryNameSchema,
      z
        .object({
          name: repositoryNameSchema,
          token_budget: z.number().int().min(64).max(8192).optional(),
          focus_files: z.array(z.string().min(1).max(500)).max(50).optional(),
        })
        .strict(),
    ])
    .optional(),
  /** Plumb extension: guard policies for this request (mode "code"). */
  guards: guardSettingsSchema.optional(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
