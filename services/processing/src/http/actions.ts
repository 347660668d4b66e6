import { enqueue, eventRecord } from "@tthc/bus";
import { DossierIdParams } from "@tthc/contracts";
import {
  type BaseConfig,
  checkUnits,
  errorResponses,
  type ServiceContext,
  staffOf,
  withTransaction,
} from "@tthc/service-kit";
import { type ActionBody, actionBodies } from "../domain/action-bodies.js";
import { apply } from "../domain/apply.js";
import { type CatalogFacts, decide } from "../domain/commands.js";
import type { Dossier } from "../domain/dossier.js";
import { DomainError } from "../domain/errors.js";
import { type Action, actionRules, actions } from "../domain/transitions.js";
import { errors, fromDomain } from "../errors.js";
import { CatalogCalendars, findProcedure, unitKnown } from "../store/catalog.js";
import { type Db, loadDossier, StaleVersion, saveApplied } from "../store/dossiers.js";
import { loadSla } from "../store/sla.js";
import { type accessRules, actingUnits } from "./access.js";
import { DossierView, dossierView } from "./views.js";

async function transferFacts(
  db: Db,
  procedureCode: string,
  toUnit: string | undefined,
): Promise<CatalogFacts> {
  const procedure = await findProcedure(db, procedureCode);
  const known = toUnit === undefined ? undefined : await unitKnown(db, toUnit);
  return {
    ...(procedure ? { procedure } : {}),
    ...(known === undefined ? {} : { unitKnown: () => known }),
  };
}

/** Each action's operation in a client generated from the document. */
const operationIds: Readonly<Record<Action, string>> = {
  assign: "assignDossier",
  transfer: "transferDossier",
  "request-supplement": "requestDossierSupplement",
  "receive-supplement": "receiveDossierSupplement",
  "request-payment": "requestDossierPayment",
  "receive-payment": "receiveDossierPayment",
  extend: "extendDossier",
  resolve: "resolveDossier",
  return: "returnDossierResult",
  withdraw: "withdrawDossier",
  stop: "stopDossier",
};

/**
 * `POST /v1/dossiers/:id/<action>`: unit (403), role (403), version (409), state (409), then the
 * action's own rules; the new state, its timeline line and its event commit in one transaction.
 */
export function registerActions<C extends BaseConfig>(
  ctx: ServiceContext<C>,
  access: ReturnType<typeof accessRules>,
): void {
  const calendars = new CatalogCalendars();
  /** What the catalogue says for this action: the procedure for a transfer, the clock's calendar for an extension. */
  const factsFor = async (tx: Db, action: Action, d: Dossier, body: ActionBody<Action>, now: Date) => {
    if (action === "transfer") {
      return transferFacts(tx, d.procedureCode, (body as ActionBody<"transfer">).toUnitCode);
    }
    if (action === "extend") {
      // The dossier's clock counts in its receiving unit's working time (docs/domain.md).
      const set = await calendars.current(tx);
      return { clockCalendar: set.calendarFor(d.receivingUnitCode, now) };
    }
    return {};
  };
  for (const action of actions) {
    const rule = actionRules[action];
    const allowed = access.action(action);
    ctx.app.post(
      `/v1/dossiers/:id/${action}`,
      {
        config: { access: allowed },
        schema: {
          operationId: operationIds[action],
          summary: `${action} (${rule.from.join(", ")} → ${rule.to ?? "same state"}); roles ${rule.roles.join(", ")}`,
          params: DossierIdParams,
          body: actionBodies[action],
          response: {
            200: DossierView.describe("Done: the dossier after the action, with its new version"),
            ...errorResponses(404, 409),
          },
        },
      },
      async (req) => {
        const staff = staffOf(req);
        const body = req.body as ActionBody<Action>;
        const now = ctx.clock.now();
        try {
          const result = await withTransaction(ctx.pool, async (tx) => {
            const d = await loadDossier(tx, req.params.id);
            if (!d) throw errors.DOSSIER_NOT_FOUND({ id: req.params.id });
            // Checked before validation too; again here, under the row lock, in case it moved since.
            checkUnits(allowed, staff, actingUnits(action, d), req);
            if (body.expectedVersion !== d.version) {
              throw errors.STALE_VERSION({
                expectedVersion: body.expectedVersion,
                currentVersion: d.version,
              });
            }
            const event = decide(d, {
              action,
              body,
              actor: { staffId: staff.sub, unitCode: staff.unit, roles: staff.roles },
              correlationId: req.id,
              now,
              catalog: await factsFor(tx, action, d, body, now),
            });
            const applied = apply(d, event);
            await saveApplied(tx, d, applied);
            await enqueue(tx, [eventRecord(event)]);
            return { dossier: applied.dossier, sla: await loadSla(tx, d.id) };
          });
          return dossierView(result.dossier, result.sla, now);
        } catch (err) {
          if (err instanceof DomainError) throw fromDomain(err);
          if (err instanceof StaleVersion) {
            throw errors.STALE_VERSION(
              { expectedVersion: err.expected },
              "Another action changed the dossier first",
            );
          }
          throw err;
        }
      },
    );
  }
}
