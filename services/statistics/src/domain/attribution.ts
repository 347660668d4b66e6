/**
 * Which unit a dossier's figures count for (docs/domain.md, "Attribution"): its competent unit (the
 * default: the unit whose procedure it is and that decides it, the one the 766 index scores) or its
 * receiving centre. Late steps always count for the unit that held the step, and acceptance figures
 * for the receiving centre, whichever is chosen.
 */
export const attributions = ["competent", "receiving"] as const;
export type Attribution = (typeof attributions)[number];
export const DEFAULT_ATTRIBUTION: Attribution = "competent";
