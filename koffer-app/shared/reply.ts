import { z } from 'zod';

/**
 * Every IPC reply is a value or a coded refusal — never a thrown exception across the process
 * boundary (Signal-Desktop's pattern). `message` is the German text for the poll worker;
 * `messages` carries both languages so the renderer's English switch needs no second round trip.
 */
export const IpcErrorSchema = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9_.]*$/),
  message: z.string(),
  messages: z.strictObject({ de: z.string(), en: z.string() }),
  /** data the UI needs to explain the refusal (e.g. seconds until the next unlock attempt) */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** the form fields a refusal concerns (`counts.D3`), for highlighting */
  fields: z.array(z.string()).optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

export type IpcReply<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

export function replySchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: IpcErrorSchema }),
  ]);
}

export const ok = <T>(value: T): IpcReply<T> => ({ ok: true, value });
