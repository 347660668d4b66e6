import type { Applicant } from "./people.js";
import type { Timing, Verdict } from "./timing.js";

export type Channel = "online" | "direct" | "postal";

/** How a dossier's story ends (as planned; the report says what happened). */
export type Fate =
  /** Decided, placed early or on time. */
  | "resolved"
  /** Decided after its due instant, or late by a supplement requested after it. */
  | "resolved-late"
  /** An online submission refused at reception (form 03): never received. */
  | "refused-at-reception"
  /** An online submission whose supplement never came before acceptance: never received. */
  | "lapsed-before-acceptance"
  /** Withdrawn at the applicant's request, then stopped. */
  | "withdrawn"
  /** Stopped by a stop notice, or because the supplement asked for never came. */
  | "stopped"
  /** Never decided while the run lasts: it stays open and goes past its due instant. */
  | "open";

/** What a simulated person does, through the services' APIs (see driver.ts for each call). */
export type ActionKind =
  /** The portal pushes an online submission (state 1), with its submission instant. */
  | "submit"
  /** The counter receives a dossier in person or by post (state 2). */
  | "receive"
  | "request-submission-supplement"
  /** The applicant completes the submission on the portal (5 → 1), with the instant. */
  | "supply-submission"
  /** The submission closes before acceptance: the supplement lapsed. */
  | "stop-submission"
  | "refuse"
  | "accept"
  | "assign"
  | "transfer"
  | "request-supplement"
  | "receive-supplement"
  | "request-payment"
  | "receive-payment"
  | "extend"
  | "resolve"
  | "return"
  | "withdraw"
  | "stop";

export interface ScriptAction {
  do: ActionKind;
  /** When the acting person acts. */
  when: Timing;
  /**
   * For what an applicant did before the staff record it (a supplement supplied, a fee paid):
   * minutes by the wall clock after the previous action; `when` then counts from that instant,
   * which goes to the service as `suppliedAt` / `paidAt`.
   */
  applicantAfter?: number;
  /** transfer: the step it goes to (the next one when absent). */
  toStepId?: string;
  /** transfer: the unit the step goes to, where the procedure leaves the step's unit open. */
  toUnitCode?: string;
  /** extend: the new date, working minutes after the due instant the services show. */
  extendByMinutes?: number;
  /** resolve */
  outcome?: "approved" | "refused";
  electronicResult?: boolean;
  /** return */
  returnChannel?: "counter" | "postal" | "electronic";
  /** stop */
  reason?: "withdrawn" | "supplement-lapsed" | "stop-notice";
}

/** One dossier's story, reproducible from the seed, acted out in time by the driver. */
export interface DossierScript {
  seq: number;
  /** The one-stop centre that receives it. */
  unitCode: string;
  /** The unit whose procedure it is and that decides it (docs/domain.md, "Attribution"). */
  competentUnitCode: string;
  procedureCode: string;
  channel: Channel;
  /** Local ISO instant (+07:00): the online submission, or the arrival at the counter or by post. */
  arrivesAt: string;
  applicant: Applicant;
  fate: Fate;
  /** The verdict the decision is placed for; null when the dossier is not to be decided. */
  verdict: Verdict | null;
  /** Online: accepted within the centre's acceptance deadline or after it; null otherwise. */
  acceptance: "in-time" | "late" | null;
  actions: ScriptAction[];
}
