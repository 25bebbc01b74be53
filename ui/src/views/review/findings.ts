import type { Finding } from "../../lib/bindings/Finding";
import type { FindingKind } from "../../lib/bindings/FindingKind";
import { domainOf } from "../../lib/format";

/** A record, not a list, so that a kind added in Rust fails to compile here until it has words. */
const KINDS: Record<FindingKind, true> = {
  typo_domain: true,
  lookalike_domain: true,
  empty_field: true,
  file_name_mismatch: true,
  shared_own_file: true,
  no_file: true,
  attachment_mentioned: true,
  risky_attachment: true,
  bulk_sender_rules: true,
  blocked: true,
};

/** Every kind of finding: each has its sentence, `review.findings.<kind>`. */
export const FINDING_KINDS = Object.keys(KINDS) as FindingKind[];

/** What a finding says about one domain, written under that domain. */
export type DomainNote =
  { kind: "typo"; intended: string } | { kind: "lookalike"; similar: string } | { kind: "blocked" };

/** The domain named first in a detail such as "gmial.com → gmail.com", and the other one. */
function pairOf(detail: string, separator: string): [string, string] | null {
  const [first, second] = detail.split(separator);
  return first && second ? [first.trim(), second.trim()] : null;
}

/**
 * The notes for each domain a finding concerns. A typo or look-alike names its domain first
 * ("gmial.com → gmail.com", "examp1e.co.jp ~ example.co.jp"); a blocker concerns the domains
 * of the recipients it lists, which may be single addresses at an otherwise ordinary domain.
 */
export function domainNotes(findings: Finding[]): Map<string, DomainNote[]> {
  const notes = new Map<string, DomainNote[]>();
  const add = (domain: string, note: DomainNote) => {
    notes.set(domain, [...(notes.get(domain) ?? []), note]);
  };
  for (const finding of findings) {
    if (finding.kind === "typo_domain") {
      const pair = pairOf(finding.detail, "→");
      if (pair) add(pair[0], { kind: "typo", intended: pair[1] });
    } else if (finding.kind === "lookalike_domain") {
      const pair = pairOf(finding.detail, "~");
      if (pair) add(pair[0], { kind: "lookalike", similar: pair[1] });
    } else if (finding.kind === "blocked") {
      for (const domain of new Set(finding.recipients.map(domainOf))) {
        add(domain, { kind: "blocked" });
      }
    }
  }
  return notes;
}

/** The names of the files a risky-attachment finding points at. */
export function riskyFiles(findings: Finding[]): Set<string> {
  return new Set(findings.filter((f) => f.kind === "risky_attachment").map((f) => f.detail));
}
