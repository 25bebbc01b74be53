import type { SuppressionReason } from "../../lib/bindings/SuppressionReason";

/** In the order offered when suppressing; "manual" first, as what staff choose by hand. */
export const SUPPRESSION_REASONS: SuppressionReason[] = [
  "manual",
  "unsubscribed",
  "bounced",
  "blocked",
];
