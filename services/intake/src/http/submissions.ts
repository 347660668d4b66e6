import { createEvent, DEFAULT_ACCEPTANCE_TIME, formatInstant } from "@tthc/contracts";
import { errorResponses, staffOf } from "@tthc/service-kit";
import { contentHash } from "../domain/catalog.js";
import { errors } from "../errors.js";
import { checkCatalogue, checkSubmittedAt, Replay, receiveDossier } from "../store/reception.js";
import { createSubmission, readSubmission, submissionView, transition } from "../store/submissions.js";
import { actorOf, type RouteDeps } from "./deps.js";
import { sendReceipt } from "./receipt-reply.js";
import {
  AcceptBody,
  FormatQuery,
  RefusalView,
  RefuseBody,
  receiptAnswer,
  StopBody,
  SubmissionBody,
  SubmissionParams,
  SubmissionView,
  SupplementRequestBody,
  SupplementRequestView,
  SupplementSuppliedBody,
} from "./schemas.js";

/**
 * Online submissions before acceptance, as the public-service portal pushes them (its connector
 * holds a token of the receiving unit, or an admin token), and the counter's decisions on them.
 */
export function submissionRoutes(deps: RouteDeps): void {
  const { app, pool, cache, access } = deps;

  app.post(
    "/v1/submissions",
    {
      config: { access: access.submit },
      schema: {
        operationId: "submitOnline",
        summary: "An online submission arrives (state 1)",
        description:
          "Idempotent with `portalRef`: the same reference again returns the first submission (200) and creates nothing.",
        body: SubmissionBody,
        response: {
          201: SubmissionView.describe("Recorded: the submission, awaiting acceptance"),
          200: SubmissionView.describe("The same portal reference again: the first submission"),
          ...errorResponses(409),
        },
      },
    },
    async (req, reply) => {
      const actor = actorOf(staffOf(req));
      const body = req.body;
      const snapshot = await cache.current();
      const { procedure } = checkCatalogue(snapshot, body.procedureCode, body.receivingUnitCode);
      const submittedAt = new Date(body.submittedAt);
      checkSubmittedAt(submittedAt, deps.now());
      const { submission, created } = await createSubmission(
        pool,
        { ...body, submittedAt, requestHash: contentHash(body) },
        (id) =>
          createEvent(
            "dossier.submitted",
            {
              dossierId: id,
              unitCode: body.receivingUnitCode,
              actor,
              correlationId: req.id,
              occurredAt: formatInstant(submittedAt),
              payload: {
                procedureCode: procedure.data.code,
                submittedAt: formatInstant(submittedAt),
                portalRef: body.portalRef,
                field: procedure.data.field,
                channel: "online",
                onlineServiceLevel: procedure.data.onlineServiceLevel,
                acceptanceTime: procedure.data.acceptanceTime ?? DEFAULT_ACCEPTANCE_TIME,
              },
            },
            { now: deps.now },
          ),
      );
      return reply.code(created ? 201 : 200).send(submissionView(submission));
    },
  );

  app.get(
    "/v1/submissions/:id",
    {
      config: { access: access.readSubmission },
      schema: {
        operationId: "getSubmission",
        summary: "A submission",
        params: SubmissionParams,
        response: { 200: SubmissionView, ...errorResponses(404) },
      },
    },
    async (req) => {
      const s = await readSubmission(pool, req.params.id);
      if (!s) throw errors.SUBMISSION_NOT_FOUND({ id: req.params.id });
      return submissionView(s);
    },
  );

  app.post(
    "/v1/submissions/:id/accept",
    {
      config: { access: access.decideSubmission },
      schema: {
        operationId: "acceptSubmission",
        summary: "Accept (1 → 2): the dossier is received, its clock starts from the submission instant",
        params: SubmissionParams,
        body: AcceptBody,
        querystring: FormatQuery,
        response: {
          201: receiptAnswer("Accepted: the dossier's receipt (form 01)"),
          200: receiptAnswer("Accepted before: the first receipt, nothing created"),
          ...errorResponses(409),
        },
      },
    },
    async (req, reply) => {
      const actor = actorOf(staffOf(req));
      const found = await readSubmission(pool, req.params.id);
      if (!found) throw errors.SUBMISSION_NOT_FOUND({ id: req.params.id });
      const result = await receiveDossier(
        pool,
        cache,
        {
          channel: "online",
          procedureCode: found.procedureCode,
          receivingUnitCode: found.receivingUnitCode,
          applicant: found.applicant,
          submittedAt: new Date(found.submittedAt),
          portalRef: found.portalRef,
          documents: found.documents,
          requestedReturnChannel: req.body?.requestedReturnChannel ?? null,
          dossierId: found.id,
          idempotencyKey: null,
          requestHash: found.requestHash,
          actor,
          correlationId: req.id,
          now: deps.now(),
        },
        {
          before: async (tx) => {
            const s = await readSubmission(tx, found.id, true);
            if (s?.state === "received") throw new Replay(found.id, true);
            if (s?.state !== "submitted")
              throw errors.SUBMISSION_STATE_FORBIDS({ state: s?.state, allowedFrom: ["submitted"] });
          },
          after: async (tx, receipt) => {
            await tx.query(
              `UPDATE submissions SET state = 'received', dossier_code = $2, updated_at = now(),
                 history = history || jsonb_build_array(jsonb_build_object('type', 'dossier.received', 'at', $3::text))
               WHERE id = $1`,
              [found.id, receipt.code, receipt.receivedAt],
            );
          },
        },
      );
      return sendReceipt(reply.code(result.created ? 201 : 200), result.receipt, req.query.format);
    },
  );

  app.post(
    "/v1/submissions/:id/refuse",
    {
      config: { access: access.decideSubmission },
      schema: {
        operationId: "refuseSubmission",
        summary: "Refuse at reception (1 → 3, form 03)",
        params: SubmissionParams,
        body: RefuseBody,
        response: { 200: RefusalView, ...errorResponses(409) },
      },
    },
    async (req) => {
      const actor = actorOf(staffOf(req));
      const now = formatInstant(deps.now());
      const s = await transition(pool, req.params.id, ["submitted"], (cur) => ({
        to: "refused",
        event: createEvent(
          "dossier.submission-refused",
          {
            dossierId: cur.id,
            unitCode: cur.receivingUnitCode,
            actor,
            correlationId: req.id,
            occurredAt: now,
            payload: {
              procedureCode: cur.procedureCode,
              submittedAt: cur.submittedAt,
              portalRef: cur.portalRef,
              refusedAt: now,
              reasons: req.body.reasons,
            },
          },
          { now: deps.now },
        ),
      }));
      return { ...submissionView(s), form: "03" as const, refusedAt: now, reasons: req.body.reasons };
    },
  );

  app.post(
    "/v1/submissions/:id/request-supplement",
    {
      config: { access: access.decideSubmission },
      schema: {
        operationId: "requestSubmissionSupplement",
        summary: "Ask for a supplement before acceptance (1 → 5, form 02)",
        params: SubmissionParams,
        body: SupplementRequestBody,
        response: { 200: SupplementRequestView, ...errorResponses(409) },
      },
    },
    async (req) => {
      const actor = actorOf(staffOf(req));
      const now = formatInstant(deps.now());
      const s = await transition(pool, req.params.id, ["submitted"], (cur) => ({
        to: "awaiting_supplement",
        set: { supplement_requests: cur.supplementRequests + 1, supplement_requested_at: now },
        event: createEvent(
          "dossier.submission-supplement-requested",
          {
            dossierId: cur.id,
            unitCode: cur.receivingUnitCode,
            actor,
            correlationId: req.id,
            occurredAt: now,
            payload: {
              procedureCode: cur.procedureCode,
              submittedAt: cur.submittedAt,
              portalRef: cur.portalRef,
              requestNumber: cur.supplementRequests + 1,
              missingItems: req.body.missingItems,
              reason: req.body.reason,
              supplyBy: req.body.supplyBy,
            },
          },
          { now: deps.now },
        ),
      }));
      return {
        ...submissionView(s),
        form: "02" as const,
        missingItems: req.body.missingItems,
        reason: req.body.reason,
      };
    },
  );

  app.post(
    "/v1/submissions/:id/supplement",
    {
      config: { access: access.reportSubmission },
      schema: {
        operationId: "receiveSubmissionSupplement",
        summary: "The applicant supplied what was missing (5 → 1)",
        params: SubmissionParams,
        body: SupplementSuppliedBody,
        response: { 200: SubmissionView, ...errorResponses(409) },
      },
    },
    async (req) => {
      const actor = actorOf(staffOf(req));
      const nowDate = deps.now();
      const supplied = req.body.suppliedAt ? new Date(req.body.suppliedAt) : nowDate;
      checkSubmittedAt(supplied, nowDate, "body.suppliedAt");
      const s = await transition(pool, req.params.id, ["awaiting_supplement"], (cur) => ({
        to: "submitted",
        event: createEvent(
          "dossier.submission-supplement-received",
          {
            dossierId: cur.id,
            unitCode: cur.receivingUnitCode,
            actor,
            correlationId: req.id,
            occurredAt: formatInstant(supplied),
            payload: {
              procedureCode: cur.procedureCode,
              requestNumber: cur.supplementRequests,
              requestedAt: cur.supplementRequestedAt ?? cur.submittedAt,
              suppliedAt: formatInstant(supplied),
            },
          },
          { now: deps.now },
        ),
      }));
      return submissionView(s);
    },
  );

  app.post(
    "/v1/submissions/:id/stop",
    {
      config: { access: access.reportSubmission },
      schema: {
        operationId: "stopSubmission",
        summary: "Close before acceptance: supplement lapsed or withdrawn (→ 8)",
        params: SubmissionParams,
        body: StopBody,
        response: { 200: SubmissionView, ...errorResponses(409) },
      },
    },
    async (req) => {
      const actor = actorOf(staffOf(req));
      const s = await transition(pool, req.params.id, ["submitted", "awaiting_supplement"], (cur) => ({
        to: "stopped",
        event: createEvent(
          "dossier.submission-stopped",
          {
            dossierId: cur.id,
            unitCode: cur.receivingUnitCode,
            actor,
            correlationId: req.id,
            occurredAt: formatInstant(deps.now()),
            payload: {
              procedureCode: cur.procedureCode,
              reason: req.body.reason,
              explanation: req.body.explanation,
            },
          },
          { now: deps.now },
        ),
      }));
      return submissionView(s);
    },
  );
}
