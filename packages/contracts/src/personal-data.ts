import { z } from "zod";

/**
 * The applicant's personal data (name, identity number, phone, e-mail, address, date of birth) stays
 * in the intake service. Events are kept forever on `dossier.events` and read by every service, so no
 * event payload may carry it: these keys are refused by name, whatever their value.
 */
export const personalDataKeys = [
  "applicant",
  "applicantName",
  "fullName",
  "identityNumber",
  "citizenId",
  "phone",
  "email",
  "address",
  "dateOfBirth",
] as const;

const forbidden = z
  .never({ error: "personal data must stay in intake: remove this field" })
  .optional()
  .meta({ description: "Forbidden: personal data stays in intake" });

/** Zod shape that refuses each personal-data key; spread it into a payload's shape. */
export const noPersonalData: { readonly [K in (typeof personalDataKeys)[number]]: typeof forbidden } =
  Object.fromEntries(personalDataKeys.map((key) => [key, forbidden])) as {
    readonly [K in (typeof personalDataKeys)[number]]: typeof forbidden;
  };

/**
 * Free text (a reason, a missing item, a note) is written by staff and travels on `dossier.events`,
 * into every service's timeline and into the letters sent to the applicant. A citizen's identity
 * number (số định danh cá nhân, 12 digits; the old CMND, 9 digits) or phone number (0 and 9 or 10
 * digits, or 84 and 9 or 10) must not travel with it. Such text is refused with a 400 naming the field
 * rather than masked: masking would change a legal text (forms 02, 03, 04) behind its author's back
 * (docs/decisions.md, "Personal data stays out of free text").
 *
 * What counts: a run of digits, possibly grouped by single spaces or dots (`0912 345 678`,
 * `0912.345.678`, `001 099 012 345`; every group after the first of two digits or more), that
 * spells a phone number or 12 digits; or 9 digits written together (a CMND). Dashes and slashes do
 * not group, so dossier codes (`000.00.01.H44-260210-0001`), dates and document numbers
 * (`123/QĐ-UBND`) pass, and so do amounts grouped the Vietnamese way (`150.000.000`).
 */
export type PersonalDataKind = "identity-number" | "phone-number";

const DIGIT_RUN = /\+?\d+(?:[ .]\d+)*/g;

/** The first identity or phone number in `text`, if any. */
export function findPersonalData(text: string): PersonalDataKind | null {
  for (const match of text.matchAll(DIGIT_RUN)) {
    const written = match[0];
    const groups = written.replace("+", "").split(/[ .]/);
    const grouped = groups.length > 1;
    if (groups.slice(1).some((g) => g.length < 2)) continue;
    const digits = groups.join("");
    // A run glued to a letter (H44, 9e2f-123456789abc) is part of a code, unless it has 12 digits.
    const start = match.index ?? 0;
    const glued =
      /[\p{L}_]/u.test(text[start - 1] ?? "") || /[\p{L}_]/u.test(text[start + written.length] ?? "");
    if (glued && digits.length !== 12) continue;
    if (/^0\d{9,10}$/.test(digits) || /^84\d{9,10}$/.test(digits)) return "phone-number";
    if (digits.length === 12) return "identity-number";
    if (!grouped && digits.length === 9) return "identity-number";
  }
  return null;
}

const REASON: Record<PersonalDataKind, string> = {
  "identity-number":
    "looks like an identity number: personal data stays in the applicant's record, not in free text",
  "phone-number":
    "looks like a phone number: personal data stays in the applicant's record, not in free text",
};

/** Adds the free-text check to a string schema: a 400 naming the field when it holds personal data. */
export function freeText<S extends z.ZodType<string>>(schema: S) {
  return schema.superRefine((value, ctx) => {
    const kind = findPersonalData(value);
    if (kind) ctx.addIssue({ code: "custom", message: REASON[kind] });
  });
}
