import { extensionNoticeInTime, isOverdue, type WorkingCalendar } from "@tthc/calendar";
import { type AnyEvent, type CreateEventOptions, createEvent, formatInstant } from "@tthc/contracts";
import type { ActionBody } from "./action-bodies.js";
import type { Envelope } from "./commands.js";
import type { Dossier } from "./dossier.js";
import { DomainError } from "./errors.js";

/**
 * Extension with apology (form 04, docs/domain.md "Extension with apology"): once per dossier, at
 * least one working day before the due instant in the working time of the dossier's clock (the
 * calendar's `extensionNoticeInTime`), never once the dossier is overdue, with a new date after the
 * due instant. The due instant is the latest known; while a pause hides it (null) the notice is in
 * time, and the new date must come after the last one known.
 */
export function extend(
  d: Dossier,
  b: ActionBody<"extend">,
  envelope: Envelope,
  at: { now: Date; clockCalendar: WorkingCalendar | undefined; clock: CreateEventOptions },
): AnyEvent {
  if (d.extendedDueAt !== null) {
    throw new DomainError("ALREADY_EXTENDED", "the promised date may be moved only once", {
      extendedAt: d.extendedAt,
      extendedDueAt: d.extendedDueAt,
      reason: d.extensionReason,
    });
  }
  const now = at.now.getTime();
  if (d.dueAt !== null) {
    const dueAt = Date.parse(d.dueAt);
    if (isOverdue(dueAt, now)) {
      throw new DomainError(
        "EXTENSION_TOO_LATE",
        "the dossier is already overdue: no apology letter can come in time",
        {
          dueAt: d.dueAt,
          overdue: true,
        },
      );
    }
    const calendar = at.clockCalendar;
    if (!calendar) throw new Error("an extension is decided with the calendar of the dossier's clock");
    if (!extensionNoticeInTime(calendar, now, dueAt)) {
      throw new DomainError(
        "EXTENSION_TOO_LATE",
        "the apology letter must come at least one working day before the due date",
        { dueAt: d.dueAt, overdue: false },
      );
    }
  }
  const previousDueAt = d.dueAt ?? d.knownDueAt;
  if (Date.parse(b.newDueAt) <= Date.parse(previousDueAt)) {
    throw new DomainError("EXTENSION_NOT_LATER", "the new date must be after the due date", {
      dueAt: previousDueAt,
    });
  }
  return createEvent(
    "dossier.extended",
    {
      ...envelope,
      payload: {
        dossierCode: d.code,
        previousDueAt: formatInstant(new Date(previousDueAt)),
        newDueAt: b.newDueAt,
        reason: b.reason,
        faultUnitCode: d.currentUnitCode,
        apologyLetterRef: b.apologyLetterRef ?? null,
      },
    },
    at.clock,
  );
}
