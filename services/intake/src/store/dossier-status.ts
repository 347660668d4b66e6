import type { PoolClient } from "@tthc/service-kit";
import type { DossierChange } from "../domain/dossier-status.js";

/**
 * Writes a batch's changes to the public lookup in one statement. Per dossier, the lifecycle events
 * whose id is not yet in `applied_event_ids` are the fresh ones: the last of them gives the state
 * and its instant, the last transfer among them the handling unit, and their ids join the set. A
 * deadline counts when its sequence is above `sla_sequence`. Both tests read the row being updated,
 * so a row another transaction changed meanwhile is judged on its new version (PostgreSQL re-checks
 * a locked row); a row with nothing fresh is not written.
 */
const APPLY_SQL = `
WITH step AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[])
    WITH ORDINALITY AS s(dossier_id, event_id, state, unit, at, ord)
), deadline AS (
  SELECT * FROM unnest($6::uuid[], $7::int[], $8::timestamptz[]) AS t(dossier_id, sequence, due_at)
), touched AS (
  SELECT dossier_id FROM step UNION SELECT dossier_id FROM deadline
)
UPDATE dossiers d
SET (state, state_changed_at, handling_unit_code, applied_event_ids) = (
      SELECT coalesce((array_agg(s.state ORDER BY s.ord DESC))[1], d.state),
             coalesce((array_agg(s.at ORDER BY s.ord DESC))[1], d.state_changed_at),
             coalesce((array_agg(s.unit ORDER BY s.ord DESC) FILTER (WHERE s.unit IS NOT NULL))[1],
                      d.handling_unit_code),
             d.applied_event_ids || coalesce(array_agg(s.event_id ORDER BY s.ord), '{}')
      FROM step s WHERE s.dossier_id = d.id AND s.event_id <> ALL (d.applied_event_ids)),
    due_at = CASE WHEN t.sequence > d.sla_sequence THEN t.due_at ELSE d.due_at END,
    sla_sequence = greatest(d.sla_sequence, t.sequence)
FROM touched x LEFT JOIN deadline t USING (dossier_id)
WHERE d.id = x.dossier_id
  AND (t.sequence > d.sla_sequence
       OR EXISTS (SELECT 1 FROM step s WHERE s.dossier_id = d.id AND s.event_id <> ALL (d.applied_event_ids)))`;

export async function applyDossierChanges(tx: PoolClient, changes: readonly DossierChange[]): Promise<void> {
  const step = {
    dossier: [] as string[],
    id: [] as string[],
    state: [] as string[],
    unit: [] as (string | null)[],
    at: [] as string[],
  };
  const deadline = { dossier: [] as string[], sequence: [] as number[], dueAt: [] as string[] };
  for (const c of changes) {
    for (const s of c.steps) {
      step.dossier.push(c.dossierId);
      step.id.push(s.eventId);
      step.state.push(s.state);
      step.unit.push(s.handlingUnitCode);
      step.at.push(s.occurredAt);
    }
    if (c.deadline) {
      deadline.dossier.push(c.dossierId);
      deadline.sequence.push(c.deadline.sequence);
      deadline.dueAt.push(c.deadline.dueAt);
    }
  }
  if (step.id.length === 0 && deadline.dossier.length === 0) return;
  await tx.query({
    name: "intake-dossier-status",
    text: APPLY_SQL,
    values: [
      step.dossier,
      step.id,
      step.state,
      step.unit,
      step.at,
      deadline.dossier,
      deadline.sequence,
      deadline.dueAt,
    ],
  });
}
