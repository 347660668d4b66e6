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
