import { receiptHtml } from "../domain/receipt-html.js";
import type { Receipt } from "../domain/reception.js";

/** The receipt as JSON, or as the printable page with `?format=html`. */
export function sendReceipt<R extends { type(t: string): R; send(payload: unknown): R }>(
  reply: R,
  receipt: Receipt,
  format: "json" | "html",
): R {
  if (format === "html") return reply.type("text/html; charset=utf-8").send(receiptHtml(receipt));
  return reply.send(receipt);
}
