import { receiptHtml } from "../domain/receipt-html.js";
import type { Receipt } from "../domain/reception.js";

/** The receipt as JSON, or as the printable page with `?format=html`. */
export function sendReceipt(
  reply: { type(t: string): unknown; send(payload: unknown): unknown },
  receipt: Receipt,
  format: "json" | "html",
) {
  if (format === "html") {
    reply.type("text/html; charset=utf-8");
    return reply.send(receiptHtml(receipt));
  }
  return reply.send(receipt);
}
