import { z } from "zod";

/** Reception channels (KenhThucHien): how the dossier reached the one-stop centre. */
export const channels = ["direct", "online", "postal"] as const;

/**
 * Reception channel (KenhThucHien): 1 `direct` in person (trực tiếp), 2 `online` (trực tuyến),
 * 3 `postal` through the public postal service (bưu chính công ích).
 */
export const Channel = z
  .enum(channels)
  .meta({ description: "Reception channel (KenhThucHien): direct=1, online=2, postal=3" });
export type Channel = z.infer<typeof Channel>;

/** Channel → national portal code (KenhThucHien). */
export const nationalChannelCode: Readonly<Record<Channel, 1 | 2 | 3>> = { direct: 1, online: 2, postal: 3 };

/** How the result is handed over; separate from the reception channel. */
export const ReturnChannel = z
  .enum(["counter", "postal", "electronic"])
  .meta({ description: "Return channel of the result: at the counter, by post, or electronically" });
export type ReturnChannel = z.infer<typeof ReturnChannel>;

/**
 * Online public-service level (Nghị định 42/2022): `full` (toàn trình, the whole procedure online)
 * or `partial` (một phần).
 */
export const OnlineServiceLevel = z
  .enum(["full", "partial"])
  .meta({ description: "Online service level (Nghị định 42/2022): full (toàn trình) or partial (một phần)" });
export type OnlineServiceLevel = z.infer<typeof OnlineServiceLevel>;
