import { z } from 'zod';
import { chatMessageSchema, chatModeSchema } from './chat-completion-request.ts';

/** The body of `POST /v3/sessions`. */
export const createSessionRequestSchema = z.object({
  /** Messages that open the session, usually a system message with the session's constraints. */
  messages: z.array(chatMessageSchema).optional(),
  mode: chatModeSchema.optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});
export type CreateSessionRequest = z.infer<typeof createSessionRequestSchema>;

export const sessionSchema = z.object({
  id: z.string(),
  object: z.literal('session'),
  created: z.number().int(),
  updated: z.number().int(),
  mode: chatModeSchema.nullable(),
  metadata: z.record(z.string(), z.string()),
  messages: z.array(chatMessageSchema),
});
export type Session = z.infer<typeof sessionSchema>;

export const deletedSessionSchema = z.object({
  id: z.string(),
  object: z.literal('session.deleted'),
  deleted: z.literal(true),
});
export type DeletedSession = z.infer<typeof deletedSessionSchema>;
