import { localDay } from "@tthc/calendar";
import {
  DossierCode,
  DossierId,
  DossierIdParams,
  examples,
  formatInstant,
  Instant,
  UnitCode,
} from "@tthc/contracts";
import {
  headingHtml,
  issuingChain,
  OFFICIAL_FORM_CSS,
  type OfficialHeading,
  officialHeading,
} from "@tthc/reports/official-form";
import { type BaseConfig, errorResponses, type ServiceContext } from "@tthc/service-kit";
import { z } from "zod";
import type { Dossier } from "../domain/dossier.js";
import { errors } from "../errors.js";
import { catalogUnits } from "../store/catalog.js";
import { loadDossier, loadTimeline } from "../store/dossiers.js";
import type { accessRules } from "./access.js";

/** Form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả (TT 03/2025 "Văn bản xin lỗi và đề nghị gia hạn"). */
export interface ApologyLetter {
  form: "04";
  title: string;
  dossierId: string;
  dossierCode: string;
  procedureName: string;
  issuingUnitCode: string;
  issuedAt: string;
  signedBy: string | null;
  receivedAt: string;
  previousDueAt: string;
  newDueAt: string;
  reason: string;
  apologyLetterRef: string | null;
}

/** Form 04 as JSON: the answer of `GET /v1/dossiers/{id}/apology-letter`. */
const Letter = z
  .object({
    form: z.literal("04"),
    title: z.string(),
    dossierId: DossierId,
    dossierCode: DossierCode,
    procedureName: z.string(),
    issuingUnitCode: UnitCode,
    issuedAt: Instant,
    signedBy: z.string().nullable().meta({ description: "The leader who extended, as the token named them" }),
    receivedAt: Instant,
    previousDueAt: Instant,
    newDueAt: Instant,
    reason: z.string(),
    apologyLetterRef: z.string().nullable(),
  })
  .meta({
    description: "Form 04: Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    examples: [
      {
        form: "04",
        title: "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        dossierId: examples.dossier.id,
        dossierCode: examples.dossier.code,
        procedureName: examples.procedure.name,
        issuingUnitCode: examples.unit.code,
        issuedAt: "2026-03-11T08:30:00.000Z",
        signedBy: examples.staff.leader,
        receivedAt: new Date(examples.dossier.receivedAt).toISOString(),
        previousDueAt: new Date(examples.dossier.dueAt).toISOString(),
        newDueAt: "2026-03-17T02:12:00.000Z",
        reason: "Cần xác minh thông tin hộ tịch tại nơi cư trú trước đây của người yêu cầu",
        apologyLetterRef: "15/PXL-UBND",
      },
    ],
  });

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

/** dd/mm/yyyy hh:mm in Vietnam time, as the forms write dates. */
function local(instant: string): string {
  const s = formatInstant(new Date(instant));
  return `${s.slice(11, 16)} ngày ${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`;
}

/** The letter as a page to print, under the heading of the unit that issues it. */
export function letterHtml(l: ApologyLetter, heading: OfficialHeading): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(l.title)} ${escapeHtml(l.dossierCode)}</title>
<style>body{font-family:"Times New Roman",serif;max-width:42em;margin:2em auto;line-height:1.5}
h1{font-size:1.2em;text-align:center;text-transform:uppercase}@media print{body{margin:0}}${OFFICIAL_FORM_CSS}</style></head>
<body>
${headingHtml(heading)}
<p>Mẫu số 04 &middot; Đơn vị: ${escapeHtml(l.issuingUnitCode)}${l.apologyLetterRef ? ` &middot; Số: ${escapeHtml(l.apologyLetterRef)}` : ""}</p>
<h1>${escapeHtml(l.title)}</h1>
<p>Hồ sơ: <b>${escapeHtml(l.dossierCode)}</b> &middot; Thủ tục: ${escapeHtml(l.procedureName)}</p>
<p>Tiếp nhận lúc ${local(l.receivedAt)}; hẹn trả kết quả lúc ${local(l.previousDueAt)}.</p>
<p>Lý do chậm: ${escapeHtml(l.reason)}</p>
<p>Cơ quan giải quyết thành thật xin lỗi và hẹn trả kết quả vào lúc <b>${local(l.newDueAt)}</b>.</p>
<p style="text-align:right">Ngày lập: ${local(l.issuedAt)}<br>${l.signedBy ? escapeHtml(l.signedBy) : ""}</p>
</body></html>
`;
}

export function letterOf(d: Dossier, signedBy: string | null, ref: string | null): ApologyLetter | undefined {
  if (
    d.extendedDueAt === null ||
    d.extensionPreviousDueAt === null ||
    d.extendedAt === null ||
    d.extensionReason === null
  ) {
    return undefined;
  }
  return {
    form: "04",
    title: "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    dossierId: d.id,
    dossierCode: d.code,
    procedureName: d.procedureName,
    issuingUnitCode: d.currentUnitCode,
    issuedAt: d.extendedAt,
    signedBy,
    receivedAt: d.receivedAt,
    previousDueAt: d.extensionPreviousDueAt,
    newDueAt: d.extendedDueAt,
    reason: d.extensionReason,
    apologyLetterRef: ref,
  };
}

export function registerLetter<C extends BaseConfig>(
  ctx: ServiceContext<C>,
  access: ReturnType<typeof accessRules>,
): void {
  ctx.app.get(
    "/v1/dossiers/:id/apology-letter",
    {
      config: { access: access.letter },
      schema: {
        operationId: "getApologyLetter",
        summary: "The apology letter (form 04) as JSON, or printable with ?format=html",
        params: DossierIdParams,
        querystring: z.object({ format: z.enum(["json", "html"]).default("json") }),
        response: {
          200: {
            description: "The letter of the dossier's extension",
            content: {
              "application/json": { schema: Letter },
              "text/html": { schema: z.string().meta({ description: "The printable letter (form 04)" }) },
            },
          },
          ...errorResponses(404),
        },
      },
    },
    async (req, reply) => {
      const d = await loadDossier(ctx.pool, req.params.id);
      if (!d) throw errors.DOSSIER_NOT_FOUND({ id: req.params.id });
      const entry = (await loadTimeline(ctx.pool, d.id)).find((e) => e.type === "dossier.extended");
      const ref = typeof entry?.details.apologyLetterRef === "string" ? entry.details.apologyLetterRef : null;
      const letter = letterOf(d, entry?.staffId ?? null, ref);
      if (!letter) throw errors.LETTER_NOT_FOUND({ id: d.id });
      if (req.query.format === "html") {
        const chain = issuingChain(await catalogUnits(ctx.pool), letter.issuingUnitCode);
        const heading = officialHeading(chain, localDay(new Date(letter.issuedAt)));
        return reply.type("text/html; charset=utf-8").send(letterHtml(letter, heading));
      }
      return letter;
    },
  );
}
