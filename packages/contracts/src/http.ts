import { z } from "zod";
import { DossierCode, DossierId } from "./formats.js";

/**
 * HTTP shapes that more than one service shares: the error body, cursor pagination and the path
 * parameters naming a dossier. Each service's own bodies live with its routes.
 */

/** An error code: upper snake case, prefixed by the service for its own errors (`INTAKE_UNKNOWN_PROCEDURE`). */
export const ErrorCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, "expected an UPPER_SNAKE_CASE error code")
  .meta({ description: "Error code, UPPER_SNAKE_CASE, e.g. PROCESSING_TRANSITION_FORBIDDEN" });
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One refused field of a request: where, as the client wrote it, and why. */
export const FieldIssue = z
  .object({
    path: z.string().meta({
      description:
        "The field as the client wrote it: body.applicant.phone, querystring.limit, body.items[2].code",
      examples: ["body.applicant.identityNumber"],
    }),
    reason: z.string().meta({
      description: "Why it is refused",
      examples: ["expected the 12-digit personal identification number (số định danh cá nhân)"],
    }),
  })
  .meta({ title: "Field issue" });
export type FieldIssue = z.infer<typeof FieldIssue>;

/** Every error answer of every service: `{ error: { code, message, details } }` with the HTTP status that fits. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCode,
      message: z.string().min(1).meta({ description: "What went wrong, for a person" }),
      details: z
        .union([
          z.array(FieldIssue).meta({
            description:
              "A request refused field by field (HTTP_VALIDATION_FAILED and other 400s): each field and why",
          }),
          z.record(z.string(), z.unknown()).meta({
            description: "Any other error: the facts a client needs, e.g. { currentVersion: 4 }",
          }),
        ])
        .optional(),
    }),
  })
  .meta({ title: "Error body", description: "The error answer of every service" });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Builds an error body. */
export function errorBody(
  code: ErrorCode,
  message: string,
  details?: ErrorBody["error"]["details"],
): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

/**
 * Cursor pagination query: `cursor` (opaque, from the previous page's `nextCursor`) and `limit`
 * (1–500, default 50). Query strings arrive as text: `limit` is coerced.
 */
export const PageQuery = z
  .object({
    cursor: z.string().min(1).max(1024).optional().meta({ description: "Opaque cursor from nextCursor" }),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  })
  .meta({ description: "Cursor pagination query" });
export type PageQuery = z.infer<typeof PageQuery>;

/** A page of items: `{ items, nextCursor }`; `nextCursor` is null on the last page. */
export function Page<T extends z.ZodType>(item: T) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .min(1)
        .nullable()
        .meta({ description: "Cursor of the next page; null on the last" }),
    })
    .meta({ description: "A page of items" });
}
export type Page<T> = { items: T[]; nextCursor: string | null };

/** `/:id` of a dossier: its internal id. */
export const DossierIdParams = z.object({ id: DossierId });
export type DossierIdParams = z.infer<typeof DossierIdParams>;

/** `/:code` of a dossier: its dossier code (public lookup). */
export const DossierCodeParams = z.object({ code: DossierCode });
export type DossierCodeParams = z.infer<typeof DossierCodeParams>;
