/** The workflow in the order the user walks it; each step has one view. */
export const STEPS = ["import", "compose", "review", "send", "history"] as const;

export type Step = (typeof STEPS)[number];
