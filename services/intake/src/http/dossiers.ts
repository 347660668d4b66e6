import { DossierCodeParams, nationalStatusCode, stateLabelVi } from "@tthc/contracts";
import { commonErrors, errorResponses, staffOf } from "@tthc/service-kit";
import { contentHash } from "../domain/catalog.js";
import { errors } from "../errors.js";
import { hitRateLimit } from "../store/rate-limit.js";
import { readPublicStatus, readReceiptByCode, receiveDossier } from "../store/reception.js";
import { actorOf, type RouteDeps } from "./deps.js";
import { sendReceipt } from "./receipt-reply.js";
import { FormatQuery, PublicStatus, ReceptionBody, receiptAnswer } from "./schemas.js";

/** Reception at the counter, by post, or of an accepted online dossier; the public lookup. */
export function dossierRoutes(deps: RouteDeps): void {
  const { app, pool, cache, config, access } = deps;

  app.post(
    "/v1/dossiers",
    {
      config: { access: access.receive },
      schema: {
        operationId: "receiveDossier",
        summary: "Receive a dossier (tiếp nhận hồ sơ) and issue its receipt (form 01)",
        description:
          "Idempotent with the `Idempotency-Key` header, and for online dossiers with `portalRef`: a retry returns the first receipt (200) and creates nothing.",
        body: ReceptionBody,
        querystring: FormatQuery,
        response: {
          201: receiptAnswer("Received: the dossier's receipt, its code and due date"),
          200: receiptAnswer(
            "A retry (same Idempotency-Key or portal reference): the first receipt, nothing created",
          ),
          ...errorResponses(409),
        },
      },
    },
    async (req, reply) => {
      const staff = staffOf(req);
      const body = req.body;
      const header = req.headers["idempotency-key"];
      if (header !== undefined && (typeof header !== "string" || !/^[\x21-\x7e]{1,200}$/.test(header)))
        throw commonErrors.VALIDATION_FAILED([
          { path: "headers.idempotency-key", reason: "1 to 200 printable characters" },
        ]);
      const result = await receiveDossier(pool, cache, {
        channel: body.channel,
        procedureCode: body.procedureCode,
        receivingUnitCode: body.receivingUnitCode,
        applicant: body.applicant,
        submittedAt: body.submittedAt === undefined ? null : new Date(body.submittedAt),
        portalRef: body.portalRef ?? null,
        documents: body.documents,
        requestedReturnChannel: body.requestedReturnChannel,
        idempotencyKey: header ? `key:${staff.unit}:${header}` : null,
        requestHash: contentHash(body),
        actor: actorOf(staff),
        correlationId: req.id,
        now: deps.now(),
      });
      return sendReceipt(reply.code(result.created ? 201 : 200), result.receipt, req.query.format);
    },
  );

  app.get(
    "/v1/dossiers/:code/receipt",
    {
      config: { access: access.receipt },
      schema: {
        operationId: "getReceipt",
        summary: "Print a receipt again (staff of the receiving unit)",
        params: DossierCodeParams,
        querystring: FormatQuery,
        response: { 200: receiptAnswer("The dossier's receipt, as first issued"), ...errorResponses(404) },
      },
    },
    async (req, reply) => {
      const receipt = await readReceiptByCode(pool, req.params.code);
      if (!receipt) throw errors.DOSSIER_NOT_FOUND({ code: req.params.code });
      return sendReceipt(reply, receipt, req.query.format);
    },
  );

  app.get(
    "/v1/dossiers/:code",
    {
      config: { access: access.public },
      schema: {
        operationId: "lookUpDossier",
        summary: "Public lookup (tra cứu hồ sơ): status and dates, no personal data; rate limited per client",
        params: DossierCodeParams,
        response: { 200: PublicStatus, ...errorResponses(404, 429) },
      },
    },
    async (req, reply) => {
      const limit = await hitRateLimit(
        deps.redis,
        "lookup",
        req.ip,
        config.LOOKUP_RATE_LIMIT,
        config.LOOKUP_RATE_WINDOW_SECONDS,
      ).catch((err: Error) => {
        // Redis holds only counters: without it the lookup stays open rather than down.
        req.log.warn({ err: err.message }, "rate limiter unavailable");
        return { allowed: true, retryAfterSeconds: 0 };
      });
      if (!limit.allowed) {
        reply.header("retry-after", String(limit.retryAfterSeconds));
        throw commonErrors.RATE_LIMITED({ retryAfterSeconds: limit.retryAfterSeconds });
      }
      const status = await readPublicStatus(pool, req.params.code);
      if (!status) throw errors.DOSSIER_NOT_FOUND({ code: req.params.code });
      const snapshot = await cache.current();
      const unitName = (code: string) => snapshot.units.get(code)?.data.name ?? code;
      return {
        code: status.code,
        status: status.state,
        statusCode: nationalStatusCode[status.state],
        statusLabel: stateLabelVi[status.state],
        procedure: {
          code: status.procedureCode,
          name: snapshot.procedures.get(status.procedureCode)?.data.name ?? status.procedureCode,
        },
        receivingUnit: { code: status.receivingUnitCode, name: unitName(status.receivingUnitCode) },
        handlingUnit: { code: status.handlingUnitCode, name: unitName(status.handlingUnitCode) },
        receivedAt: status.receivedAt,
        dueAt: status.dueAt,
        statusSince: status.stateChangedAt,
      };
    },
  );
}
